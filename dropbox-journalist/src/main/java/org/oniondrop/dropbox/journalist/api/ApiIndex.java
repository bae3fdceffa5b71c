package org.oniondrop.dropbox.journalist.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.oniondrop.dropbox.core.service.ApiReads;
import org.oniondrop.dropbox.core.view.ApiRows.JournalistRow;
import org.oniondrop.dropbox.core.view.ApiRows.ReplyRow;
import org.oniondrop.dropbox.core.view.ApiRows.SourceRow;
import org.oniondrop.dropbox.core.view.ApiRows.SubmissionRow;

/**
 * API v2's records and their versions (API2.md "Goals": a hash of each record's canonical form, and
 * of the whole index). The canonical form is the one the SecureDrop Inbox hashes on its side
 * ({@code JSON.stringify} with keys sorted, compact, non-ASCII as is) and the hash BLAKE2s-256 in
 * hex, so a client that stored a record computes the same version the server announces, and an
 * up-to-date client gets 304.
 *
 * <p>Building the index costs five set queries and one hash per record; nothing is kept between
 * requests except the armored form of each source's public key (immutable, bounded below).
 */
@ApplicationScoped
public class ApiIndex {

  /** Newest minor version of API v2 whose shapes we serve ({@code Prefer: securedrop=4}). */
  public static final int API_MINOR_VERSION = 4;

  /** Armored keys kept in memory at most; past that the cache restarts (keys re-armor cheaply). */
  static final int MAX_CACHED_KEYS = 50_000;

  /** Hex digits of a version (BLAKE2s-256). */
  public static final int VERSION_HEX = 64;

  private static final ObjectWriter CANONICAL =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build().writer();

  @Inject ApiReads reads;

  private final Map<Long, String> armoredKeys = new ConcurrentHashMap<>();

  // ---- records (API_MINOR_VERSION 4 shapes, as the Inbox's schemas.ts reads them) ----

  @JsonPropertyOrder(alphabetic = true)
  public record SourceRecord(
      String fingerprint,
      @JsonProperty("has_attachment") boolean hasAttachment,
      @JsonProperty("is_seen") boolean isSeen,
      @JsonProperty("is_starred") boolean isStarred,
      @JsonProperty("journalist_designation") String journalistDesignation,
      @JsonProperty("last_updated") String lastUpdated,
      @JsonProperty("public_key") String publicKey,
      String uuid) {}

  /** A submission ({@code kind} file or message) or a reply; absent fields are left out. */
  @JsonPropertyOrder(alphabetic = true)
  @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  public record ItemRecord(
      @JsonProperty("interaction_count") int interactionCount,
      @JsonProperty("is_deleted_by_source") Boolean isDeletedBySource,
      @JsonProperty("is_read") Boolean isRead,
      @JsonProperty("journalist_uuid") String journalistUuid,
      String kind,
      @JsonProperty("seen_by") List<String> seenBy,
      long size,
      String source,
      String uuid) {}

  @JsonPropertyOrder(alphabetic = true)
  @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
  public record JournalistRecord(
      @JsonProperty("first_name") String firstName,
      @JsonProperty("last_name") String lastName,
      String username,
      String uuid) {}

  /** The index of API2.md: uuid -> version for sources, items and journalists, and its own. */
  public record Snapshot(
      SortedMap<String, String> sources,
      SortedMap<String, String> items,
      SortedMap<String, String> journalists,
      String version) {}

  /** Everything the records are built from, read in one go. */
  public record State(
      List<SourceRow> sources,
      List<SubmissionRow> submissions,
      List<ReplyRow> replies,
      List<JournalistRow> journalists,
      Map<Long, List<String>> submissionSeen,
      Map<Long, List<String>> replySeen,
      String deletedUserUuid) {}

  public State state() {
    List<JournalistRow> people = reads.journalists();
    String deleted =
        people.stream()
            .filter(j -> "deleted".equals(j.username()))
            .map(JournalistRow::uuid)
            .findFirst()
            .orElse(null);
    return new State(
        reads.sources(),
        reads.submissions(null),
        reads.replies(null),
        people,
        reads.submissionSeenBy(null),
        reads.replySeenBy(null),
        deleted);
  }

  /** The state of one source only (for an event's answer or a version check). */
  public State state(SourceRow s) {
    List<JournalistRow> people = reads.journalists();
    String deleted =
        people.stream()
            .filter(j -> "deleted".equals(j.username()))
            .map(JournalistRow::uuid)
            .findFirst()
            .orElse(null);
    return new State(
        List.of(s),
        reads.submissions(s.id()),
        reads.replies(s.id()),
        people,
        reads.submissionSeenBy(s.id()),
        reads.replySeenBy(s.id()),
        deleted);
  }

  // ---- building ----

  /** The whole index. */
  public Snapshot snapshot() {
    return snapshot(state(), s -> true);
  }

  /**
   * The index restricted to sources (and their items) whose uuid passes {@code shard}. Each record
   * is hashed as soon as it is made and then dropped: only uuid -> version is kept, not the
   * records.
   */
  public Snapshot snapshot(State st, Predicate<String> shard) {
    SortedMap<String, String> sources = new TreeMap<>();
    SortedMap<String, String> items = new TreeMap<>();
    SortedMap<String, String> people = new TreeMap<>();
    visit(
        st,
        shard,
        byUuid(sources, items, people, ApiIndex::version, ApiIndex::version, ApiIndex::version));
    Map<String, Object> index = new TreeMap<>();
    index.put("items", items);
    index.put("journalists", people);
    index.put("sources", sources);
    return new Snapshot(sources, items, people, version(index));
  }

