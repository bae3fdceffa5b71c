package org.oniondrop.dropbox.journalist;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.oniondrop.dropbox.core.persistence.Source;
import org.oniondrop.dropbox.core.testing.GpgKeyResource;
import org.oniondrop.dropbox.journalist.api.ApiIndex;

/**
 * API v2 as the SecureDrop Inbox uses it (API2.md): login hints, the index with ETag and 304,
 * shards, batches, idempotent events (208), 429 over EVENTS_MAX, deletions that name a stale
 * version refused (409), last-write-wins stars, Prefer and X-Request-ID.
 */
@QuarkusTest
@QuarkusTestResource(value = GpgKeyResource.class, restrictToAnnotatedClass = true)
@SuppressWarnings("unchecked")
class ApiV2Test {

  @Inject Fixtures fixtures;

  static RequestSpecification as(String token) {
    return given()
        .header("Authorization", "Token " + token)
        .header("Prefer", "securedrop=4")
        .contentType("application/json");
  }

  static long snowflake = System.currentTimeMillis() << 22;

  /** POSTs one event on a source, its target naming the version of the source the client holds. */
  static Response sourceEvent(
      String token, String id, String type, String sourceUuid, String version) {
    Map<String, Object> target = Map.of("source_uuid", sourceUuid, "version", version);
    return as(token)
        .body(Map.of("events", List.of(Map.of("id", id, "type", type, "target", target))))
        .post("/api/v2/data");
  }

  static String nextId() {
    return Long.toString(++snowflake);
  }

  @Test
  void hintsIndexEtagShardsAndBatches() throws Exception {
    Fixtures.Account a = fixtures.journalist(false);
    Response login = Fixtures.apiLogin(a, 0);
    assertThat(login.statusCode()).isEqualTo(200);
    String token = login.jsonPath().getString("token");
    String hinted = login.jsonPath().getString("hints.version");
    assertThat(hinted).matches("[0-9a-f]{64}");

    Source source =
        fixtures.sourceOf(fixtures.sourceWithSubmissions("For the Inbox.", new byte[] {1, 2}));
    // Without a token: 403, also for the root (the Inbox's harness probes it for "up": 403).
    assertThat(given().get("/api/v2/index").statusCode()).isEqualTo(403);
    assertThat(given().get("/api/v2/").statusCode()).isEqualTo(403);
    Response root = as(token).get("/api/v2/");
    assertThat(root.statusCode()).isEqualTo(200);
    assertThat(root.jsonPath().getString("index_url")).isEqualTo("/api/v2/index");
    assertThat(root.jsonPath().getString("data_url")).isEqualTo("/api/v2/data");

    Response idx =
        as(token)
            .header("X-Request-ID", "req-72d64b57-4632-4d3e-96b0-24a0428f7ec1")
            .get("/api/v2/index");
    assertThat(idx.statusCode()).isEqualTo(200);
    assertThat(idx.getHeader("X-Request-ID")).isEqualTo("req-72d64b57-4632-4d3e-96b0-24a0428f7ec1");
    assertThat(idx.getHeader("Preference-Applied")).isEqualTo("securedrop=4");
    String etag = idx.getHeader("ETag");
    String version = etag.replace("\"", "");
    assertThat(version).matches("[0-9a-f]{64}").isNotEqualTo(hinted);
    Map<String, Object> body = idx.jsonPath().getMap("");
    assertThat(body.keySet()).containsExactly("items", "journalists", "sources");
    Map<String, String> sources = (Map<String, String>) body.get("sources");
    Map<String, String> items = (Map<String, String>) body.get("items");
    assertThat(sources).containsKey(source.uuid);
    // The global version is the BLAKE2s of the sorted index, as the Inbox computes its own.
    assertThat(ApiIndex.version(new java.util.TreeMap<>(body))).isEqualTo(version);
    // A malformed request id is not echoed.
    assertThat(
            as(token)
                .header("X-Request-ID", "evil\tlog")
                .get("/api/v2/index")
                .getHeader("X-Request-ID"))
        .isNull();

    // Nothing changed: 304, bare or quoted.
    assertThat(as(token).header("If-None-Match", version).get("/api/v2/index").statusCode())
        .isEqualTo(304);
    assertThat(as(token).header("If-None-Match", etag).get("/api/v2/index").statusCode())
        .isEqualTo(304);

    // A shard holds only the sources (and their items) under its prefixes.
    String prefix = source.uuid.substring(0, 2);
    Response shard = as(token).get("/api/v2/index/" + prefix + ",zz".replace("zz", "ff"));
    assertThat(shard.statusCode()).isEqualTo(200);
    Map<String, String> shardSources = shard.jsonPath().getMap("sources");
    assertThat(shardSources).containsKey(source.uuid);
    assertThat(shardSources.keySet()).allMatch(u -> u.startsWith(prefix) || u.startsWith("ff"));
    assertThat(as(token).get("/api/v2/index/not_hex!").statusCode()).isEqualTo(400);

    // A batch: records by uuid; an unknown uuid answers null.
    List<String> itemUuids = new ArrayList<>();
    Response batch =
        as(token)
            .body(
                Map.of(
                    "sources", List.of(source.uuid, UUID.randomUUID().toString()),
                    "items", new ArrayList<>(items.keySet()),
                    "journalists", List.of(a.uuid()),
                    "events", List.of()))
            .post("/api/v2/data");
    assertThat(batch.statusCode()).as(batch.asString()).isEqualTo(200);
    Map<String, Object> record = batch.jsonPath().getMap("sources." + "'" + source.uuid + "'");
    assertThat(record.keySet())
        .containsExactlyInAnyOrder(
            "fingerprint",
            "has_attachment",
            "is_seen",
            "is_starred",
            "journalist_designation",
            "last_updated",
            "public_key",
            "uuid");
    // v2's timestamp form: UTC, six fraction digits, no zone letter (the form whose hashes equal
    // SecureDrop's for the Inbox's fixtures; v1 keeps the trailing Z).
    assertThat((String) record.get("last_updated"))
        .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}");
    // The record's version in the index is the hash of the record as sent.
    assertThat(ApiIndex.version(new java.util.TreeMap<>(record)))
        .isEqualTo(sources.get(source.uuid));
    Map<String, Object> answered = batch.jsonPath().getMap("sources");
    assertThat(answered.values()).containsNull();
    Map<String, Object> answeredItems = batch.jsonPath().getMap("items");
    for (Map.Entry<String, Object> e : answeredItems.entrySet()) {
      Map<String, Object> item = (Map<String, Object>) e.getValue();
      if (source.uuid.equals(item.get("source"))) {
        itemUuids.add(e.getKey());
        assertThat(List.of("file", "message")).contains((String) item.get("kind"));
      }
    }
    assertThat(itemUuids).hasSize(2);

