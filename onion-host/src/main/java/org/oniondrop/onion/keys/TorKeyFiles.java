package org.oniondrop.onion.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.oniondrop.onion.crypto.Ed25519Math;

/**
 * tor's HiddenServiceDir key files (rend-spec-v3 App. F; C tor {@code
 * crypto_write_tagged_contents_to_file}):
 *
 * <ul>
 *   <li>{@code hs_ed25519_secret_key}: the 32-byte header {@code "== ed25519v1-secret: type0 =="}
 *       padded with NULs, then the 64-byte expanded secret key;
 *   <li>{@code hs_ed25519_public_key}: {@code "== ed25519v1-public: type0 =="} padded to 32 bytes,
 *       then the 32-byte public key;
 *   <li>{@code hostname}: the onion address and a newline.
 * </ul>
 *
 * <p>Files are written to a temporary name, synced and renamed, mode 0600 in a 0700 directory, as
 * tor requires of a HiddenServiceDir.
 */
public final class TorKeyFiles {

  public static final String SECRET_KEY_FILE = "hs_ed25519_secret_key";
  public static final String PUBLIC_KEY_FILE = "hs_ed25519_public_key";
  public static final String HOSTNAME_FILE = "hostname";

  private static final int HEADER_LENGTH = 32;
  private static final String SECRET_TAG = "== ed25519v1-secret: type0 ==";
  private static final String PUBLIC_TAG = "== ed25519v1-public: type0 ==";

  /** hostname is 62 characters and a newline; anything much longer is not a hostname file. */
  private static final int MAX_HOSTNAME_BYTES = 128;

  private TorKeyFiles() {}

  /** Writes the three files for {@code identity} into {@code dir} (created 0700 if needed). */
  public static void write(Path dir, HsIdentity identity) throws IOException {
    createPrivateDirectory(dir);
    byte[] secret = identity.expandedSecret();
    try {
      writeAtomically(dir.resolve(SECRET_KEY_FILE), tagged(SECRET_TAG, secret));
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
    writeAtomically(dir.resolve(PUBLIC_KEY_FILE), tagged(PUBLIC_TAG, identity.publicKey()));
    writeAtomically(
        dir.resolve(HOSTNAME_FILE),
        (identity.address() + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Reads the identity from {@code dir}, checking that the public key file and hostname (when
   * present) agree with the secret key.
   *
   * @throws KeyFileException naming the file and the problem
   */
  public static HsIdentity read(Path dir) throws KeyFileException {
    byte[] secret = readTagged(dir.resolve(SECRET_KEY_FILE), SECRET_TAG, 64);
    HsIdentity identity;
    try {
      identity = HsIdentity.fromExpandedSecret(secret);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
    Path pubFile = dir.resolve(PUBLIC_KEY_FILE);
    if (Files.exists(pubFile)) {
      byte[] pub = readTagged(pubFile, PUBLIC_TAG, 32);
      if (!Arrays.equals(pub, identity.publicKey())) {
        throw new KeyFileException(pubFile + ": public key does not match the secret key");
      }
    }
    Path hostFile = dir.resolve(HOSTNAME_FILE);
    if (Files.exists(hostFile)) {
      String host = readSmall(hostFile, MAX_HOSTNAME_BYTES).trim();
      if (!host.equals(identity.address().toString())) {
        throw new KeyFileException(hostFile + ": hostname does not match the secret key");
      }
    }
    if (!Ed25519Math.isValidPublicKey(identity.publicKey())) {
      throw new KeyFileException(dir + ": secret key gives an invalid public key");
    }
    return identity;
  }

  /** Whether {@code dir} holds a secret key file. */
  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(SECRET_KEY_FILE));
  }

  private static byte[] tagged(String tag, byte[] body) {
    byte[] out = new byte[HEADER_LENGTH + body.length];
    byte[] t = tag.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(t, 0, out, 0, t.length);
    System.arraycopy(body, 0, out, HEADER_LENGTH, body.length);
    return out;
  }

  private static byte[] readTagged(Path file, String tag, int bodyLength) throws KeyFileException {
    byte[] all;
    try {
      if (!Files.isRegularFile(file)) {
        throw new KeyFileException(file + ": missing");
      }
      if (Files.size(file) != HEADER_LENGTH + bodyLength) {
        throw new KeyFileException(
            file + ": must be " + (HEADER_LENGTH + bodyLength) + " bytes, is " + Files.size(file));
      }
      all = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new KeyFileException(file + ": cannot be read: " + e.getMessage(), e);
    }
    byte[] expected = tagged(tag, new byte[0]);
    if (!Arrays.equals(Arrays.copyOf(all, HEADER_LENGTH), expected)) {
      throw new KeyFileException(file + ": header is not '" + tag + "'");
    }
    byte[] body = Arrays.copyOfRange(all, HEADER_LENGTH, all.length);
    Arrays.fill(all, (byte) 0);
    return body;
  }

  static String readSmall(Path file, int max) throws KeyFileException {
    try {
      if (Files.size(file) > max) {
        throw new KeyFileException(file + ": larger than " + max + " bytes");
      }
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new KeyFileException(file + ": cannot be read: " + e.getMessage(), e);
    }
  }

  /** Creates {@code dir} with mode 0700 (tor refuses group- or world-readable key dirs). */
  static void createPrivateDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
  }

  /** Creates {@code dir} with mode 0700 if it does not exist; an existing one is left as it is. */
  static void ensureDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
  }

  /** Writes a 0600 file via a temporary name, fsync and rename. */
  static void writeAtomically(Path target, byte[] content) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (var channel =
        java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(content));
      channel.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
