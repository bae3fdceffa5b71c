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

  @Inject EncryptedStore store;
  @Inject TransactionSynchronizationRegistry registry;

  /** Deletes {@code filename} of {@code sourceId} when the current transaction commits. */
  public void deleteOnCommit(String sourceId, String filename) {
    if (store.markDeleting(sourceId, filename)) {
      pending(store).files.add(new String[] {sourceId, filename});
    }
  }

  /**
   * Deletes every finished file of {@code sourceId}, and its directory once empty, when the current
   * transaction (which deletes the source's rows) commits.
   */
  public void deleteSourceOnCommit(String sourceId) {
    Pending p = pending(store);
    for (String name : store.files(sourceId)) {
      if (store.markDeleting(sourceId, name)) {
        p.files.add(new String[] {sourceId, name});
      }
    }
    p.dirs.add(sourceId);
  }

  /** What one transaction deletes: files first, then the emptied source directories. */
  private static final class Pending {
    final java.util.List<String[]> files = new java.util.ArrayList<>();
    final java.util.Set<String> dirs = new java.util.LinkedHashSet<>();
  }

  private static final Object PENDING_KEY = new Object();

  /**
   * The transaction's pending deletions, with ONE synchronization that, after the commit, destroys
   * every set-aside file and then removes the emptied source directories (the order of several
   * interposed synchronizations is not specified), and after a rollback renames the files back.
   */
  private Pending pending(EncryptedStore store) {
    Pending existing = (Pending) registry.getResource(PENDING_KEY);
    if (existing != null) {
      return existing;
    }
    Pending p = new Pending();
    registry.putResource(PENDING_KEY, p);
    registry.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            boolean committed = status == Status.STATUS_COMMITTED;
            for (String[] f : p.files) {
              try {
                if (committed) {
                  store.finishDeleting(f[0], f[1]);
                } else {
                  store.cancelDeleting(f[0], f[1]);
                }
              } catch (StoreException e) {
                // The next start finishes it (quarantine, pending deletion) or renames it back.
                LOG.warning("a deletion could not be completed now: " + e.getMessage());
              }
            }
            if (committed) {
              for (String dir : p.dirs) {
                try {
                  store.removeSourceDirIfEmpty(dir);
                } catch (StoreException e) {
                  LOG.warning("a source directory could not be removed now: " + e.getMessage());
                }
              }
            }
          }
        });
    return p;
  }
}
