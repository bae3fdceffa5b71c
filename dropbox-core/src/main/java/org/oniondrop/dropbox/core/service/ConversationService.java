package org.oniondrop.dropbox.core.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.oniondrop.dropbox.core.persistence.Journalist;
import org.oniondrop.dropbox.core.persistence.Reply;
import org.oniondrop.dropbox.core.persistence.ReplyRepository;
import org.oniondrop.dropbox.core.persistence.SeenReply;
import org.oniondrop.dropbox.core.persistence.SeenSubmission;
import org.oniondrop.dropbox.core.persistence.Source;
import org.oniondrop.dropbox.core.persistence.SourceRepository;
import org.oniondrop.dropbox.core.persistence.Submission;
import org.oniondrop.dropbox.core.persistence.SubmissionRepository;
import org.oniondrop.dropbox.core.store.EncryptedStore;
import org.oniondrop.dropbox.core.view.JournalistView;
import org.oniondrop.dropbox.core.view.SourceView;

/** What journalists do with sources: list, read, mark seen, star, delete, reply. */
@ApplicationScoped
public class ConversationService {

  /** Longest designation filter accepted. */
  public static final int MAX_FILTER = 64;

  /** Items (or sources) one request may name; more are ignored (a page shows far fewer). */
  public static final int MAX_SELECTED = 10_000;

  /** Which items of a conversation an action applies to (SecureDrop's index and col pages). */
  public enum Selection {
    /** The items the journalist ticked. */
    CHOSEN,
    /** Submissions this journalist has not seen (replies are never "unread"). */
    UNREAD,
    /** Everything: submissions and replies. */
    ALL
  }

  @Inject EntityManager em;
  @Inject SourceRepository sourceRows;
  @Inject SubmissionRepository submissionRows;
  @Inject ReplyRepository replyRows;
  @Inject EncryptedStore store;
  @Inject ReplyService replies;
  @Inject StoreDeletions deletions;
  @Inject JournalistService journalists;

  /** A source row of the journalist's list. */
  public record SourceSummary(
      String uuid,
      String designation,
      Instant lastUpdated,
      boolean starred,
      int interactionCount,
      long messages,
      long documents,
      long replies,
      long unreadForMe) {}

  /** A reply an API client encrypted, as stored. */
  public record StoredReply(String uuid, String filename) {}

  /** One item of a conversation. */
  public record Item(
      String kind,
      String uuid,
      String filename,
      long size,
      String sha256,
      Instant createdAt,
      boolean seenByMe,
      boolean seenByAnyone,
      List<String> seenBy,
      String journalistUsername) {

    public boolean isReply() {
      return kind.equals("reply");
    }

    public int number() {
      return Integer.parseInt(filename.substring(0, filename.indexOf('-')));
    }
  }

  /**
   * Sources that submitted something, starred first, then the most recently active, optionally
   * filtered by designation; the unread counts are {@code me}'s (none when {@code me} is null).
   */
  @Transactional
  public List<SourceSummary> sources(JournalistView me, String filter) {
    String f = filter == null ? "" : filter.strip().toLowerCase(Locale.ROOT);
    if (f.length() > MAX_FILTER) {
      f = f.substring(0, MAX_FILTER);
    }
    List<Source> found = sourceRows.findSubmittedByDesignation(f);
    Long meId = idOf(me);
    List<SourceSummary> out = new ArrayList<>();
    for (Source s : found) {
      out.add(summary(s, meId));
    }
    return out;
  }

  /** The row id of {@code me} (null for null), or {@code NO_SUCH_USER} if the account is gone. */
  private Long idOf(JournalistView me) {
    return me == null ? null : row(me).id;
  }

  /** The account row of {@code me}, or {@code NO_SUCH_USER} if it is gone. */
  private Journalist row(JournalistView me) {
    return journalists
        .findByUuid(me.uuid())
        .orElseThrow(() -> new JournalistError(JournalistError.Reason.NO_SUCH_USER));
  }

  private SourceSummary summary(Source s, Long meId) {
    long messages = submissionRows.countBySourceAndKind(s, Submission.Kind.message);
    long documents = submissionRows.countBySourceAndKind(s, Submission.Kind.document);
    long replyCount = replyRows.countBySource(s);
    long unread = meId == null ? 0 : submissionRows.countUnseenBy(s, meId);
    return new SourceSummary(
        s.uuid,
        s.designation,
        s.lastUpdated,
        s.starred,
        s.interactionCount,
        messages,
        documents,
        replyCount,
        unread);
  }

  /** The source row {@code uuid} (for dropbox-core and tests; the web layer gets views). */
  @Transactional
  Optional<Source> source(String uuid) {
    return sourceRows.findByUuid(uuid);
  }

