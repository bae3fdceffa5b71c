package org.oniondrop.dropbox.core.persistence;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.util.List;
import java.util.Optional;

/** The two ways the repositories read a result that may be absent. */
final class Queries {

  private Queries() {}

  /** The first row of {@code query}, if any (the repositories only ask this of unique keys). */
  static <T> Optional<T> first(TypedQuery<T> query) {
    return query.getResultList().stream().findFirst();
  }

  /**
   * The items ({@link Submission}s or {@link Reply}s) of the source with row id {@code sourceId},
   * in no particular order.
   */
  static <T> List<T> itemsOfSource(EntityManager em, Class<T> item, Long sourceId) {
    return em.createQuery(
            "select i from " + item.getSimpleName() + " i where i.source.id = :s", item)
        .setParameter("s", sourceId)
        .getResultList();
  }

  /** The item ({@link Submission} or {@link Reply}) {@code uuid}. */
  static <T> Optional<T> itemByUuid(EntityManager em, Class<T> item, String uuid) {
    return first(
        em.createQuery("select i from " + item.getSimpleName() + " i where i.uuid = :u", item)
            .setParameter("u", uuid));
  }

  /** Whether {@code query} has a row; reads one at most. */
  static boolean any(TypedQuery<?> query) {
    return !query.setMaxResults(1).getResultList().isEmpty();
  }
}
