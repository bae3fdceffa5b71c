package org.oniondrop.dropbox.core.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The queries on {@link Source}. Callers hold the transaction; nothing here starts one. A source is
 * found by its derived source id ({@code filesystemId}, the source side) or by its uuid (the
 * journalist side): never by anything a codename could be recovered from.
 */
@ApplicationScoped
public class SourceRepository {

  /** A uuid's length; longer input cannot name a source and is not queried. */
  static final int MAX_UUID = 36;

  /**
   * The entities whose rows name a file in a source's store directory; the entity names are
   * constants, never input.
   */
  private static final List<String> ITEM_ENTITIES = List.of("Submission", "Reply");

  @Inject EntityManager em;

  /** The source whose source id is {@code filesystemId}. */
  public Optional<Source> findByFilesystemId(String filesystemId) {
    return Queries.first(
        em.createQuery("select s from Source s where s.filesystemId = :id", Source.class)
            .setParameter("id", filesystemId));
  }

  /**
   * The source {@code filesystemId}, its row locked for writing until the transaction ends: the one
   * way to number its next submission or reply (interaction counts never collide).
   *
   * @throws jakarta.persistence.NoResultException if there is none
   */
  public Source lockByFilesystemId(String filesystemId) {
    return em.createQuery("select s from Source s where s.filesystemId = :id", Source.class)
        .setParameter("id", filesystemId)
        .setLockMode(LockModeType.PESSIMISTIC_WRITE)
        .getSingleResult();
  }

  public boolean existsByFilesystemId(String filesystemId) {
    return Queries.any(
        em.createQuery("select s.id from Source s where s.filesystemId = :id", Long.class)
            .setParameter("id", filesystemId));
  }

  /** The source {@code uuid}; empty for an unknown or over-long one. */
  public Optional<Source> findByUuid(String uuid) {
    if (uuid == null || uuid.length() > MAX_UUID) {
      return Optional.empty();
    }
    return Queries.first(
        em.createQuery("select s from Source s where s.uuid = :u", Source.class)
            .setParameter("u", uuid));
  }

  public boolean designationTaken(String designation) {
    return Queries.any(
        em.createQuery("select s.id from Source s where s.designation = :d", Long.class)
            .setParameter("d", designation));
  }

  /**
   * Sources that submitted something whose designation contains {@code fragment} (lower case; the
   * wildcards {@code %} and {@code _} are dropped from it), starred first, then the most recently
   * active.
   */
  public List<Source> findSubmittedByDesignation(String fragment) {
    return em.createQuery(
            "select s from Source s where s.pending = false and lower(s.designation) like :f"
                + " order by s.starred desc, s.lastUpdated desc",
            Source.class)
        .setParameter("f", "%" + fragment.replace("%", "").replace("_", "") + "%")
        .getResultList();
  }

  /** The sources that submitted something among {@code uuids}, most recently active first. */
  public List<Source> findSubmittedByUuids(Collection<String> uuids) {
    return em.createQuery(
            "select s from Source s where s.pending = false and s.uuid in :u"
                + " order by s.lastUpdated desc",
            Source.class)
        .setParameter("u", uuids)
        .getResultList();
  }

  /** How many rows of {@code source} (submissions and replies) name {@code filename}. */
  public long countItemsNaming(Source source, String filename) {
    long n = 0;
    for (String entity : ITEM_ENTITIES) {
      n +=
          em.createQuery(
                  "select count(i) from " + entity + " i where i.source = :s and i.filename = :f",
                  Long.class)
              .setParameter("s", source)
              .setParameter("f", filename)
              .getSingleResult();
    }
    return n;
  }

  /** Every file a row names, submissions and replies, as {@code <source id>/<filename>}. */
  public List<String> itemFiles() {
    List<String> files = new ArrayList<>();
    for (String entity : ITEM_ENTITIES) {
      for (Object[] row :
          em.createQuery(
                  "select i.source.filesystemId, i.filename from " + entity + " i", Object[].class)
              .getResultList()) {
        files.add(row[0] + "/" + row[1]);
      }
    }
    return files;
  }

  /** Every source id: the store directories that belong to a row. */
  public List<String> allFilesystemIds() {
    return em.createQuery("select s.filesystemId from Source s", String.class).getResultList();
  }
}