  /** The source row {@code uuid}, or {@link JournalistError.Reason#NOT_FOUND}. */
  private Source requireRow(String uuid) {
    return source(uuid).orElseThrow(() -> new JournalistError(JournalistError.Reason.NOT_FOUND));
  }

  /** The source {@code uuid}, or {@link JournalistError.Reason#NOT_FOUND}. */
  @Transactional
  public SourceView requireSource(String uuid) {
    return Views.source(requireRow(uuid));
  }

  /**
   * The sources named (at most {@link #MAX_SELECTED}, unknown ones skipped), in the order of the
   * sources list: a bulk action across sources.
   */
  @Transactional
  public List<SourceView> sources(Collection<String> uuids) {
    Set<String> wanted = new HashSet<>(bounded(uuids));
    if (wanted.isEmpty()) {
      return List.of();
    }
    return sourceRows.findSubmittedByUuids(wanted).stream().map(Views::source).toList();
  }

  private static List<String> bounded(Collection<String> names) {
    if (names == null) {
      return List.of();
    }
    return names.stream().filter(n -> n != null && n.length() <= 36).limit(MAX_SELECTED).toList();
  }

  /**
   * The items of source {@code sourceUuid} an action applies to: the ones named in {@code chosen}
   * (at most {@link #MAX_SELECTED}; names of other sources' items match nothing), this journalist's
   * unread submissions, or all.
   */
  @Transactional
  public List<Item> select(
      String sourceUuid, JournalistView me, Selection selection, Collection<String> chosen) {
    Set<String> named = new HashSet<>(bounded(chosen));
    return items(sourceUuid, me).stream()
        .filter(
            i ->
                switch (selection) {
                  case CHOSEN -> named.contains(i.uuid());
                  case UNREAD -> !i.isReply() && !i.seenByMe();
                  case ALL -> true;
                })
        .toList();
  }

  /** The item of source {@code sourceUuid} stored as {@code filename}, or {@code NOT_FOUND}. */
  @Transactional
  public Item item(String sourceUuid, JournalistView me, String filename) {
    return items(sourceUuid, me).stream()
        .filter(i -> i.filename().equals(filename))
        .findFirst()
        .orElseThrow(() -> new JournalistError(JournalistError.Reason.NOT_FOUND));
  }

  /** Marks these items (submissions and replies alike) seen by {@code me}. */
  @Transactional
  public void markSeen(JournalistView me, List<Item> items) {
    markSeen(
        me,
        items.stream().filter(i -> !i.isReply()).map(Item::uuid).toList(),
        items.stream().filter(Item::isReply).map(Item::uuid).toList());
  }

  /**
   * Deletes these items of source {@code sourceUuid}: submissions and replies, files overwritten.
   */
  @Transactional
  public int deleteItems(String sourceUuid, List<Item> items) {
    Source source = requireRow(sourceUuid);
    int n =
        deleteSubmissions(
            source, items.stream().filter(i -> !i.isReply()).map(Item::uuid).toList());
    for (Item i : items) {
      if (i.isReply() && replies.deleteReply(source.filesystemId, i.uuid())) {
        n++;
      }
    }
    return n;
  }

  /** The list row of source {@code sourceUuid}, or {@code NOT_FOUND}. */
  @Transactional
  public SourceSummary summary(String sourceUuid, JournalistView me) {
    return summary(requireRow(sourceUuid), idOf(me));
  }

  /**
   * Submissions and replies of source {@code sourceUuid} in the order they happened ({@code
   * NOT_FOUND} for an unknown source).
   */
  @Transactional
  public List<Item> items(String sourceUuid, JournalistView me) {
    Source s = requireRow(sourceUuid);
    String meUuid = me == null ? null : me.uuid();
    List<Item> out = new ArrayList<>();
    for (Submission x : submissionRows.findBySource(s.id)) {
      List<String> seenBy = submissionRows.seenBy(x.id);
      boolean mine = meUuid != null && seenBy.contains(meUuid);
      out.add(
          new Item(
              x.kind.name(),
              x.uuid,
              x.filename,
              x.size,
              x.sha256,
              x.createdAt,
              mine,
              !seenBy.isEmpty(),
              seenBy,
              null));
    }
    for (Reply r : replyRows.findBySource(s.id)) {
      List<String> seenBy = replyRows.seenBy(r.id);
      boolean mine = meUuid != null && seenBy.contains(meUuid);
      out.add(
          new Item(
              "reply",
              r.uuid,
              r.filename,
              r.size,
              r.sha256,
              r.createdAt,
              mine,
              !seenBy.isEmpty(),
              seenBy,
              r.journalist == null ? null : r.journalist.username));
    }
    out.sort(Comparator.comparingInt(Item::number));
    return out;
  }

