package org.oniondrop.dropbox.core.service;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Logger;
import org.oniondrop.dropbox.core.persistence.SourceRepository;
import org.oniondrop.dropbox.core.store.EncryptedStore;

/**
 * At start-up, repairs what a crash left in the store without ever destroying ciphertext (see
 * {@link EncryptedStore#cleanup}): temporary {@code .part} files are removed; finished files
 * without a database row move to the quarantine, where an admin restores or purges them ({@code
 * oniondrop store quarantine}). An empty or wrong database therefore quarantines the store instead
 * of wiping it.
 */
@ApplicationScoped
public class StoreJanitor {

  private static final Logger LOG = Logger.getLogger(StoreJanitor.class.getName());

  @Inject EncryptedStore store;
  @Inject SourceRepository sourceRows;

  private volatile EncryptedStore.Cleanup last;

  /** Runs before the rest of start-up (FirstRun's info file counts the quarantine). */
  @Transactional
  void onStart(
      @Observes
          @jakarta.annotation.Priority(jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE)
          StartupEvent event) {
    run();
  }

  /** Runs the repair once (start-up; also used by tests). */
  @Transactional
  public EncryptedStore.Cleanup run() {
    Set<String> known = new HashSet<>(sourceRows.itemFiles());
    Set<String> sources = new HashSet<>(sourceRows.allFilesystemIds());
    EncryptedStore.Cleanup c =
        store.cleanup(
            (sourceId, name) ->
                name == null ? sources.contains(sourceId) : known.contains(sourceId + "/" + name));
    last = c;
    if (c.tempRemoved() > 0) {
      LOG.info("removed " + c.tempRemoved() + " unfinished temporary files from the store");
    }
    if (c.undeleted() > 0) {
      LOG.info(c.undeleted() + " files whose deletion was not committed got their names back");
    }
    if (c.quarantined() > 0 || c.deletionsPending() > 0) {
      LOG.warning(
          "moved "
              + c.quarantined()
              + " files without a database row and "
              + c.deletionsPending()
              + " interrupted deletions to the quarantine; nothing was deleted: see"
              + " 'oniondrop store quarantine list'");
    }
    int total = store.quarantine().count();
    if (total > 0) {
      LOG.warning(total + " files wait in the quarantine for an admin (restore or purge)");
    }
    return c;
  }

  /** What the last run did (null before the first). */
  public EncryptedStore.Cleanup last() {
    return last;
  }
}
