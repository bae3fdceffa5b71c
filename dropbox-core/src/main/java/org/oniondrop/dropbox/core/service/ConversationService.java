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
   * filtered by designation.
   */
  @Transactional
  public List<SourceSummary> sources(Journalist me, String filter) {
    String f = filter == null ? "" : filter.strip().toLowerCase(Locale.ROOT);
    if (f.length() > MAX_FILTER) {
      f = f.substring(0, MAX_FILTER);
    }
    List<Source> found = sourceRows.findSubmittedByDesignation(f);
    List<SourceSummary> out = new ArrayList<>();
    for (Source s : found) {
      out.add(summary(s, me));
    }
    return out;
  }

  SourceSummary summary(Source s, Journalist me) {
    long messages = submissionRows.countBySourceAndKind(s, Submission.Kind.message);
    long documents = submissionRows.countBySourceAndKind(s, Submission.Kind.document);
    long replyCount = replyRows.countBySource(s);
    long unread = me == null ? 0 : submissionRows.countUnseenBy(s, me.id);
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

  @Transactional
  public Optional<Source> source(String uuid) {
    return sourceRows.findByUuid(uuid);
  }

  /** The source {@code uuid}, or {@link JournalistError.Reason#NOT_FOUND}. */
  @Transactional
  public Source requireSource(String uuid) {
    return source(uuid).orElseThrow(() -> new JournalistError(JournalistError.Reason.NOT_FOUND));
  }

  /**
   * The sources named (at most {@link #MAX_SELECTED}, unknown ones skipped), in the order of the
   * sources list: a bulk action across sources.
   */
  @Transactional
  public List<Source> sources(Collection<String> uuids) {
    Set<String> wanted = new HashSet<>(bounded(uuids));
    if (wanted.isEmpty()) {
      return List.of();
    }
    return sourceRows.findSubmittedByUuids(wanted);
  }

  private static List<String> bounded(Collection<String> names) {
    if (names == null) {
      return List.of();
    }
    return names.stream().filter(n -> n != null && n.length() <= 36).limit(MAX_SELECTED).toList();
  }

  /**
   * The items of {@code source} an action applies to: the ones named in {@code chosen} (at most
   * {@link #MAX_SELECTED}; names of other sources' items match nothing), this journalist's unread
   * submissions, or all.
   */
  @Transactional
  public List<Item> select(
      Source source, Journalist me, Selection selection, Collection<String> chosen) {
    Set<String> named = new HashSet<>(bounded(chosen));
    return items(source, me).stream()
        .filter(
            i ->
                switch (selection) {
                  case CHOSEN -> named.contains(i.uuid());
                  case UNREAD -> !i.isReply() && !i.seenByMe();
                  case ALL -> true;
                })
        .toList();
  }

  /** The item of {@code source} stored as {@code filename}, or {@code NOT_FOUND}. */
  @Transactional
  public Item item(Source source, Journalist me, String filename) {
    return items(source, me).stream()
        .filter(i -> i.filename().equals(filename))
        .findFirst()
        .orElseThrow(() -> new JournalistError(JournalistError.Reason.NOT_FOUND));
  }

  /** Marks these items (submissions and replies alike) seen by {@code me}. */
  @Transactional
  public void markSeen(Journalist me, List<Item> items) {
    markSeen(
        me,
        items.stream().filter(i -> !i.isReply()).map(Item::uuid).toList(),
        items.stream().filter(Item::isReply).map(Item::uuid).toList());
  }

  /** Deletes these items of {@code source}: submissions and replies, files overwritten. */
  @Transactional
  public int deleteItems(Source source, List<Item> items) {
    int n =
        deleteSubmissions(
            source, items.stream().filter(i -> !i.isReply()).map(Item::uuid).toList());
    for (Item i : items) {
      if (i.isReply() && deleteReply(source, i.uuid())) {
        n++;
      }
    }
    return n;
  }

  @Transactional
  public SourceSummary summary(String sourceUuid, Journalist me) {
    return summary(source(sourceUuid).orElseThrow(), me);
  }

  /** Submissions and replies in the order they happened. */
  @Transactional
  public List<Item> items(Source source, Journalist me) {
    Source s = em.merge(source);
    List<Item> out = new ArrayList<>();
    for (Submission x : submissionRows.findBySource(s.id)) {
      List<String> seenBy = submissionRows.seenBy(x.id);
      boolean mine = me != null && seenBy.contains(me.uuid);
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
      boolean mine = me != null && seenBy.contains(me.uuid);
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

  /** The stored file of an item of {@code source}. */
  public Path file(Source source, String filename) {
    return store.path(source.filesystemId, filename);
  }

  @Transactional
  public void star(String sourceUuid, boolean starred) {
    requireSource(sourceUuid).starred = starred;
  }

  /**
   * Marks submissions and replies (by uuid) seen by {@code me}; returns false if any is unknown.
   */
  @Transactional
  public boolean markSeen(Journalist me, List<String> submissionUuids, List<String> replyUuids) {
    for (String u : submissionUuids) {
      Optional<Submission> x = submissionRows.findByUuid(u);
      if (x.isEmpty()) {
        return false;
      }
      if (em.find(SeenSubmission.class, new SeenSubmission.Key(x.get().id, me.id)) == null) {
        em.persist(new SeenSubmission(x.get().id, me.id));
      }
      x.get().downloaded = true;
    }
    for (String u : replyUuids) {
      Optional<Reply> r = replyRows.findByUuid(u);
      if (r.isEmpty()) {
        return false;
      }
      if (em.find(SeenReply.class, new SeenReply.Key(r.get().id, me.id)) == null) {
        em.persist(new SeenReply(r.get().id, me.id));
      }
    }
    return true;
  }

  /** Deletes submissions of {@code source} by uuid (files overwritten and unlinked). */
  @Transactional
  public int deleteSubmissions(Source source, List<String> uuids) {
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

  @Transactional
  public boolean deleteReply(Source source, String uuid) {
    return replies.deleteReply(source.filesystemId, uuid);
  }

  /** Deletes every submission and reply, keeping the source. */
  @Transactional
  public void deleteConversation(Source source) {
    for (Submission x : submissionRows.findBySource(source.id)) {
      deletions.deleteOnCommit(source.filesystemId, x.filename);
      em.remove(x);
    }
    for (Reply r : replyRows.findBySource(source.id)) {
      deletions.deleteOnCommit(source.filesystemId, r.filename);
      em.remove(r);
    }
  }

  /** Deletes the source and all its data. */
  @Transactional
  public void deleteSource(Source source) {
    deleteConversation(source);
    deletions.deleteSourceOnCommit(source.filesystemId);
    em.remove(em.merge(source));
  }

  /**
   * A journalist's reply typed on the page: encrypted to [source key, submission key].
   *
   * @throws JournalistError {@code REPLY_NOT_STORED} when it could not be encrypted or stored
   */
  public Reply reply(Journalist me, Source source, String text) {
    try {
      return replies.storeReply(source.filesystemId, me, null, text, null);
    } catch (IOException e) {
      throw new JournalistError(JournalistError.Reason.REPLY_NOT_STORED);
    }
  }

  @Transactional
  public boolean replyUuidTaken(String uuid) {
    return replyRows.uuidTaken(uuid);
  }

  @Transactional
  public Optional<Submission> submission(Source source, String uuid) {
    return submissionRows.findBySourceAndUuid(source.id, uuid);
  }

  @Transactional
  public Optional<Reply> reply(Source source, String uuid) {
    return replyRows.findBySourceAndUuid(source.id, uuid);
  }
}
