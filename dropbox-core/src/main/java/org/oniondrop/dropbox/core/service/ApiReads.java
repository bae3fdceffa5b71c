package org.oniondrop.dropbox.core.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.oniondrop.dropbox.core.persistence.ApiRepository;
import org.oniondrop.dropbox.core.view.ApiRows.JournalistRow;
import org.oniondrop.dropbox.core.view.ApiRows.ReplyRow;
import org.oniondrop.dropbox.core.view.ApiRows.SourceRow;
import org.oniondrop.dropbox.core.view.ApiRows.SubmissionRow;

/**
 * What the Journalist API reads, each read one short transaction over {@link ApiRepository}'s
 * projection queries: the API layer gets {@link org.oniondrop.dropbox.core.view.ApiRows} records,
 * never entities. Changes go through {@link ConversationService}.
 */
@ApplicationScoped
public class ApiReads {

  @Inject ApiRepository rows;
  @Inject JournalistService journalists;

  /** Sources that finished their first submission, oldest first (SecureDrop's id order). */
  @Transactional
  public List<SourceRow> sources() {
    return rows.sources();
  }

  /** A source that finished its first submission, by uuid (none for a malformed uuid). */
  @Transactional
  public Optional<SourceRow> source(String uuid) {
    return rows.source(uuid);
  }

  /** Submissions of one source, or of all ({@code sourceId} null), in id order. */
  @Transactional
  public List<SubmissionRow> submissions(Long sourceId) {
    return rows.submissions(sourceId);
  }

  @Transactional
  public Optional<SubmissionRow> submission(long sourceId, String uuid) {
    return rows.submission(sourceId, uuid);
  }

  /** A submission by uuid, whichever source it belongs to (for {@code /seen}). */
  @Transactional
  public Optional<SubmissionRow> submissionByUuid(String uuid) {
    return rows.submissionByUuid(uuid);
  }

  /** A reply by uuid, whichever source it belongs to. */
  @Transactional
  public Optional<ReplyRow> replyByUuid(String uuid) {
    return rows.replyByUuid(uuid);
  }

  /** Replies of one source, or of all, in id order. */
  @Transactional
  public List<ReplyRow> replies(Long sourceId) {
    return rows.replies(sourceId);
  }

  @Transactional
  public Optional<ReplyRow> reply(long sourceId, String uuid) {
    return rows.reply(sourceId, uuid);
  }

  /** Every journalist, in id order (the system "deleted" user included, as SecureDrop does). */
  @Transactional
  public List<JournalistRow> journalists() {
    return rows.journalists();
  }

  /** Every journalist by row id. */
  @Transactional
  public Map<Long, JournalistRow> journalistsById() {
    return rows.journalistsById();
  }

  /**
   * The system "deleted" user, the author of replies whose journalist was deleted (created on first
   * need, {@link JournalistService#deletedUser}).
   */
  @Transactional
  public JournalistRow deletedUser() {
    return Views.journalistRow(journalists.deletedUser());
  }

  /** Who has seen each submission (of one source, or all): submission id -> journalist uuids. */
  @Transactional
  public Map<Long, List<String>> submissionSeenBy(Long sourceId) {
    return rows.submissionSeenBy(sourceId);
  }

  /** Who has seen each reply: reply id -> journalist uuids. */
  @Transactional
  public Map<Long, List<String>> replySeenBy(Long sourceId) {
    return rows.replySeenBy(sourceId);
  }

  /** Per source id: {messages, documents}. */
  @Transactional
  public Map<Long, long[]> counts() {
    return rows.counts();
  }

  /** Whether a uuid names a submission or a reply already (reply uuids are chosen by clients). */
  @Transactional
  public boolean itemUuidTaken(String uuid) {
    return rows.itemUuidTaken(uuid);
  }
}
