package org.oniondrop.dropbox.journalist.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The API's JSON request bodies, checked without any database or HTTP machinery: what the resources
 * ({@link ApiV1Resource}, {@link ApiV2Resource}) take from outside, in one place so that it can be
 * fuzzed ({@code ApiBodiesFuzzTest}).
 *
 * <p>Security guarantees: every function accepts any bytes or any JSON tree and either returns the
 * checked value or a {@link Refusal} (a 4xx the API answers with); no other outcome (exception,
 * unbounded work) is possible. Lists are bounded ({@link ApiV1Resource#MAX_SEEN_ITEMS}, {@link
 * ApiV2Resource#MAX_BATCH_UUIDS}, {@link ApiV2Resource#EVENTS_MAX}) before they are walked.
 */
public final class ApiBodies {

  private ApiBodies() {}

  /** A refusal: the HTTP status and the API's message. */
  public record Refusal(int status, String message) {}

  /** A checked value, or the refusal that stopped it (exactly one of the two is set). */
  public record Checked<T>(T value, Refusal refusal) {
    static <T> Checked<T> ok(T value) {
      return new Checked<>(value, null);
    }

    static <T> Checked<T> refused(int status, String message) {
      return new Checked<>(null, new Refusal(status, message));
    }
  }

  /** The JSON of a body, or null when it is empty or not JSON. */
  public static JsonNode parse(ObjectMapper json, byte[] raw) {
    if (raw == null || raw.length == 0) {
      return null;
    }
    try {
      return json.readTree(new String(raw, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return null;
    }
  }

  /** POST /api/v1/token's fields. */
  public record Login(String username, String passphrase, String oneTimeCode) {}

  /** SecureDrop's order: an object, each field present, then each of the right type (else 403). */
  public static Checked<Login> login(JsonNode n) {
    if (n == null || !n.isObject()) {
      return Checked.refused(400, ApiV1Resource.MALFORMED);
    }
    for (String field : List.of("username", "passphrase", "one_time_code")) {
      if (n.path(field).isMissingNode() || n.get(field).isNull()) {
        return Checked.refused(400, field + " field is missing");
      }
    }
    JsonNode u = n.get("username");
    JsonNode p = n.get("passphrase");
    JsonNode o = n.get("one_time_code");
    if (!u.isTextual() || !p.isTextual() || !(o.isTextual() || o.isIntegralNumber())) {
      return Checked.refused(403, "Token authentication failed.");
    }
    return Checked.ok(new Login(u.asText(), p.asText(), o.asText()));
  }

  /** The refusal of a reply that is not OpenPGP armored (SecureDrop's wording). */
  public static final String NOT_ENCRYPTED = "You must encrypt replies client side";

  /** POST /api/v1/sources/{uuid}/replies's fields (after the source and content-type checks). */
  public record ReplyBody(String armored, String uuid) {}

  public static Checked<ReplyBody> reply(JsonNode n) {
    if (n == null || !n.isObject() || !n.has("reply")) {
      return Checked.refused(400, "reply not found in request body");
    }
    JsonNode reply = n.get("reply");
    if (reply.isNull()
        || (reply.isTextual() && reply.asText().isEmpty())
        || (reply.isBoolean() && !reply.asBoolean())
        || (reply.isNumber() && reply.asDouble() == 0)
        || (reply.isContainerNode() && reply.isEmpty())) {
      return Checked.refused(400, "reply should not be empty");
    }
    String armored = reply.isTextual() ? reply.asText() : "";
    if (!ArmoredReply.looksArmored(armored)) {
      return Checked.refused(400, NOT_ENCRYPTED);
    }
    String chosen = null;
    if (n.hasNonNull("uuid")) {
      JsonNode u = n.get("uuid");
      if (!u.isTextual() || !ApiV1Resource.UUID_TEXT.matcher(u.asText()).matches()) {
        return Checked.refused(400, "'uuid' was not a valid UUID");
      }
      chosen = u.asText().toLowerCase(java.util.Locale.ROOT);
    }
    return Checked.ok(new ReplyBody(armored, chosen));
  }

  /** POST /api/v1/seen's lists (each entry as text; existence is checked by the resource). */
  public record Seen(List<String> files, List<String> messages, List<String> replies) {}

  public static Checked<Seen> seen(JsonNode n) {
    if (n == null || !n.isObject()) {
      return Checked.refused(400, "Please send requests in valid JSON.");
    }
    boolean any = false;
    int total = 0;
    for (String field : List.of("files", "messages", "replies")) {
      JsonNode v = n.get(field);
      if (v == null || v.isNull()) {
        continue;
      }
      if (!v.isArray()) {
        return Checked.refused(400, "Please send requests in valid JSON.");
      }
      any |= !v.isEmpty();
      total += v.size();
    }
    if (!any) {
      return Checked.refused(400, "Please specify the resources to mark seen.");
    }
    if (total > ApiV1Resource.MAX_SEEN_ITEMS) {
      return Checked.refused(
          400, "Please mark at most " + ApiV1Resource.MAX_SEEN_ITEMS + " items at once.");
    }
    return Checked.ok(
        new Seen(texts(n.path("files")), texts(n.path("messages")), texts(n.path("replies"))));
  }

  private static List<String> texts(JsonNode list) {
    List<String> out = new ArrayList<>();
    for (JsonNode v : list) {
      out.add(v.asText());
    }
    return out;
  }

  /** POST /api/v2/data: the records wanted by uuid and the events, ordered by their ids. */
  public record Batch(
      Set<String> sources, Set<String> items, Set<String> journalists, List<JsonNode> events) {}

  public static Checked<Batch> batch(JsonNode n) {
    if (n == null || !n.isObject()) {
      return Checked.refused(400, "malformed request");
    }
    Set<String> wantSources = new HashSet<>();
    Set<String> wantItems = new HashSet<>();
    Set<String> wantJournalists = new HashSet<>();
    int total = 0;
    for (var field :
        List.of(
            java.util.Map.entry("sources", wantSources),
            java.util.Map.entry("items", wantItems),
            java.util.Map.entry("journalists", wantJournalists))) {
      JsonNode list = n.get(field.getKey());
      if (list == null || list.isNull()) {
        continue;
      }
      if (!list.isArray()) {
        return Checked.refused(400, field.getKey() + " must be a list of UUIDs");
      }
      total += list.size();
      if (total > ApiV2Resource.MAX_BATCH_UUIDS) {
        return Checked.refused(
            400, "at most " + ApiV2Resource.MAX_BATCH_UUIDS + " UUIDs per batch");
      }
      for (JsonNode u : list) {
        if (!u.isTextual() || u.asText().length() > 36) {
          return Checked.refused(400, field.getKey() + " must be a list of UUIDs");
        }
        field.getValue().add(u.asText());
      }
    }
    JsonNode events = n.get("events");
    List<JsonNode> ordered = new ArrayList<>();
    if (events != null && !events.isNull()) {
      if (!events.isArray()) {
        return Checked.refused(400, "events must be a list");
      }
      if (events.size() > ApiV2Resource.EVENTS_MAX) {
        return Checked.refused(429, ApiErrors.TOO_MANY_TEXT);
      }
      for (JsonNode e : events) {
        if (!e.isObject()
            || !e.path("id").isTextual()
            || !ApiV2Resource.EVENT_ID.matcher(e.get("id").asText()).matches()) {
          return Checked.refused(400, "every event needs a string snowflake id");
        }
        ordered.add(e);
      }
      ordered.sort(
          (a, b) ->
              new BigInteger(a.get("id").asText()).compareTo(new BigInteger(b.get("id").asText())));
    }
    return Checked.ok(new Batch(wantSources, wantItems, wantJournalists, ordered));
  }
}
