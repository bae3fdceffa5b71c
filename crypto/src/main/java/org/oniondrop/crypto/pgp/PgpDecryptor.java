package org.oniondrop.crypto.pgp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.OpenPGPKeyReader;
import org.bouncycastle.openpgp.api.OpenPGPMessageInputStream;
import org.bouncycastle.openpgp.api.OpenPGPMessageProcessor;

/**
 * Decrypts OpenPGP messages with a secret key this server may hold: a source's reply key (unlocked
 * with the codename-derived passphrase) or, in tests and demo mode, a demo submission key. The
 * production submission key never reaches this class (design promise 2).
 *
 * <p>Output is bounded: a message longer than the given limit is refused, so a hostile message (say
 * a compression bomb) cannot exhaust memory. Integrity (MDC or AEAD) is checked by Bouncy Castle
 * when the message is read to its end; a failed check is a {@link PgpException}.
 */
public final class PgpDecryptor {

  /** Largest secret key accepted as input. */
  public static final int MAX_SECRET_KEY_BYTES = 64 * 1024;

  private PgpDecryptor() {}

  /** What a message held: its content and the file name of its literal data packet. */
  public record Decrypted(byte[] content, String fileName) {}

  /**
   * Decrypts {@code ciphertext} with {@code secretKey} unlocked by {@code passphrase} ({@code null}
   * for an unprotected key; not wiped).
   *
   * @throws PgpException if the key does not open the message, the passphrase is wrong, the message
   *     is damaged or fails its integrity check, or it holds more than {@code maxBytes}
   */
  public static Decrypted decrypt(
      byte[] secretKey, char[] passphrase, InputStream ciphertext, long maxBytes)
      throws PgpException {
    OpenPGPKey key = readKey(secretKey);
    OpenPGPMessageProcessor processor = new OpenPGPMessageProcessor();
    if (passphrase != null) {
      processor.addDecryptionKey(key, passphrase.clone());
    } else {
      processor.addDecryptionKey(key);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String fileName;
    try (OpenPGPMessageInputStream in = processor.process(ciphertext)) {
      byte[] buffer = new byte[8192];
      long total = 0;
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
        if (total > maxBytes) {
          throw new PgpException("message is larger than " + maxBytes + " bytes");
        }
        out.write(buffer, 0, n);
      }
      in.close();
      OpenPGPMessageInputStream.Result result = in.getResult();
      if (result.getSessionKey() == null) {
        throw new PgpException("message was not encrypted to this key");
      }
      fileName = result.getFilename();
    } catch (IOException | PGPException | RuntimeException e) {
      // Bouncy Castle reports damaged input and failed integrity checks with several types.
      throw new PgpException("could not decrypt the message: " + e.getMessage(), e);
    }
    return new Decrypted(out.toByteArray(), fileName == null ? "" : fileName);
  }

  /** Convenience for messages held in memory. */
  public static Decrypted decrypt(
      byte[] secretKey, char[] passphrase, byte[] ciphertext, long maxBytes) throws PgpException {
    return decrypt(secretKey, passphrase, new ByteArrayInputStream(ciphertext), maxBytes);
  }

  private static OpenPGPKey readKey(byte[] secretKey) throws PgpException {
    if (secretKey.length > MAX_SECRET_KEY_BYTES) {
      throw new PgpException("secret key input is larger than " + MAX_SECRET_KEY_BYTES + " bytes");
    }
    try {
      return new OpenPGPKeyReader().parseKey(secretKey);
    } catch (IOException | RuntimeException e) {
      throw new PgpException("not an OpenPGP secret key", e);
    }
  }
}
