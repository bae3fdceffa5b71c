package org.oniondrop.dropbox.core.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;

/** The queries on {@link Submission} and who has seen it ({@link SeenSubmission}). */
@ApplicationScoped
public class SubmissionRepository {

  @Inject EntityManager em;

  /** The submissions of the source with row id {@code sourceId}, in no particular order. */
  public List<Submission> findBySource(Long sourceId) {
    return Queries.itemsOfSource(em, Submission.class, sourceId);
  }

  public Optional<Submission> findByUuid(String uuid) {
    return Queries.itemByUuid(em, Submission.class, uuid);
  }

  /** The submission {@code uuid} of source {@code sourceId} (another source's uuid: empty). */
  public Optional<Submission> findBySourceAndUuid(Long sourceId, String uuid) {
    return Queries.first(
        em.createQuery(
                "select x from Submission x where x.source.id = :s and x.uuid = :u",
                Submission.class)
            .setParameter("s", sourceId)
            .setParameter("u", uuid));
  }

  public long countBySourceAndKind(Source source, Submission.Kind kind) {
    return em.createQuery(
            "select count(x) from Submission x where x.source = :s and x.kind = :k", Long.class)
        .setParameter("s", source)
        .setParameter("k", kind)
        .getSingleResult();
  }

  /**
   * The submissions of {@code source} the journalist with row id {@code journalistId} has not seen.
   */
  public long countUnseenBy(Source source, Long journalistId) {
    return em.createQuery(
            "select count(x) from Submission x where x.source = :s and not exists"
                + " (select 1 from SeenSubmission v where v.submissionId = x.id"
                + " and v.journalistId = :j)",
            Long.class)
        .setParameter("s", source)
        .setParameter("j", journalistId)
        .getSingleResult();
  }

  /** The uuids of the journalists who have seen submission {@code submissionId}. */
  public List<String> seenBy(Long submissionId) {
    return em.createQuery(
            "select j.uuid from SeenSubmission v, Journalist j"
                + " where v.submissionId = :id and j.id = v.journalistId",
            String.class)
        .setParameter("id", submissionId)
        .getResultList();
  }
}
