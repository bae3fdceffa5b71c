package org.oniondrop.dropbox.core.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.oniondrop.dropbox.core.store.EncryptedStore;

/**
 * What the admin status page and the info file say about the store (templates read it as {@code
 * inject:storeStatus}): how many files wait in the quarantine for an admin's decision.
 */
@Named("storeStatus")
@ApplicationScoped
public class StoreStatus {

  @Inject EncryptedStore store;

  /** Entries in {@code <data-dir>/quarantine} (orphans and pending deletions). */
  public int quarantined() {
    return store.quarantine().count();
  }
}
