package org.oniondrop.crypto.kdf;

import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.util.encoders.Base32;
import org.oniondrop.crypto.Passphrases;
import org.oniondrop.crypto.SecretBytes;
import org.oniondrop.crypto.words.Codename;

/**
 * Derives what the server may keep about a source from its codename (SecureDrop's model).
 *
 * <ul>
 *   <li>{@link #sourceId}: {@code base32(KDF(codename, idSalt))}, {@value #SOURCE_ID_LENGTH}
 *       characters {@code A-Z2-7}: the database key and store directory name;
 *   <li>{@link #replyKeyPassphrase}: {@code base32(KDF(codename, passphraseSalt))}: unlocks the
 *       source's reply secret key.
 * </ul>
 *
 * <p>Security guarantees: the two salts are per-install secrets of at least {@value
 * #MIN_SALT_BYTES} bytes and must differ (checked in constant time), so the passphrase cannot be
 * computed from the id. The codename's characters are wiped after each derivation.
 */
public final class SourceKeyDerivation {

  /** Salts shorter than this (128 bits) are refused. */
  public static final int MIN_SALT_BYTES = 16;

  /** Derived bytes for each value: 256 bits. */
  public static final int DERIVED_BYTES = 32;

  /** Length of a source id: base32 of {@value #DERIVED_BYTES} bytes without padding. */
  public static final int SOURCE_ID_LENGTH = 52;

  private final KdfParameters parameters;
  private final SecretBytes idSalt;
  private final SecretBytes passphraseSalt;

  /**
   * @throws KdfException if a salt is missing, shorter than {@value #MIN_SALT_BYTES} bytes, the two
   *     are equal, or the parameters are below the floor of {@code policy}
   */
  public SourceKeyDerivation(
      KdfParameters parameters, SecretBytes idSalt, SecretBytes passphraseSalt, KdfPolicy policy) {
    this.parameters = Objects.requireNonNull(parameters, "parameters");
    parameters.check(Objects.requireNonNull(policy, "policy"));
    if (idSalt == null || passphraseSalt == null) {
      throw new KdfException(
          "both per-install salts (source id, reply key passphrase) are required");
    }
    if (idSalt.length() < MIN_SALT_BYTES || passphraseSalt.length() < MIN_SALT_BYTES) {
      throw new KdfException("each per-install salt must be at least " + MIN_SALT_BYTES + " bytes");
    }
    byte[] other = passphraseSalt.reveal();
    try {
      if (idSalt.equalsBytes(other)) {
        throw new KdfException(
            "the source id salt and the reply key passphrase salt must be different secrets");
      }
    } finally {
      Passphrases.wipe(other);
    }
    this.idSalt = idSalt;
    this.passphraseSalt = passphraseSalt;
  }

  /** The source id for {@code codename}. */
  public String sourceId(Codename codename) {
    byte[] derived = derive(codename, idSalt);
    try {
      return base32(derived);
    } finally {
      Passphrases.wipe(derived);
    }
  }

  /** The reply key passphrase for {@code codename}; wipe it after use. */
  public char[] replyKeyPassphrase(Codename codename) {
    byte[] derived = derive(codename, passphraseSalt);
    try {
      return base32(derived).toCharArray();
    } finally {
      Passphrases.wipe(derived);
    }
  }

  /** Whether {@code candidate} has the shape of a source id (used before touching paths). */
  public static boolean isWellFormedSourceId(String candidate) {
    if (candidate == null || candidate.length() != SOURCE_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'))) {
        return false;
      }
    }
    return true;
  }

  private byte[] derive(Codename codename, SecretBytes salt) {
    char[] chars = codename.chars();
    byte[] secret = Passphrases.utf8(chars);
    byte[] saltBytes = salt.reveal();
    try {
      return parameters.derive(secret, saltBytes, DERIVED_BYTES);
    } finally {
      Passphrases.wipe(chars);
      Passphrases.wipe(secret);
      Passphrases.wipe(saltBytes);
    }
  }

  private static String base32(byte[] bytes) {
    String encoded = Base32.toBase32String(bytes).toUpperCase(Locale.ROOT);
    int end = encoded.indexOf('=');
    return end < 0 ? encoded : encoded.substring(0, end);
  }
}
