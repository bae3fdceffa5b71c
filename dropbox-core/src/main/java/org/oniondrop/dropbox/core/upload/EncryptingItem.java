package org.oniondrop.dropbox.core.upload;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.oniondrop.crypto.pgp.EncryptionCertificate;
import org.oniondrop.crypto.pgp.PgpEncryptor;
import org.oniondrop.dropbox.core.persistence.Submission;
import org.oniondrop.dropbox.core.service.FileNames;
import org.oniondrop.dropbox.core.service.SubmissionService;
import org.oniondrop.dropbox.core.store.EncryptedStore;
import org.oniondrop.dropbox.core.store.GzipContainer;

/**
 * One item of a submission being encrypted into its own temporary store file: plaintext -> gzip
 * (documents; the sanitized original name in its header) -> OpenPGP to the submission key -> the
 * store's pending write. Nothing is durable or visible until {@link
 * SubmissionService#storeSubmission} commits the sealed item with the rest of its form.
 *
 * <p>Not thread-safe: used from one upload lane.
 */
public final class EncryptingItem implements AutoCloseable {

  private final EncryptedStore.PendingWrite write;
  private final OutputStream message;
  private final GzipContainer gzip;
  private final Submission.Kind kind;
  private final String encryptedTo;
  private long plaintextBytes;
  private boolean done;

  private EncryptingItem(
      EncryptedStore store,
      EncryptionCertificate key,
      String sourceId,
      Submission.Kind kind,
      String originalName)
      throws IOException {
    this.kind = kind;
    this.encryptedTo = key.fingerprint().hex();
    this.write = store.begin(sourceId);
    try {
      PgpEncryptor encryptor = PgpEncryptor.to(key);
      if (kind == Submission.Kind.document) {
        String name = FileNames.sanitize(originalName);
        this.message = encryptor.withFileName(name + ".gz").open(write.stream());
        this.gzip = new GzipContainer(message, name);
      } else {
        this.message = encryptor.open(write.stream());
        this.gzip = null;
      }
    } catch (IOException | RuntimeException e) {
      write.abort();
      throw e;
    }
  }

  /** Starts a document named (inside the ciphertext only) after {@code originalName}. */
  public static EncryptingItem document(
      EncryptedStore store, EncryptionCertificate key, String sourceId, String originalName)
      throws IOException {
    return new EncryptingItem(store, key, sourceId, Submission.Kind.document, originalName);
  }

  /** Encrypts a whole message and seals it. */
  public static SubmissionService.Sealed message(
      EncryptedStore store, EncryptionCertificate key, String sourceId, String text)
      throws IOException {
    EncryptingItem item = new EncryptingItem(store, key, sourceId, Submission.Kind.message, null);
    try {
      item.write(text.getBytes(StandardCharsets.UTF_8));
      return item.seal();
    } catch (IOException | RuntimeException e) {
      item.abort();
      throw e;
    }
  }

  public void write(byte[] b) throws IOException {
    write(b, 0, b.length);
  }

  /** Encrypts more plaintext. */
  public void write(byte[] b, int off, int len) throws IOException {
    plaintextBytes += len;
    if (gzip != null) {
      gzip.write(b, off, len);
    } else {
      message.write(b, off, len);
    }
  }

  /** Plaintext bytes written so far. */
  public long plaintextBytes() {
    return plaintextBytes;
  }

  /** Finishes gzip and the OpenPGP message; the ciphertext is complete but not yet durable. */
  public SubmissionService.Sealed seal() throws IOException {
    done = true;
    try {
      if (gzip != null) {
        gzip.finish();
      }
      message.close();
    } catch (IOException | RuntimeException e) {
      write.abort();
      throw e;
    }
    return new SubmissionService.Sealed(
        write, kind == Submission.Kind.document, encryptedTo, plaintextBytes);
  }

  /** Discards the temporary file. Safe to call more than once. */
  public void abort() {
    done = true;
    write.abort();
  }

  @Override
  public void close() {
    if (!done) {
      abort();
    }
  }
}