    // Events: star (then a resubmission is 208 and not applied again), and a stale delete is 409.
    String sourceVersion = sources.get(source.uuid);
    String starId = nextId();
    Map<String, Object> star =
        Map.of(
            "id",
            starId,
            "type",
            "source_starred",
            "target",
            Map.of("source_uuid", source.uuid, "version", sourceVersion),
            "data",
            Map.of());
    Response starred = as(token).body(Map.of("events", List.of(star))).post("/api/v2/data");
    assertThat(starred.jsonPath().getList("events.\'" + starId + "\'")).containsExactly(200, null);
    assertThat(starred.jsonPath().getBoolean("sources.'" + source.uuid + "'.is_starred")).isTrue();
    // The index moved.
    assertThat(as(token).header("If-None-Match", version).get("/api/v2/index").statusCode())
        .isEqualTo(200);
    // Unstar by someone else (last write wins), then the star resubmitted: 208, no effect.
    String unstarId = nextId();
    sourceEvent(token, unstarId, "source_unstarred", source.uuid, sourceVersion);
    Response again =
        as(token)
            .body(Map.of("events", List.of(star), "sources", List.of(source.uuid)))
            .post("/api/v2/data");
    assertThat(again.jsonPath().getList("events.\'" + starId + "\'")).containsExactly(208, null);
    assertThat(again.jsonPath().getBoolean("sources.'" + source.uuid + "'.is_starred")).isFalse();

    // Starred then unstarred: the same state, so the same version again (versions are content).
    assertThat(as(token).header("If-None-Match", version).get("/api/v2/index").statusCode())
        .isEqualTo(304);

    // Star it again: now the source differs from the version the client saw first.
    String restarId = nextId();
    sourceEvent(token, restarId, "source_starred", source.uuid, sourceVersion);
    String deleteId = nextId();
    Response stale = sourceEvent(token, deleteId, "source_deleted", source.uuid, sourceVersion);
    assertThat(stale.jsonPath().getInt("events.'" + deleteId + "'[0]")).isEqualTo(409);
    // An error is not remembered: the same event with the current version succeeds.
    String current =
        as(token).get("/api/v2/index").jsonPath().getString("sources.'" + source.uuid + "'");
    Response deleted = sourceEvent(token, deleteId, "source_deleted", source.uuid, current);
    assertThat(deleted.jsonPath().getList("events.\'" + deleteId + "\'"))
        .containsExactly(200, null);
    assertThat(deleted.jsonPath().getMap("sources")).containsEntry(source.uuid, null);
    assertThat(deleted.jsonPath().getMap("items").keySet()).containsAll(itemUuids);

    // Too many events: the whole batch is refused with 429 and nothing is applied.
    List<Object> many = new ArrayList<>();
    for (int i = 0; i <= org.oniondrop.dropbox.journalist.api.ApiV2Resource.EVENTS_MAX; i++) {
      many.add(Map.of("id", nextId(), "type", "source_starred", "target", Map.of()));
    }
    assertThat(as(token).body(Map.of("events", many)).post("/api/v2/data").statusCode())
        .isEqualTo(429);
  }
}
