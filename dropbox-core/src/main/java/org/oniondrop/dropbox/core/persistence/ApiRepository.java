package org.oniondrop.dropbox.core.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.oniondrop.dropbox.core.view.ApiRows.JournalistRow;
import org.oniondrop.dropbox.core.view.ApiRows.ReplyRow;
import org.oniondrop.dropbox.core.view.ApiRows.SourceRow;
import org.oniondrop.dropbox.core.view.ApiRows.SubmissionRow;

/**
 * The Journalist API's read queries, in one place. Each listing is a fixed number of set queries
 * (never one per source or item), so listing 10,000 sources costs the same handful of round trips
 * as listing one; results are flat projections ({@link org.oniondrop.dropbox.core.view.ApiRows}),
 * so no lazy entity is touched after its transaction. The transaction is the caller's ({@code
 * ApiReads}).
 */
@ApplicationScoped
public class ApiRepository {

  @Inject EntityManager em;

  private static final String SOURCE_ROW =
      "select new org.oniondrop.dropbox.core.view.ApiRows$SourceRow(s.id, s.uuid,"
          + " s.filesystemId, s.designation, s.lastUpdated, s.interactionCount, s.starred,"
          + " s.replyPublicKey, s.replyKeyFingerprint) from Source s";
  private static final String SUBMISSION_ROW =
      "select new org.oniondrop.dropbox.core.view.ApiRows$SubmissionRow(x.id, x.uuid,"
          + " x.source.uuid, x.source.id, x.filename, x.kind, x.size, x.sha256, x.downloaded)"
          + " from Submission x";
  private static final String REPLY_ROW =
      "select new org.oniondrop.dropbox.core.view.ApiRows$ReplyRow(r.id, r.uuid,"
          + " r.source.uuid, r.source.id, r.filename, r.size, r.sha256, r.deletedBySource,"
          + " a.id) from Reply r left join r.journalist a";
  private static final String JOURNALIST_ROW =
      "select new org.oniondrop.dropbox.core.view.ApiRows$JournalistRow(j.id, j.uuid,"
          + " j.username, j.firstName, j.lastName, j.admin, j.lastAccess) from Journalist j";

  /** Sources that finished their first submission, oldest first (SecureDrop's id order). */
  public List<SourceRow> sources() {
    return em.createQuery(SOURCE_ROW + " where s.pending = false order by s.id", SourceRow.class)
        .getResultList();
  }

  public Optional<SourceRow> source(String uuid) {
    if (uuid == null || uuid.length() > 36) {
      return Optional.empty();
    }
    return em.createQuery(SOURCE_ROW + " where s.pending = false and s.uuid = :u", SourceRow.class)
        .setParameter("u", uuid)
        .getResultStream()
        .findFirst();
  }

  /** Submissions of one source, or of all ({@code sourceId} null), in id order. */
  public List<SubmissionRow> submissions(Long sourceId) {
    return sourceId == null
        ? em.createQuery(SUBMISSION_ROW + " order by x.id", SubmissionRow.class).getResultList()
        : em.createQuery(
                SUBMISSION_ROW + " where x.source.id = :s order by x.id", SubmissionRow.class)
            .setParameter("s", sourceId)
            .getResultList();
  }

  public Optional<SubmissionRow> submission(long sourceId, String uuid) {
    return em.createQuery(
            SUBMISSION_ROW + " where x.source.id = :s and x.uuid = :u", SubmissionRow.class)
        .setParameter("s", sourceId)
        .setParameter("u", uuid)
        .getResultStream()
        .findFirst();
  }

  /** A submission by uuid, whichever source it belongs to (for {@code /seen}). */
  public Optional<SubmissionRow> submissionByUuid(String uuid) {
    return em.createQuery(SUBMISSION_ROW + " where x.uuid = :u", SubmissionRow.class)
        .setParameter("u", uuid)
        .getResultStream()
        .findFirst();
  }

