package org.oniondrop.dropbox.core.service;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * At start-up, removes what a crash left in the store: temporary files, and files whose database
 * row was never committed (the source was never told they were received).
 */
@ApplicationScoped
public class StoreJanitor {

  private static final Logger LOG = Logger.getLogger(StoreJanitor.class.getName());

  @Inject DropboxCrypto crypto;
  @Inject EntityManager em;

  @Transactional
  void onStart(@Observes StartupEvent event) {
    Set<String> known = new HashSet<>();
    for (String q :
        List.of(
            "select s.source.filesystemId, s.filename from Submission s",
            "select r.source.filesystemId, r.filename from Reply r")) {
      for (Object[] row : em.createQuery(q, Object[].class).getResultList()) {
        known.add(row[0] + "/" + row[1]);
      }
    }
    int removed = crypto.store().cleanup((sourceId, name) -> known.contains(sourceId + "/" + name));
    if (removed > 0) {
      LOG.info("removed " + removed + " unacknowledged or temporary files from the store");
    }
  }
}
