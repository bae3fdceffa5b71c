package org.oniondrop.dropbox.journalist.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.oniondrop.dropbox.core.service.ApiReads;
import org.oniondrop.dropbox.core.service.ConversationService;
import org.oniondrop.dropbox.core.view.ApiRows.ReplyRow;
import org.oniondrop.dropbox.core.view.ApiRows.SourceRow;
import org.oniondrop.dropbox.core.view.ApiRows.SubmissionRow;
import org.oniondrop.dropbox.journalist.web.Auth;
import org.oniondrop.dropbox.journalist.web.CurrentJournalist;
import org.oniondrop.dropbox.journalist.web.JournalistGate;

/**
 * {@code /api/v2}: the sync API of SecureDrop 2.15+ that the SecureDrop Inbox uses (API2.md;
 * securedrop-client architecture-decisions/001-data-sync.md). The client asks for the index (uuid
 * -> version of every source, item and journalist; 304 when its version is current), then posts one
 * batch naming the records it lacks and the events it queued offline. Events are applied in
 * snowflake order, each at most once (a resubmission is answered 208), and conflicting writes
 * resolve last-write-wins except deletions, which name the version they saw (409 if stale).
 *
 * <p>Every endpoint is behind the journalist gate with the API's capability ({@link
 * JournalistGate.Credentials#API_TOKEN}, as v1): no live token of an existing journalist, the
 * gate's JSON 403 before any code here runs; the caller comes from {@link CurrentJournalist}. The
 * v2 headers ({@code X-Request-ID} echo, {@code Preference-Applied}) are added by {@link
 * ApiV2Headers} to every answer, the gate's refusals included.
 */
@Path("/api/v2")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "Journalist API v2")
@JournalistGate(credentials = JournalistGate.Credentials.API_TOKEN)
@ApiV2Headers
public class ApiV2Resource {

  /** Events one batch may carry; more is refused whole with 429 (the Inbox sends 20 at most). */
  public static final int EVENTS_MAX = 50;

  /** Record uuids one batch may name (an initial sync of 10,000 sources and 100,000 items). */
  public static final int MAX_BATCH_UUIDS = 200_000;

