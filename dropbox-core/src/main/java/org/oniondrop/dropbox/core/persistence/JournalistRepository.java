package org.oniondrop.dropbox.core.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;

/** The queries on {@link Journalist} accounts. */
@ApplicationScoped
public class JournalistRepository {

  @Inject EntityManager em;

  public Optional<Journalist> findByUsername(String username) {
    return Queries.first(
        em.createQuery("select j from Journalist j where j.username = :u", Journalist.class)
            .setParameter("u", username));
  }

  public Optional<Journalist> findByUuid(String uuid) {
    return Queries.first(
        em.createQuery("select j from Journalist j where j.uuid = :u", Journalist.class)
            .setParameter("u", uuid));
  }

  /** Every account but {@code username} (the system "deleted" user), by username. */
  public List<Journalist> findAllExcept(String username) {
    return em.createQuery(
            "select j from Journalist j where j.username <> :d order by j.username",
            Journalist.class)
        .setParameter("d", username)
        .getResultList();
  }

  public long countAdmins() {
    return em.createQuery("select count(j) from Journalist j where j.admin = true", Long.class)
        .getSingleResult();
  }

  /**
   * Sets the last TOTP step of account {@code id} to {@code step} if it is later than the stored
   * one, atomically in the database (a code is accepted once, even by two logins at the same time);
   * returns the rows changed, 1 or 0.
   */
  public int advanceTotpStep(Long id, long step) {
    return em.createQuery(
            "update Journalist j set j.totpLastStep = :step where j.id = :id"
                + " and (j.totpLastStep is null or j.totpLastStep < :step)")
        .setParameter("step", step)
        .setParameter("id", id)
        .executeUpdate();
  }
}
