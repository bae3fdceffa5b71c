package org.oniondrop.dropbox.core.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;
import org.oniondrop.dropbox.core.persistence.Source;
import org.oniondrop.dropbox.core.persistence.SourceRepository;
import org.oniondrop.dropbox.core.persistence.Submission;
import org.oniondrop.dropbox.core.store.EncryptedStore;
import org.oniondrop.dropbox.core.upload.EncryptingItem;

/**
 * Stores messages and documents (design promises 1 and 7): plaintext streams straight into gzip
 * (documents) and OpenPGP to the submission key, into a temporary file that is fsynced and renamed;
 * only then is the database row committed. A failure at any step leaves neither file nor row.
 */
@ApplicationScoped
public class SubmissionService {

  private static final Logger LOG = Logger.getLogger(SubmissionService.class.getName());

  @Inject SubmissionKeys submissionKeys;
  @Inject EncryptedStore store;
  @Inject EntityManager em;
  @Inject SourceRepository sourceRows;
  @Inject Clock clock;
  @Inject DatabaseDurability durability;

  /**
   * A finished ciphertext waiting in the store's temporary file: {@link #storeSubmission} makes it
   * durable and visible, or it is aborted.
   */
  public record Sealed(
      EncryptedStore.PendingWrite write,
      boolean document,
      String encryptedTo,
      long plaintextBytes) {
    public void abort() {
      write.abort();
    }

    @Override
    public String toString() {
      return "Sealed[" + (document ? "document" : "message") + "]";
    }
  }

  /** A document being received: write plaintext, then {@link #commit()} or {@link #abort()}. */
  public final class DocumentUpload implements AutoCloseable {
    private final String sourceId;
    private final EncryptingItem item;

    DocumentUpload(String sourceId, String originalName) throws IOException {
      this.sourceId = sourceId;
      this.item = EncryptingItem.document(store, submissionKeys.current(), sourceId, originalName);
    }

    /** Where the plaintext goes; nothing written here reaches disk unencrypted. */
    public OutputStream plaintext() {
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          item.write(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          item.write(b, off, len);
        }
      };
    }

    /** Finishes the ciphertext, makes it durable, and commits the row; returns its uuid. */
    public String commit() throws IOException {
      return storeSubmission(sourceId, List.of(item.seal())).get(0);
    }

    /** Discards everything written so far. */
    public void abort() {
      item.close();
    }

    @Override
    public void close() {
      abort();
    }
  }

  /** Starts receiving a document for {@code sourceId} (a form of one item). */
  public DocumentUpload beginDocument(String sourceId, String originalName) throws IOException {
    return new DocumentUpload(sourceId, originalName);
  }

  /** Encrypts and stores a message (a form of one item); returns its uuid. */
  public String storeMessage(String sourceId, String text) throws IOException {
    SubmissionService.Sealed sealed =
        EncryptingItem.message(store, submissionKeys.current(), sourceId, text);
    return storeSubmission(sourceId, List.of(sealed)).get(0);
  }

  /**
   * Stores every item of one form together or none of them (issue 14, promise 7): inside one
   * transaction that locks the source row, each item is numbered, fsynced, renamed and its
   * directory synced, then its row persisted; the commit makes all of them visible at once. If
   * anything fails, every temporary file is discarded, every file already renamed is deleted again,
   * and no row is committed.
   *
   * @return the stored submissions' uuids, in the order given
   * @throws IOException if nothing was stored
   */
  public List<String> storeSubmission(String sourceId, List<Sealed> items) throws IOException {
    if (items.isEmpty()) {
      throw new IllegalArgumentException("a submission has at least one item");
    }
    List<String> renamed = new ArrayList<>();
    List<String> committed;
    try {
      committed =
          QuarkusTransaction.requiringNew()
              .call(
                  () -> {
                    Source source = sourceRows.lockByFilesystemId(sourceId);
                    Instant now = clock.instant();
                    int n = source.interactionCount;
                    List<String> stored = new ArrayList<>();
                    for (Sealed item : items) {
                      n++;
                      String suffix = item.document() ? "doc.gz" : "msg";
                      String filename =
                          n
                              + "-"
                              + FileNames.journalistFilename(source.designation)
                              + "-"
                              + suffix
                              + ".gpg";
                      EncryptedStore.Stored file = item.write().commit(filename);
                      renamed.add(filename);
                      Submission s = new Submission();
                      s.uuid = UUID.randomUUID().toString();
                      s.source = source;
                      s.filename = file.filename();
                      s.kind = item.document() ? Submission.Kind.document : Submission.Kind.message;
                      s.size = file.size();
                      s.sha256 = file.sha256();
                      s.encryptedTo = item.encryptedTo();
                      s.createdAt = now;
                      s.downloaded = false;
                      em.persist(s);
                      stored.add(s.uuid);
                    }
                    source.interactionCount = n;
                    source.pending = false;
                    source.lastUpdated = now;
                    return stored;
                  });
    } catch (RuntimeException e) {
      items.forEach(Sealed::abort);
      for (String name : renamed) {
        try {
          store.delete(sourceId, name);
        } catch (RuntimeException deleteFailed) {
          // the janitor's start-up pass finds the row-less file
          e.addSuppressed(deleteFailed);
        }
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
