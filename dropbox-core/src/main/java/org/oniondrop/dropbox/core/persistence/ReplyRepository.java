package org.oniondrop.dropbox.core.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;

/**
 * The queries on {@link Reply} and who has seen it ({@link SeenReply}). The source side only ever
 * finds a reply through its own source id, so one source can never name another's reply.
 */
@ApplicationScoped
public class ReplyRepository {

  @Inject EntityManager em;

  /** The replies of the source with row id {@code sourceId}, in no particular order. */
  public List<Reply> findBySource(Long sourceId) {
    return Queries.itemsOfSource(em, Reply.class, sourceId);
  }

  public Optional<Reply> findByUuid(String uuid) {
    return Queries.itemByUuid(em, Reply.class, uuid);
  }

  public boolean uuidTaken(String uuid) {
    return Queries.any(
        em.createQuery("select r.id from Reply r where r.uuid = :u", Long.class)
            .setParameter("u", uuid));
  }

  /** The reply {@code uuid} of source {@code sourceId}, with its author loaded. */
  public Optional<Reply> findBySourceAndUuid(Long sourceId, String uuid) {
    return Queries.first(
        em.createQuery(
                "select r from Reply r left join fetch r.journalist"
                    + " where r.source.id = :s and r.uuid = :u",
                Reply.class)
            .setParameter("s", sourceId)
            .setParameter("u", uuid));
  }

  /** The replies source {@code filesystemId} has not deleted, oldest first. */
  public List<Reply> findVisibleToSource(String filesystemId) {
    return em.createQuery(
            "select r from Reply r where r.source.filesystemId = :id and r.deletedBySource = false"
                + " order by r.createdAt, r.id",
            Reply.class)
        .setParameter("id", filesystemId)
        .getResultList();
  }

  /** The reply {@code uuid} of source {@code filesystemId}, if the source has not deleted it. */
  public Optional<Reply> findVisibleToSource(String filesystemId, String uuid) {
    return Queries.first(
        em.createQuery(
                "select r from Reply r where r.uuid = :u and r.source.filesystemId = :id"
                    + " and r.deletedBySource = false",
                Reply.class)
            .setParameter("u", uuid)
            .setParameter("id", filesystemId));
  }

  /** The reply {@code uuid} of source {@code filesystemId}, deleted by the source or not. */
  public Optional<Reply> findBySourceIdAndUuid(String filesystemId, String uuid) {
    return Queries.first(
        em.createQuery(
                "select r from Reply r where r.uuid = :u and r.source.filesystemId = :id",
                Reply.class)
            .setParameter("u", uuid)
            .setParameter("id", filesystemId));
  }

  public long countBySource(Source source) {
    return em.createQuery("select count(x) from Reply x where x.source = :s", Long.class)
        .setParameter("s", source)
        .getSingleResult();
  }

  /** The uuids of the journalists who have seen reply {@code replyId}. */
  public List<String> seenBy(Long replyId) {
    return em.createQuery(
            "select j.uuid from SeenReply v, Journalist j"
                + " where v.replyId = :id and j.id = v.journalistId",
            String.class)
        .setParameter("id", replyId)
        .getResultList();
  }

  /** Attributes every reply of {@code from} to {@code to}; returns how many. */
  public int reattribute(Journalist from, Journalist to) {
    return em.createQuery("update Reply r set r.journalist = :d where r.journalist = :j")
        .setParameter("d", to)
        .setParameter("j", from)
        .executeUpdate();
  }
}