  /** Receives the records of a state as they are made. */
  public interface RecordSink {
    void source(SourceRecord r);

    void item(ItemRecord r);

    void journalist(JournalistRecord r);
  }

  /** The records of a state, by uuid. */
  public record Records(
      Map<String, SourceRecord> sources,
      Map<String, ItemRecord> items,
      Map<String, JournalistRecord> journalists) {}

  public Records records(State st, Predicate<String> shard) {
    Map<String, SourceRecord> sources = new HashMap<>();
    Map<String, ItemRecord> items = new HashMap<>();
    Map<String, JournalistRecord> journalists = new HashMap<>();
    visit(st, shard, byUuid(sources, items, journalists, r -> r, r -> r, r -> r));
    return new Records(sources, items, journalists);
  }

  /**
   * A sink that puts each record in its map under its uuid, as {@code source}, {@code item} or
   * {@code journalist} make it (the record itself, or its version).
   */
  private static <S, I, J> RecordSink byUuid(
      Map<String, S> sources,
      Map<String, I> items,
      Map<String, J> journalists,
      Function<SourceRecord, S> source,
      Function<ItemRecord, I> item,
      Function<JournalistRecord, J> journalist) {
    return new RecordSink() {
      @Override
      public void source(SourceRecord r) {
        sources.put(r.uuid(), source.apply(r));
      }

      @Override
      public void item(ItemRecord r) {
        items.put(r.uuid(), item.apply(r));
      }

      @Override
      public void journalist(JournalistRecord r) {
        journalists.put(r.uuid(), journalist.apply(r));
      }
    };
  }

  /** Makes the records of a state (journalists, then items, then sources) into {@code sink}. */
  public void visit(State st, Predicate<String> shard, RecordSink sink) {
    Map<Long, JournalistRow> peopleById = new HashMap<>();
    for (JournalistRow j : st.journalists()) {
      peopleById.put(j.id(), j);
      sink.journalist(new JournalistRecord(j.firstName(), j.lastName(), j.username(), j.uuid()));
    }
    Map<Long, boolean[]> perSource = new HashMap<>(); // {has_attachment, all read}
    Map<Long, String> sourceUuids = new HashMap<>();
    for (SourceRow s : st.sources()) {
      if (shard.test(s.uuid())) {
        sourceUuids.put(s.id(), s.uuid());
        perSource.put(s.id(), new boolean[] {false, true});
      }
    }
    for (SubmissionRow x : st.submissions()) {
      boolean[] flags = perSource.get(x.sourceId());
      if (flags == null) {
        continue;
      }
      List<String> seen = st.submissionSeen().getOrDefault(x.id(), List.of());
      boolean read = x.downloaded() || !seen.isEmpty();
      flags[0] |= x.document();
      flags[1] &= read;
      sink.item(
          new ItemRecord(
              x.interactionCount(),
              null,
              read,
              null,
              x.document() ? "file" : "message",
              seen,
              x.size(),
              x.sourceUuid(),
              x.uuid()));
    }
    for (ReplyRow r : st.replies()) {
      if (!perSource.containsKey(r.sourceId())) {
        continue;
      }
      JournalistRow author = r.journalistId() == null ? null : peopleById.get(r.journalistId());
      sink.item(
          new ItemRecord(
              r.interactionCount(),
              r.deletedBySource(),
              null,
              author != null ? author.uuid() : st.deletedUserUuid(),
              "reply",
              st.replySeen().getOrDefault(r.id(), List.of()),
              r.size(),
              r.sourceUuid(),
              r.uuid()));
    }
    for (SourceRow s : st.sources()) {
      boolean[] flags = perSource.get(s.id());
      if (flags == null) {
        continue;
      }
      sink.source(
          new SourceRecord(
              s.fingerprint(),
              flags[0],
              flags[1],
              s.starred(),
              s.designation(),
              ApiTime.formatV2(s.lastUpdated()),
              armored(s),
              s.uuid()));
    }
  }

  private String armored(SourceRow s) {
    String a = armoredKeys.get(s.id());
    if (a == null) {
      a = ApiV1Resource.armored(s.publicKey());
      if (armoredKeys.size() >= MAX_CACHED_KEYS) {
        armoredKeys.clear();
      }
      if (a != null) {
        armoredKeys.put(s.id(), a);
      }
    }
    return a == null ? "" : a;
  }

  // ---- hashing ----

  /** The canonical JSON of a record or index: what the Inbox hashes on its side. */
  public static byte[] canonical(Object value) {
    try {
      return CANONICAL.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("record not serialisable", e);
    }
  }

  /** BLAKE2s-256 of the canonical JSON, in lowercase hex. */
  public static String version(Object value) {
    byte[] in = canonical(value);
    Blake2sDigest d = new Blake2sDigest(256);
    d.update(in, 0, in.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return HexFormat.of().formatHex(out);
  }

  /** Splits a shard spec ({@code a,b,0f}) into prefixes; null if malformed. */
  public static List<String> parseShard(String spec) {
    if (spec == null || spec.isEmpty() || spec.length() > MAX_SHARD_SPEC) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String p : spec.split(",", -1)) {
      if (p.isEmpty() || p.length() > 36 || !p.matches("[0-9a-f-]+")) {
        return null;
      }
      out.add(p);
    }
    return out;
  }

  /** Longest shard spec accepted: 256 two-digit prefixes and their commas. */
  public static final int MAX_SHARD_SPEC = 256 * 3;
}
