package org.oniondrop.dropbox.core.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.logging.Logger;
import org.oniondrop.crypto.pgp.EncryptionCertificate;
import org.oniondrop.dropbox.core.persistence.Source;
import org.oniondrop.dropbox.core.persistence.Submission;
import org.oniondrop.dropbox.core.store.EncryptedStore;
import org.oniondrop.dropbox.core.store.GzipContainer;

/**
 * Stores messages and documents (design promises 1 and 7): plaintext streams straight into gzip
 * (documents) and OpenPGP to the submission key, into a temporary file that is fsynced and renamed;
 * only then is the database row committed. A failure at any step leaves neither file nor row.
 */
@ApplicationScoped
public class SubmissionService {

  private static final Logger LOG = Logger.getLogger(SubmissionService.class.getName());

  @Inject DropboxCrypto crypto;
  @Inject EntityManager em;
  @Inject Clock clock;
  @Inject DatabaseDurability durability;

  /** A document being received: write plaintext, then {@link #commit()} or {@link #abort()}. */
  public final class DocumentUpload implements AutoCloseable {
    private final String sourceId;
    private final EncryptedStore.PendingWrite write;
    private final OutputStream message;
    private final GzipContainer gzip;
    private final String encryptedTo;
    private boolean done;

    DocumentUpload(String sourceId, String originalName) throws IOException {
      this.sourceId = sourceId;
      EncryptionCertificate key = crypto.submissionKey();
      this.encryptedTo = key.fingerprint().hex();
      String name = FileNames.sanitize(originalName);
      this.write = crypto.store().begin(sourceId);
      try {
        this.message = crypto.toSubmissionKey().withFileName(name + ".gz").open(write.stream());
        this.gzip = new GzipContainer(message, name);
      } catch (IOException | RuntimeException e) {
        write.abort();
        throw e;
      }
    }

    /** Where the plaintext goes; nothing written here reaches disk unencrypted. */
    public OutputStream plaintext() {
      return gzip;
    }

    /** Finishes the ciphertext, makes it durable, and commits the row. */
    public Submission commit() throws IOException {
      done = true;
      try {
        gzip.finish();
        message.close();
      } catch (IOException | RuntimeException e) {
        write.abort();
        throw e;
      }
      return store(sourceId, write, Submission.Kind.document, "doc.gz", encryptedTo);
    }

    /** Discards everything written so far. */
    public void abort() {
      if (!done) {
        done = true;
        write.abort();
      }
    }

    @Override
    public void close() {
      abort();
    }
  }

  /** Starts receiving a document for {@code sourceId}. */
  public DocumentUpload beginDocument(String sourceId, String originalName) throws IOException {
    return new DocumentUpload(sourceId, originalName);
  }

  /** Encrypts and stores a message. */
  public Submission storeMessage(String sourceId, String text) throws IOException {
    EncryptionCertificate key = crypto.submissionKey();
    EncryptedStore.PendingWrite write = crypto.store().begin(sourceId);
    try {
      try (OutputStream message = crypto.toSubmissionKey().open(write.stream())) {
        message.write(text.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException | RuntimeException e) {
      write.abort();
      throw e;
    }
    return store(sourceId, write, Submission.Kind.message, "msg", key.fingerprint().hex());
  }

  /**
   * Names, renames and syncs the file, then commits the row in one transaction that also bumps the
   * source's interaction count; if the transaction fails the file is deleted again.
   */
  private Submission store(
      String sourceId,
      EncryptedStore.PendingWrite write,
      Submission.Kind kind,
      String suffix,
      String encryptedTo)
      throws IOException {
    String[] committedName = new String[1];
    Submission committed;
    try {
      committed =
          QuarkusTransaction.requiringNew()
              .call(
                  () -> {
                    Source source =
                        em.createQuery(
                                "select s from Source s where s.filesystemId = :id", Source.class)
                            .setParameter("id", sourceId)
                            .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                            .getSingleResult();
                    int n = source.interactionCount + 1;
                    String filename =
                        n
                            + "-"
                            + FileNames.journalistFilename(source.designation)
                            + "-"
                            + suffix
                            + ".gpg";
                    EncryptedStore.Stored stored = write.commit(filename);
                    committedName[0] = filename;
                    Submission s = new Submission();
                    s.uuid = UUID.randomUUID().toString();
                    s.source = source;
                    s.filename = stored.filename();
                    s.kind = kind;
                    s.size = stored.size();
                    s.sha256 = stored.sha256();
                    s.encryptedTo = encryptedTo;
                    Instant now = clock.instant();
                    s.createdAt = now;
                    s.downloaded = false;
                    em.persist(s);
                    source.interactionCount = n;
                    source.pending = false;
                    source.lastUpdated = now;
                    return s;
                  });
    } catch (RuntimeException e) {
      write.abort();
      if (committedName[0] != null) {
        crypto.store().delete(sourceId, committedName[0]);
      }
      LOG.warning("a submission could not be committed: " + e.getClass().getSimpleName());
      throw new IOException("the submission could not be stored", e);
    }
    // Acknowledged means on disk: the file and its directory were fsynced before the commit, and
    // the commit itself must be on disk before the caller tells the source.
    durability.syncAfterCommit();
    return committed;
  }
}
