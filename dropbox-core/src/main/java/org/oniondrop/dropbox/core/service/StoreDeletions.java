package org.oniondrop.dropbox.core.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.logging.Logger;
import org.oniondrop.dropbox.core.store.EncryptedStore;
import org.oniondrop.dropbox.core.store.StoreException;

/**
 * Crash-safe deletion of stored files, tied to the current transaction: the file is set aside now
 * ({@link EncryptedStore#markDeleting}), and destroyed only after the transaction that deletes its
 * row has committed; a rollback gives it its name back. A crash between the commit and the
 * destruction leaves a set-aside file without a row, which the next start moves to the quarantine
 * as a pending deletion (purge only, never resurrected); a crash before the commit leaves the row,
 * and the next start renames the file back.
 */
@ApplicationScoped
public class StoreDeletions {

  private static final Logger LOG = Logger.getLogger(StoreDeletions.class.getName());

  @Inject DropboxCrypto crypto;
  @Inject TransactionSynchronizationRegistry registry;

  /** Deletes {@code filename} of {@code sourceId} when the current transaction commits. */
  public void deleteOnCommit(String sourceId, String filename) {
    EncryptedStore store = crypto.store();
    if (!store.markDeleting(sourceId, filename)) {
      return;
    }
    registry.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            try {
              if (status == Status.STATUS_COMMITTED) {
                store.finishDeleting(sourceId, filename);
              } else {
                store.cancelDeleting(sourceId, filename);
              }
            } catch (StoreException e) {
              // The next start finishes it (quarantine, pending deletion) or renames it back.
              LOG.warning("a deletion could not be completed now: " + e.getMessage());
            }
          }
        });
  }

  /**
   * Deletes every finished file of {@code sourceId}, and its directory once empty, when the current
   * transaction (which deletes the source's rows) commits.
   */
  public void deleteSourceOnCommit(String sourceId) {
    EncryptedStore store = crypto.store();
    for (String name : store.files(sourceId)) {
      deleteOnCommit(sourceId, name);
    }
    registry.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
              try {
                store.removeSourceDirIfEmpty(sourceId);
              } catch (StoreException e) {
                LOG.warning("a source directory could not be removed now: " + e.getMessage());
              }
            }
          }
        });
  }
}