  /** A reply by uuid, whichever source it belongs to. */
  public Optional<ReplyRow> replyByUuid(String uuid) {
    return em.createQuery(REPLY_ROW + " where r.uuid = :u", ReplyRow.class)
        .setParameter("u", uuid)
        .getResultStream()
        .findFirst();
  }

  /** Replies of one source, or of all, in id order. */
  public List<ReplyRow> replies(Long sourceId) {
    return sourceId == null
        ? em.createQuery(REPLY_ROW + " order by r.id", ReplyRow.class).getResultList()
        : em.createQuery(REPLY_ROW + " where r.source.id = :s order by r.id", ReplyRow.class)
            .setParameter("s", sourceId)
            .getResultList();
  }

  public Optional<ReplyRow> reply(long sourceId, String uuid) {
    return em.createQuery(REPLY_ROW + " where r.source.id = :s and r.uuid = :u", ReplyRow.class)
        .setParameter("s", sourceId)
        .setParameter("u", uuid)
        .getResultStream()
        .findFirst();
  }

  /** Every journalist, in id order (the system "deleted" user included, as SecureDrop does). */
  public List<JournalistRow> journalists() {
    return em.createQuery(JOURNALIST_ROW + " order by j.id", JournalistRow.class).getResultList();
  }

  /** Journalist uuids by id. */
  public Map<Long, JournalistRow> journalistsById() {
    Map<Long, JournalistRow> out = new HashMap<>();
    for (JournalistRow j : journalists()) {
      out.put(j.id(), j);
    }
    return out;
  }

  /** Who has seen each submission (of one source, or all): submission id -> journalist uuids. */
  public Map<Long, List<String>> submissionSeenBy(Long sourceId) {
    String q =
        "select v.submissionId, j.uuid from SeenSubmission v, Journalist j, Submission x"
            + " where j.id = v.journalistId and x.id = v.submissionId"
            + (sourceId == null ? "" : " and x.source.id = :s")
            + " order by v.submissionId, j.id";
    return seenMap(q, sourceId);
  }

  /** Who has seen each reply: reply id -> journalist uuids. */
  public Map<Long, List<String>> replySeenBy(Long sourceId) {
    String q =
        "select v.replyId, j.uuid from SeenReply v, Journalist j, Reply r"
            + " where j.id = v.journalistId and r.id = v.replyId"
            + (sourceId == null ? "" : " and r.source.id = :s")
            + " order by v.replyId, j.id";
    return seenMap(q, sourceId);
  }

  private Map<Long, List<String>> seenMap(String q, Long sourceId) {
    var query = em.createQuery(q, Object[].class);
    if (sourceId != null) {
      query.setParameter("s", sourceId);
    }
    Map<Long, List<String>> out = new HashMap<>();
    for (Object[] row : query.getResultList()) {
      out.computeIfAbsent((Long) row[0], k -> new ArrayList<>()).add((String) row[1]);
    }
    return out;
  }

  /** Per source id: {messages, documents}. */
  public Map<Long, long[]> counts() {
    Map<Long, long[]> out = new HashMap<>();
    for (Object[] row :
        em.createQuery(
                "select x.source.id, x.kind, count(x) from Submission x group by x.source.id, x.kind",
                Object[].class)
            .getResultList()) {
      long[] c = out.computeIfAbsent((Long) row[0], k -> new long[2]);
      c[row[1] == Submission.Kind.message ? 0 : 1] = (Long) row[2];
    }
    return out;
  }

  /** Whether a uuid names a submission or a reply already (reply uuids are chosen by clients). */
  public boolean itemUuidTaken(String uuid) {
    return !em.createQuery("select x.id from Submission x where x.uuid = :u")
            .setParameter("u", uuid)
            .getResultList()
            .isEmpty()
        || !em.createQuery("select r.id from Reply r where r.uuid = :u")
            .setParameter("u", uuid)
            .getResultList()
            .isEmpty();
  }
}