  /** A well-formed {@code X-Request-ID}: {@code req-} and a lowercase UUID (API2.md). */
  static final Pattern REQUEST_ID =
      Pattern.compile("req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /** A snowflake id: decimal digits, at most 20 (an unsigned 64-bit number). */
  static final Pattern EVENT_ID = Pattern.compile("[0-9]{1,20}");

  static final Pattern UUID_LOWER =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  static final Pattern VERSION = Pattern.compile("[0-9a-f]{" + ApiIndex.VERSION_HEX + "}");

  @Inject CurrentJournalist current;
  @Inject ApiIndex index;
  @Inject ApiReads reads;
  @Inject EventLedger ledger;
  @Inject ConversationService conversations;
  @Inject ObjectMapper json;

  /**
   * {@code Prefer: securedrop=x}: the shape a client asks for. We serve minor version {@link
   * ApiIndex#API_MINOR_VERSION}; a request for it (or none) is honoured, any other value gets the
   * same shape without {@code Preference-Applied}.
   */
  static Optional<Integer> preferredMinor(String prefer) {
    if (prefer == null || prefer.length() > 100) {
      return Optional.empty();
    }
    for (String part : prefer.split(",")) {
      String p = part.strip();
      if (p.startsWith("securedrop=")) {
        String v = p.substring("securedrop=".length()).strip();
        if (v.equals(String.valueOf(ApiIndex.API_MINOR_VERSION))) {
          return Optional.of(ApiIndex.API_MINOR_VERSION);
        }
      }
    }
    return Optional.empty();
  }

  // ---- root ----

  /** The answer to {@code GET /api/v2/}: where the two v2 endpoints are. */
  @JsonPropertyOrder(alphabetic = true)
  public record Endpoints(
      @com.fasterxml.jackson.annotation.JsonProperty("data_url") String dataUrl,
      @com.fasterxml.jackson.annotation.JsonProperty("index_url") String indexUrl) {}

  /**
   * {@code GET /api/v2/}: a client's (and the Inbox's server-test harness's) "is the API up" probe,
   * which expects 403 without a token (as SecureDrop answers it; the gate's) and 200 with one. Ours
   * answers an authenticated client with the endpoints' paths.
   */
  @GET
  @Path("/")
  @Operation(summary = "The API v2 endpoints (403 without a token)")
  public Response root() {
    return ApiJson.ok(new Endpoints("/api/v2/data", "/api/v2/index"));
  }

  // ---- index ----

  @JsonPropertyOrder(alphabetic = true)
  public record IndexBody(
      Map<String, String> items, Map<String, String> journalists, Map<String, String> sources) {}

  @GET
  @Path("index")
  @Operation(summary = "The index: uuid -> version of every source, item and journalist")
  public Response index(@HeaderParam("If-None-Match") String ifNoneMatch) {
    return indexOf(ifNoneMatch, s -> true);
  }

  @GET
  @Path("index/{shard}")
  @Operation(summary = "The index of the sources whose uuid starts with one of the prefixes")
  public Response shard(
      @HeaderParam("If-None-Match") String ifNoneMatch, @PathParam("shard") String shard) {
    List<String> prefixes = ApiIndex.parseShard(shard);
    if (prefixes == null) {
      return ApiErrors.badRequest("invalid shard spec");
    }
    return indexOf(ifNoneMatch, u -> prefixes.stream().anyMatch(u::startsWith));
  }

  private Response indexOf(String ifNoneMatch, Predicate<String> shard) {
    ApiIndex.Snapshot snap = index.snapshot(index.state(), shard);
    String etag = "\"" + snap.version() + "\"";
    if (matches(ifNoneMatch, snap.version())) {
      return Response.notModified().header("ETag", etag).build();
    }
    return Response.fromResponse(
            ApiJson.ok(new IndexBody(snap.items(), snap.journalists(), snap.sources())))
        .header("ETag", etag)
        .build();
  }

  /** If-None-Match against a version, quoted or not (the Inbox sends it bare), or {@code *}. */
  static boolean matches(String ifNoneMatch, String version) {
    if (ifNoneMatch == null || ifNoneMatch.length() > 1024) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.strip();
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
        t = t.substring(1, t.length() - 1);
      }
      if (t.equals("*") || t.equals(version)) {
        return true;
      }
    }
    return false;
  }

  // ---- data ----

  /** The answer to a batch; a null record means "deleted" (or never existed). */
  @JsonPropertyOrder(alphabetic = true)
  public record BatchBody(
      Map<String, List<Object>> events,
      Map<String, ApiIndex.ItemRecord> items,
      Map<String, ApiIndex.JournalistRecord> journalists,
      Map<String, ApiIndex.SourceRecord> sources) {}

  /** One event's outcome and the records it changed (uuid -> null: deleted). */
  record Outcome(int status, String message, Set<String> sources, Set<String> items) {
    static Outcome of(int status, String message) {
      return new Outcome(status, message, Set.of(), Set.of());
    }
  }

  @POST
  @Path("data")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "A batch: records wanted by uuid, and events queued by the client")
  public Response data(byte[] raw) {
    Auth.Caller caller = current.require();
    ApiBodies.Checked<ApiBodies.Batch> checked = ApiBodies.batch(ApiBodies.parse(json, raw));
    if (checked.refusal() != null) {
      return ApiErrors.error(checked.refusal().status(), checked.refusal().message());
    }
    Set<String> wantSources = checked.value().sources();
    Set<String> wantItems = checked.value().items();
    Set<String> wantJournalists = checked.value().journalists();
    List<JsonNode> ordered = checked.value().events();

    Map<String, List<Object>> statuses = new TreeMap<>();
    Set<String> touchedSources = new HashSet<>();
    Set<String> touchedItems = new HashSet<>();
    String me = caller.journalist().uuid();
    for (JsonNode e : ordered) {
      String id = e.get("id").asText();
      Outcome o;
      if (!ledger.claim(me, id)) {
        o = Outcome.of(208, null);
      } else {
        try {
          o = handle(caller, e);
        } catch (RuntimeException ex) {
          o = Outcome.of(500, "failed to process event");
        }
        ledger.settle(me, id, o.status());
      }
      statuses.put(id, Arrays.asList(o.status(), o.message()));
      touchedSources.addAll(o.sources());
      touchedItems.addAll(o.items());
    }

    wantSources.addAll(touchedSources);
    wantItems.addAll(touchedItems);
    Map<String, ApiIndex.SourceRecord> sources = new TreeMap<>();
    Map<String, ApiIndex.ItemRecord> items = new TreeMap<>();
    Map<String, ApiIndex.JournalistRecord> journalists = new TreeMap<>();
    if (!wantSources.isEmpty() || !wantItems.isEmpty() || !wantJournalists.isEmpty()) {
      // Records only for the sources asked for and the sources of the items asked for (a small
      // batch does not make every record of the instance; the rows are read either way).
      ApiIndex.State st = index.state();
      Set<String> needed = new HashSet<>(wantSources);
      if (!wantItems.isEmpty()) {
        st.submissions().stream()
            .filter(x -> wantItems.contains(x.uuid()))
            .forEach(x -> needed.add(x.sourceUuid()));
        st.replies().stream()
            .filter(r -> wantItems.contains(r.uuid()))
            .forEach(r -> needed.add(r.sourceUuid()));
      }
      ApiIndex.Records all = index.records(st, needed::contains);
      wantSources.forEach(u -> sources.put(u, all.sources().get(u)));
      wantItems.forEach(u -> items.put(u, all.items().get(u)));
      wantJournalists.forEach(u -> journalists.put(u, all.journalists().get(u)));
    }
    return ApiJson.ok(new BatchBody(statuses, items, journalists, sources));
  }

  // ---- events ----

  private Outcome handle(Auth.Caller caller, JsonNode e) {
    String type = e.path("type").asText("");
    JsonNode target = e.path("target");
    JsonNode data = e.get("data");
    return switch (type) {
      case "reply_sent" -> replySent(caller, target, data);
      case "item_deleted" -> itemDeleted(target);
      case "source_deleted" -> sourceDeleted(target);
      case "source_starred" -> starred(target, true);
      case "source_unstarred" -> starred(target, false);
      case "source_conversation_truncated" -> truncated(target, data);
      case "source_conversation_seen" -> conversationSeen(caller, target, data);
      case "item_seen", "item_unseen", "source_conversation_deleted" ->
          Outcome.of(501, "no handler for event type: " + type);
      default -> Outcome.of(400, "invalid event type");
    };
  }

  /** The target's uuid field if the target is well-formed (uuid and 64-hex version). */
  private static String targetUuid(JsonNode target, String field) {
    if (!target.isObject()
        || !target.path(field).isTextual()
        || !UUID_LOWER.matcher(target.get(field).asText()).matches()
        || !target.path("version").isTextual()
        || !VERSION.matcher(target.get("version").asText()).matches()) {
      return null;
    }
    return target.get(field).asText();
  }

  private static long upperBound(JsonNode data) {
    if (data == null || !data.isObject() || !data.path("upper_bound").isIntegralNumber()) {
      return -1;
    }
    return data.get("upper_bound").asLong();
  }

  private Outcome replySent(Auth.Caller caller, JsonNode target, JsonNode data) {
    String sourceUuid = targetUuid(target, "source_uuid");
    if (sourceUuid == null
        || data == null
        || !data.path("uuid").isTextual()
        || !UUID_LOWER.matcher(data.get("uuid").asText()).matches()
        || !data.path("reply").isTextual()
        || data.get("reply").asText().isEmpty()) {
      return Outcome.of(400, "invalid event target or data for type reply_sent");
    }
    Optional<SourceRow> s = reads.source(sourceUuid);
    if (s.isEmpty()) {
      return Outcome.of(404, "could not find source: " + sourceUuid);
    }
    String replyUuid = data.get("uuid").asText();
    if (reads.itemUuidTaken(replyUuid)) {
      return Outcome.of(409, "duplicate UUID");
    }
    String armored = data.get("reply").asText();
    if (!ArmoredReply.looksArmored(armored)) {
      return Outcome.of(400, "reply is not encrypted");
    }
    Optional<ConversationService.StoredReply> r =
        conversations.storeClientReply(
            caller.journalist(),
            sourceUuid,
            armored.getBytes(StandardCharsets.US_ASCII),
            replyUuid);
    if (r.isEmpty()) {
      return Outcome.of(500, "failed to process event");
    }
    return new Outcome(200, null, Set.of(sourceUuid), Set.of(r.get().uuid()));
  }

  private Outcome itemDeleted(JsonNode target) {
    String itemUuid = targetUuid(target, "item_uuid");
    if (itemUuid == null) {
      return Outcome.of(400, "invalid event target for type item_deleted");
    }
    Optional<SubmissionRow> x = reads.submissionByUuid(itemUuid);
    Optional<ReplyRow> r = reads.replyByUuid(itemUuid);
    if (x.isEmpty() && r.isEmpty()) {
      return Outcome.of(410, null);
    }
    String sourceUuid = x.isPresent() ? x.get().sourceUuid() : r.get().sourceUuid();
    if (x.isPresent()) {
      conversations.deleteSubmissions(sourceUuid, List.of(itemUuid));
    } else {
      conversations.deleteReply(sourceUuid, itemUuid);
    }
    return new Outcome(200, null, Set.of(), Set.of(itemUuid));
  }

  private Outcome sourceDeleted(JsonNode target) {
    String sourceUuid = targetUuid(target, "source_uuid");
    if (sourceUuid == null) {
      return Outcome.of(400, "invalid event target for type source_deleted");
    }
    Optional<SourceRow> s = reads.source(sourceUuid);
    if (s.isEmpty()) {
      return Outcome.of(410, null);
    }
    ApiIndex.Records recs = index.records(index.state(s.get()), u -> true);
    String current = ApiIndex.version(recs.sources().get(sourceUuid));
    String seen = target.get("version").asText();
    if (!current.equals(seen)) {
      return Outcome.of(409, "outdated source: expected " + current + ", got " + seen);
    }
    conversations.deleteSource(sourceUuid);
    return new Outcome(200, null, Set.of(sourceUuid), recs.items().keySet());
  }

  private Outcome starred(JsonNode target, boolean star) {
    String sourceUuid = targetUuid(target, "source_uuid");
    if (sourceUuid == null) {
      return Outcome.of(400, "invalid event target");
    }
    if (reads.source(sourceUuid).isEmpty()) {
      return Outcome.of(404, "could not find source: " + sourceUuid);
    }
    conversations.star(sourceUuid, star);
    return new Outcome(200, null, Set.of(sourceUuid), Set.of());
  }

  /**
   * The source and interaction-count bound a conversation event names, or its refusal: 400 for a
   * malformed target or data, 410 for a source that is gone.
   */
  private record Span(SourceRow source, long bound, Outcome refusal) {}

  private Span span(JsonNode target, JsonNode data, String type) {
    String sourceUuid = targetUuid(target, "source_uuid");
    long bound = upperBound(data);
    if (sourceUuid == null || bound < 0) {
      return new Span(
          null, bound, Outcome.of(400, "invalid event target or data for type " + type));
    }
    return reads
        .source(sourceUuid)
        .map(s -> new Span(s, bound, null))
        .orElseGet(() -> new Span(null, bound, Outcome.of(410, null)));
  }

  private Outcome truncated(JsonNode target, JsonNode data) {
    Span span = span(target, data, "source_conversation_truncated");
    if (span.refusal() != null) {
      return span.refusal();
    }
    String sourceUuid = span.source().uuid();
    Set<String> deleted = new HashSet<>();
    List<String> subs = submissionsUpTo(span.source().id(), span.bound());
    conversations.deleteSubmissions(sourceUuid, subs);
    deleted.addAll(subs);
    for (String reply : repliesUpTo(span.source().id(), span.bound())) {
      conversations.deleteReply(sourceUuid, reply);
      deleted.add(reply);
    }
    return new Outcome(200, null, Set.of(sourceUuid), deleted);
  }

  private Outcome conversationSeen(Auth.Caller caller, JsonNode target, JsonNode data) {
    Span span = span(target, data, "source_conversation_seen");
    if (span.refusal() != null) {
      return span.refusal();
    }
    List<String> subs = submissionsUpTo(span.source().id(), span.bound());
    List<String> reps = repliesUpTo(span.source().id(), span.bound());
    conversations.markSeen(caller.journalist(), subs, reps);
    Set<String> seen = new HashSet<>(subs);
    seen.addAll(reps);
    return new Outcome(200, null, Set.of(span.source().uuid()), seen);
  }

  /** The uuids of the source's submissions at or below {@code bound} (an interaction count). */
  private List<String> submissionsUpTo(long sourceId, long bound) {
    return upTo(
        reads.submissions(sourceId), bound, SubmissionRow::interactionCount, SubmissionRow::uuid);
  }

  /** The uuids of the source's replies at or below {@code bound} (an interaction count). */
  private List<String> repliesUpTo(long sourceId, long bound) {
    return upTo(reads.replies(sourceId), bound, ReplyRow::interactionCount, ReplyRow::uuid);
  }

  private static <R> List<String> upTo(
      List<R> rows,
      long bound,
      java.util.function.ToIntFunction<R> interactionCount,
      java.util.function.Function<R, String> uuid) {
    List<String> out = new ArrayList<>();
    for (R row : rows) {
      if (interactionCount.applyAsInt(row) <= bound) {
        out.add(uuid.apply(row));
      }
    }
    return out;
  }
}
