package org.oniondrop.crypto.passphrase;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import org.oniondrop.crypto.Passphrases;
import org.oniondrop.crypto.kdf.Argon2idParameters;
import org.oniondrop.crypto.kdf.KdfException;
import org.oniondrop.crypto.kdf.KdfPolicy;
import org.oniondrop.crypto.words.WordList;

/**
 * Generates, checks, hashes and verifies journalist passphrases.
 *
 * <p>The caller owns the {@code char[]} passphrases it passes in and wipes them; {@link
 * #generate()} returns a new array for the caller to wipe.
 */
public final class PassphraseHasher {

  /** SecureDrop's lower bound on a journalist passphrase. */
  public static final int MIN_LENGTH = 14;

  /** SecureDrop's upper bound: bounds the hashing input. */
  public static final int MAX_LENGTH = 128;

  /** Words in a generated passphrase (about 90 bits). */
  public static final int GENERATED_WORDS = 7;

  /** Salt bytes in a new hash (RFC 9106 recommends 16). */
  public static final int SALT_BYTES = 16;

  /** Hash bytes in a new hash. */
  public static final int HASH_BYTES = 32;

  /** A stored hash string longer than this is refused unread. */
  public static final int MAX_STORED_LENGTH = 256;

  private static final String PREFIX = "$argon2id$v=19$";

  private final Argon2idParameters parameters;
  private final SecureRandom random;

  /**
   * @throws KdfException if {@code parameters} are below the production floor under {@code policy}
   */
  public PassphraseHasher(Argon2idParameters parameters, KdfPolicy policy, SecureRandom random) {
    this.parameters = Objects.requireNonNull(parameters, "parameters");
    parameters.check(policy);
    this.random = Objects.requireNonNull(random, "random");
  }

  /** With SecureDrop's parameters (64 MiB, t=4, p=2). */
  public static PassphraseHasher standard() {
    return new PassphraseHasher(
        Argon2idParameters.SECUREDROP_JOURNALIST, KdfPolicy.PRODUCTION, new SecureRandom());
  }

  /** A new passphrase of {@value #GENERATED_WORDS} EFF words separated by spaces. */
  public char[] generate() {
    WordList words = WordList.effLarge();
    StringBuilder out = new StringBuilder(GENERATED_WORDS * (WordList.MAX_WORD_LENGTH + 1));
    for (int i = 0; i < GENERATED_WORDS; i++) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(words.draw(random));
    }
    char[] chars = new char[out.length()];
    out.getChars(0, out.length(), chars, 0);
    out.setLength(0);
    return chars;
  }

  /** Checks SecureDrop's length rule: {@value #MIN_LENGTH}..{@value #MAX_LENGTH} characters. */
  public static void checkAcceptable(char[] passphrase) throws PassphraseRejectedException {
    if (passphrase.length < MIN_LENGTH) {
      throw new PassphraseRejectedException(
          PassphraseRejectedException.Reason.TOO_SHORT,
          "passphrase must be at least " + MIN_LENGTH + " characters");
    }
    if (passphrase.length > MAX_LENGTH) {
      throw new PassphraseRejectedException(
          PassphraseRejectedException.Reason.TOO_LONG,
          "passphrase must be at most " + MAX_LENGTH + " characters");
    }
  }

  /** Hashes an acceptable passphrase into a PHC string. */
  public String hash(char[] passphrase) throws PassphraseRejectedException {
    checkAcceptable(passphrase);
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] secret = Passphrases.utf8(passphrase);
    try {
      byte[] hash = parameters.derive(secret, salt, HASH_BYTES);
      return format(parameters, salt, hash);
    } finally {
      Passphrases.wipe(secret);
    }
  }

  /**
   * Whether {@code passphrase} matches {@code stored}, compared in constant time. A passphrase
   * outside the acceptable lengths never matches (and costs no hashing).
   *
   * @throws PassphraseHashFormatException if {@code stored} is not a PHC Argon2id string within
   *     bounds
   */
  public boolean verify(char[] passphrase, String stored) {
    Parsed parsed = parse(stored);
    if (passphrase.length < MIN_LENGTH || passphrase.length > MAX_LENGTH) {
      return false;
    }
    byte[] secret = Passphrases.utf8(passphrase);
    try {
      byte[] candidate = parsed.parameters.derive(secret, parsed.salt, parsed.hash.length);
      return MessageDigest.isEqual(candidate, parsed.hash);
    } finally {
      Passphrases.wipe(secret);
    }
  }

  /** Whether {@code stored} was made with parameters other than this hasher's. */
  public boolean needsRehash(String stored) {
    Parsed parsed = parse(stored);
    return !parsed.parameters.equals(parameters) || parsed.hash.length != HASH_BYTES;
  }

  private static String format(Argon2idParameters p, byte[] salt, byte[] hash) {
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX
        + "m="
        + p.memoryKiB()
        + ",t="
        + p.iterations()
        + ",p="
        + p.parallelism()
        + "$"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(hash);
  }

  private record Parsed(Argon2idParameters parameters, byte[] salt, byte[] hash) {}

  private static Parsed parse(String stored) {
    if (stored == null || stored.length() > MAX_STORED_LENGTH || !stored.startsWith(PREFIX)) {
      throw new PassphraseHashFormatException("not an Argon2id v19 PHC string");
    }
    String[] parts = stored.substring(PREFIX.length()).split("\\$", -1);
    if (parts.length != 3) {
      throw new PassphraseHashFormatException("expected params$salt$hash");
    }
    String[] params = parts[0].split(",", -1);
    if (params.length != 3
        || !params[0].startsWith("m=")
        || !params[1].startsWith("t=")
        || !params[2].startsWith("p=")) {
      throw new PassphraseHashFormatException("expected m=..,t=..,p=..");
    }
    try {
      Argon2idParameters p =
          new Argon2idParameters(
              Integer.parseInt(params[0].substring(2)),
              Integer.parseInt(params[1].substring(2)),
              Integer.parseInt(params[2].substring(2)));
      Base64.Decoder b64 = Base64.getDecoder();
      byte[] salt = b64.decode(parts[1].getBytes(StandardCharsets.US_ASCII));
      byte[] hash = b64.decode(parts[2].getBytes(StandardCharsets.US_ASCII));
      if (salt.length < 8 || hash.length < 16 || hash.length > 64) {
        throw new PassphraseHashFormatException("salt or hash length out of bounds");
      }
      return new Parsed(p, salt, hash);
    } catch (NumberFormatException e) {
      throw new PassphraseHashFormatException("parameters are not whole numbers");
    } catch (IllegalArgumentException e) {
      throw new PassphraseHashFormatException("bad base64 or parameters out of bounds");
    } catch (KdfException e) {
      throw new PassphraseHashFormatException("parameters out of bounds: " + e.getMessage());
    }
  }
}
