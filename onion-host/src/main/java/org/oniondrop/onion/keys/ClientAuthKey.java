package org.oniondrop.onion.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.security.auth.Destroyable;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * An x25519 client-authorization ("restricted discovery") key pair, KP_hsc_desc_enc /
 * KS_hsc_desc_enc (rend-spec-v3 §2.5.1.2), in tor's file formats (tor manual, "CLIENT
 * AUTHORIZATION"):
 *
 * <ul>
 *   <li>{@code NAME.auth} in the service's {@code authorized_clients/}: {@code
 *       descriptor:x25519:<base32 public key>};
 *   <li>{@code NAME.auth_private} in a client's ClientOnionAuthDir: {@code <56-char
 *       address>:descriptor:x25519:<base32 private key>}.
 * </ul>
 */
public final class ClientAuthKey implements Destroyable {

  /** Client names become file names: keep them to a safe alphabet and length. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** An auth file is one short line. */
  public static final int MAX_FILE_BYTES = 512;

  private final byte[] secret;
  private final byte[] publicKey;

  private ClientAuthKey(byte[] secret, byte[] publicKey) {
    this.secret = secret;
    this.publicKey = publicKey;
  }

  public static ClientAuthKey generate(SecureRandom random) {
    byte[] secret = new byte[32];
    X25519.generatePrivateKey(random, secret);
    byte[] pub = new byte[32];
    X25519.generatePublicKey(secret, 0, pub, 0);
    return new ClientAuthKey(secret, pub);
  }

  public static ClientAuthKey fromSecret(byte[] secret) {
    if (secret.length != 32) {
      throw new IllegalArgumentException("an x25519 key is 32 bytes");
    }
    byte[] pub = new byte[32];
    X25519.generatePublicKey(secret, 0, pub, 0);
    return new ClientAuthKey(secret.clone(), pub);
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** A copy of the secret; wipe it after use. */
  public byte[] secretKey() {
    return secret.clone();
  }

  /** The line of a service's {@code NAME.auth}. */
  public String authLine() {
    return authLine(publicKey);
  }

  public static String authLine(byte[] publicKey) {
    return "descriptor:x25519:" + OnionAddress.base32Encode(publicKey).toUpperCase(Locale.ROOT);
  }

  /** The line of a client's {@code NAME.auth_private} for {@code address}. */
  public String authPrivateLine(OnionAddress address) {
    return address.label()
        + ":descriptor:x25519:"
        + OnionAddress.base32Encode(secret).toUpperCase(Locale.ROOT);
  }

  /** Writes {@code dir/NAME.auth} (0600). */
  public void writeAuth(Path dir, String name) throws IOException {
    checkName(name);
    TorKeyFiles.createPrivateDirectory(dir);
    TorKeyFiles.writeAtomically(
        dir.resolve(name + ".auth"), (authLine() + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  /** Writes {@code dir/NAME.auth_private} (0600). */
  public void writeAuthPrivate(Path dir, String name, OnionAddress address) throws IOException {
    checkName(name);
    TorKeyFiles.ensureDirectory(dir);
    TorKeyFiles.writeAtomically(
        dir.resolve(name + ".auth_private"),
        (authPrivateLine(address) + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  /** A service's authorized_clients directory holds at most this many {@code .auth} files. */
  public static final int MAX_AUTH_FILES = 1024;

  /**
   * Reads every {@code *.auth} file of a service's authorized_clients directory (tor's layout); an
   * absent directory means no client authorization.
   */
  public static java.util.List<byte[]> readAuthDir(Path dir) throws IOException, KeyFileException {
    java.util.List<byte[]> keys = new java.util.ArrayList<>();
    if (!java.nio.file.Files.isDirectory(dir)) {
      return keys;
    }
    try (java.nio.file.DirectoryStream<Path> files =
        java.nio.file.Files.newDirectoryStream(dir, "*.auth")) {
      for (Path f : files) {
        if (keys.size() >= MAX_AUTH_FILES) {
          throw new KeyFileException(dir + ": more than " + MAX_AUTH_FILES + " auth files");
        }
        keys.add(readAuth(f));
      }
    }
    return keys;
  }

  /**
   * Reads a service-side {@code .auth} file: the public key.
   *
   * @throws KeyFileException if it is not {@code descriptor:x25519:<52 base32 chars>}
   */
  public static byte[] readAuth(Path file) throws KeyFileException {
    String line = TorKeyFiles.readSmall(file, MAX_FILE_BYTES).trim();
    String[] parts = line.split(":", -1);
    if (parts.length != 3 || !parts[0].equals("descriptor") || !parts[1].equals("x25519")) {
      throw new KeyFileException(file + ": expected 'descriptor:x25519:<base32 key>'");
    }
    return decodeKey(file, parts[2]);
  }

  /** A client's key for one onion service, from a ClientOnionAuthDir file. */
  public record ClientCredential(OnionAddress address, ClientAuthKey key) {}

  /**
   * Reads a client-side {@code .auth_private} file.
   *
   * @throws KeyFileException if it is not {@code <address>:descriptor:x25519:<base32 key>}
   */
  public static ClientCredential readAuthPrivate(Path file) throws KeyFileException {
    String line = TorKeyFiles.readSmall(file, MAX_FILE_BYTES).trim();
    String[] parts = line.split(":", -1);
    if (parts.length != 4 || !parts[1].equals("descriptor") || !parts[2].equals("x25519")) {
      throw new KeyFileException(file + ": expected '<address>:descriptor:x25519:<base32 key>'");
    }
    OnionAddress address;
    try {
      address = OnionAddress.parse(parts[0]);
    } catch (OnionAddressException e) {
      throw new KeyFileException(file + ": " + e.getMessage());
    }
    byte[] secret = decodeKey(file, parts[3]);
    try {
      return new ClientCredential(address, fromSecret(secret));
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  private static byte[] decodeKey(Path file, String text) throws KeyFileException {
    String clean = text.replace("=", "");
    byte[] key = clean.length() == 52 ? OnionAddress.base32Decode(clean) : null;
    if (key == null || key.length != 32) {
      throw new KeyFileException(file + ": key is not 52 base32 characters (32 bytes)");
    }
    return key;
  }

  private static void checkName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("client name must match " + NAME.pattern());
    }
  }

  @Override
  public void destroy() {
    Arrays.fill(secret, (byte) 0);
  }

  @Override
  public boolean isDestroyed() {
    for (byte b : secret) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "ClientAuthKey[" + authLine() + "]";
  }
}