  /** The stored file of an item of source {@code sourceUuid} ({@code NOT_FOUND} for no source). */
  @Transactional
  public Path file(String sourceUuid, String filename) {
    return store.path(requireRow(sourceUuid).filesystemId, filename);
  }

  @Transactional
  public void star(String sourceUuid, boolean starred) {
    requireRow(sourceUuid).starred = starred;
  }

  /**
   * Marks submissions and replies (by uuid) seen by {@code me}; returns false if any is unknown.
   */
  @Transactional
  public boolean markSeen(
      JournalistView me, List<String> submissionUuids, List<String> replyUuids) {
    Long meId = idOf(me);
    for (String u : submissionUuids) {
      Optional<Submission> x = submissionRows.findByUuid(u);
      if (x.isEmpty()) {
        return false;
      }
      if (em.find(SeenSubmission.class, new SeenSubmission.Key(x.get().id, meId)) == null) {
        em.persist(new SeenSubmission(x.get().id, meId));
      }
      x.get().downloaded = true;
    }
    for (String u : replyUuids) {
      Optional<Reply> r = replyRows.findByUuid(u);
      if (r.isEmpty()) {
        return false;
      }
      if (em.find(SeenReply.class, new SeenReply.Key(r.get().id, meId)) == null) {
        em.persist(new SeenReply(r.get().id, meId));
      }
    }
    return true;
  }

  /**
   * Deletes submissions of source {@code sourceUuid} by uuid (files overwritten and unlinked);
   * returns how many there were ({@code NOT_FOUND} for an unknown source).
   */
  @Transactional
  public int deleteSubmissions(String sourceUuid, List<String> uuids) {
    return deleteSubmissions(requireRow(sourceUuid), uuids);
  }

  private int deleteSubmissions(Source source, List<String> uuids) {
    Set<String> wanted = new HashSet<>(uuids);
    int n = 0;
    for (Submission x : submissionRows.findBySource(source.id)) {
      if (wanted.contains(x.uuid)) {
        deletions.deleteOnCommit(source.filesystemId, x.filename);
        em.remove(x);
        n++;
      }
    }
    return n;
  }

  /** Deletes reply {@code uuid} of source {@code sourceUuid}; false if it has no such reply. */
  @Transactional
  public boolean deleteReply(String sourceUuid, String uuid) {
    return replies.deleteReply(requireRow(sourceUuid).filesystemId, uuid);
  }

  /** Deletes every submission and reply of source {@code sourceUuid}, keeping the source. */
  @Transactional
  public void deleteConversation(String sourceUuid) {
    deleteConversation(requireRow(sourceUuid));
  }

  private void deleteConversation(Source source) {
    for (Submission x : submissionRows.findBySource(source.id)) {
      deletions.deleteOnCommit(source.filesystemId, x.filename);
      em.remove(x);
    }
    for (Reply r : replyRows.findBySource(source.id)) {
      deletions.deleteOnCommit(source.filesystemId, r.filename);
      em.remove(r);
    }
  }

  /** Deletes source {@code sourceUuid} and all its data. */
  @Transactional
  public void deleteSource(String sourceUuid) {
    Source source = requireRow(sourceUuid);
    deleteConversation(source);
    deletions.deleteSourceOnCommit(source.filesystemId);
    em.remove(source);
  }

  /**
   * A journalist's reply typed on the page: encrypted to [source key, submission key].
   *
   * @throws JournalistError {@code REPLY_NOT_STORED} when it could not be encrypted or stored
   */
  public void reply(JournalistView me, String sourceUuid, String text) {
    // Not one transaction: the reply is stored and committed by ReplyService, as before.
    String filesystemId = requireRow(sourceUuid).filesystemId;
    try {
      replies.storeReply(filesystemId, row(me), null, text, null);
    } catch (IOException e) {
      throw new JournalistError(JournalistError.Reason.REPLY_NOT_STORED);
    }
  }

  /**
   * Stores a reply an API client already encrypted, as {@code author}'s, under {@code uuid} when
   * the client chose one, then marks it seen by the author (SecureDrop adds a SeenReply with it).
   * Empty when it could not be written (nothing is kept then). The caller checks the source, the
   * armor and the uuid first.
   */
  public Optional<StoredReply> storeClientReply(
      JournalistView author, String sourceUuid, byte[] armored, String uuid) {
    String filesystemId = requireRow(sourceUuid).filesystemId;
    Reply r;
    try {
      r = replies.storeReply(filesystemId, row(author), armored, null, uuid);
    } catch (IOException e) {
      return Optional.empty();
    }
    markSeen(author, List.of(), List.of(r.uuid));
    return Optional.of(new StoredReply(r.uuid, r.filename));
  }

  @Transactional
  public boolean replyUuidTaken(String uuid) {
    return replyRows.uuidTaken(uuid);
  }
}
