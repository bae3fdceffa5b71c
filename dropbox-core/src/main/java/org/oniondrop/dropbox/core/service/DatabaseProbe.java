package org.oniondrop.dropbox.core.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * The readiness check's question to the database, here so that the server module holds no query of
 * its own (issue 16: JPQL and SQL live in dropbox-core; {@code NoEntitiesInServerLayerTest}).
 */
@ApplicationScoped
public class DatabaseProbe {

  @Inject EntityManager em;

  /**
   * One round trip ({@code select 1}) in the caller's transaction; throws if the database does not
   * answer.
   */
  public void ping() {
    em.createNativeQuery("select 1").getSingleResult();
  }
}
