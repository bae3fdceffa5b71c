package org.oniondrop.dropbox.journalist;

import static io.restassured.RestAssured.given;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.oniondrop.dropbox.core.persistence.Source;
import org.oniondrop.dropbox.core.testing.GpgKeyResource;
import org.oniondrop.dropbox.journalist.api.ApiIndex;

/**
 * Benchmark, not a test (its name keeps it out of the default suite): API v2's index at 10,000
 * sources and 100,000 items, in its own database. Run with
 *
 * <pre>
 * ./mvnw -pl dropbox-journalist -Dtest=ApiV2IndexBench -Dsurefire.failIfNoSpecifiedTests=false test
 * </pre>
 *
 * It prints the index build time (median of 5, after 2 warm-ups), the size of {@code GET
 * /api/v2/index} and of a 1/16 shard, the bytes one build allocates, the heap after GC before and
 * after 10 full index requests, a one-source and an every-record batch, and the time of a 304.
 */
@QuarkusTest
@TestProfile(ApiV2IndexBench.OwnDatabase.class)
@QuarkusTestResource(value = GpgKeyResource.class, restrictToAnnotatedClass = true)
class ApiV2IndexBench {

  static final int SOURCES = Integer.getInteger("bench.sources", 10_000);
  static final int ITEMS_PER_SOURCE = Integer.getInteger("bench.items-per-source", 10);

  /** A database of its own, so the suite's tests never list 10,000 sources. */
  public static class OwnDatabase implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "oniondrop.data-dir",
          java.nio.file.Path.of("target", "api-bench-data-" + System.nanoTime())
              .toAbsolutePath()
              .toString());
    }
  }

  @Inject Fixtures fixtures;
  @Inject DataSource db;
  @Inject ApiIndex index;

  @Test
  void indexAtTenThousandSources() throws Exception {
    Source model = fixtures.sourceOf(fixtures.sourceWithSubmissions("model", new byte[] {1}));
    Fixtures.Account a = fixtures.journalist(false);
    String token = Fixtures.apiToken(a, 0);
    long t0 = System.nanoTime();
    populate(model);
    System.out.printf(
        "BENCH populate %d sources, %d items: %d ms%n",
        SOURCES, SOURCES * ITEMS_PER_SOURCE, (System.nanoTime() - t0) / 1_000_000);

    long[] runs = new long[7];
    ApiIndex.Snapshot snap = null;
    for (int i = 0; i < runs.length; i++) {
      long s = System.nanoTime();
      snap = index.snapshot();
      runs[i] = System.nanoTime() - s;
    }
    long[] measured = java.util.Arrays.copyOfRange(runs, 2, runs.length);
    java.util.Arrays.sort(measured);
    System.gc();
    Runtime rt = Runtime.getRuntime();
    System.out.printf(
        "BENCH index build: median %d ms (min %d, max %d) for %d sources, %d items%n",
        measured[2] / 1_000_000,
        measured[0] / 1_000_000,
        measured[4] / 1_000_000,
        snap.sources().size(),
        snap.items().size());
    System.out.printf(
        "BENCH heap used after builds: %d MB%n", (rt.totalMemory() - rt.freeMemory()) >> 20);

    long s = System.nanoTime();
    Response full = given().header("Authorization", "Token " + token).get("/api/v2/index");
    long fullMs = (System.nanoTime() - s) / 1_000_000;
    System.out.printf(
        "BENCH GET /api/v2/index: %d bytes in %d ms%n", full.asByteArray().length, fullMs);
    Response shard = given().header("Authorization", "Token " + token).get("/api/v2/index/0");
    System.out.printf("BENCH GET /api/v2/index/0: %d bytes%n", shard.asByteArray().length);
    // Memory: bytes allocated by one index build (this thread), and the heap after GC before and
    // after 10 full index requests (flat: nothing is kept per request).
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long a0 = threads.getCurrentThreadAllocatedBytes();
    index.snapshot();
    System.out.printf(
        "BENCH allocated by one index build: %d MB%n",
        (threads.getCurrentThreadAllocatedBytes() - a0) >> 20);
    System.gc();
    long heapBefore = rt.totalMemory() - rt.freeMemory();
    long[] reqMs = new long[10];
    for (int i = 0; i < reqMs.length; i++) {
      long r0 = System.nanoTime();
      given().header("Authorization", "Token " + token).get("/api/v2/index").asByteArray();
      reqMs[i] = (System.nanoTime() - r0) / 1_000_000;
    }
    System.gc();
    long heapAfter = rt.totalMemory() - rt.freeMemory();
    System.out.printf(
        "BENCH 10 x GET /api/v2/index: ms %s; heap after GC before %d MB, after %d MB%n",
        java.util.Arrays.toString(reqMs), heapBefore >> 20, heapAfter >> 20);

    // Batches: one source (an incremental sync) and every record (an initial sync).
    Map<String, Object> fullIndex = full.jsonPath().getMap("");
    @SuppressWarnings("unchecked")
    Map<String, String> allSources = (Map<String, String>) fullIndex.get("sources");
    @SuppressWarnings("unchecked")
    Map<String, String> allItems = (Map<String, String>) fullIndex.get("items");
    String one = allSources.keySet().iterator().next();
    s = System.nanoTime();
    Response small =
        given()
            .header("Authorization", "Token " + token)
            .contentType("application/json")
            .body(
                Map.of(
                    "sources", java.util.List.of(one),
                    "items", java.util.List.of(),
                    "journalists", java.util.List.of(),
                    "events", java.util.List.of()))
            .post("/api/v2/data");
    System.out.printf(
        "BENCH POST /api/v2/data, 1 source: %d, %d bytes in %d ms%n",
        small.statusCode(), small.asByteArray().length, (System.nanoTime() - s) / 1_000_000);
    s = System.nanoTime();
    Response initial =
        given()
            .header("Authorization", "Token " + token)
            .contentType("application/json")
            .body(
                Map.of(
                    "sources",
                    new java.util.ArrayList<>(allSources.keySet()),
                    "items",
                    new java.util.ArrayList<>(allItems.keySet()),
                    "journalists",
                    java.util.List.of(),
                    "events",
                    java.util.List.of()))
            .post("/api/v2/data");
    System.out.printf(
        "BENCH POST /api/v2/data, every record (%d): %d, %d bytes in %d ms%n",
        allSources.size() + allItems.size(),
        initial.statusCode(),
        initial.asByteArray().length,
        (System.nanoTime() - s) / 1_000_000);

    s = System.nanoTime();
    Response same =
        given()
            .header("Authorization", "Token " + token)
            .header("If-None-Match", snap.version())
            .get("/api/v2/index");
    System.out.printf(
        "BENCH If-None-Match current: %d in %d ms%n",
        same.statusCode(), (System.nanoTime() - s) / 1_000_000);
  }

  private void populate(Source model) throws Exception {
    Timestamp now = Timestamp.from(Instant.now());
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      long firstId;
      try (PreparedStatement src =
          c.prepareStatement(
              "insert into sources (uuid, filesystem_id, journalist_designation, created_at,"
                  + " last_updated, pending, interaction_count, is_starred, reply_public_key,"
                  + " reply_secret_key, reply_key_fingerprint) values (?,?,?,?,?,false,?,false,?,?,?)")) {
        for (int i = 0; i < SOURCES; i++) {
          src.setString(1, UUID.randomUUID().toString());
          src.setString(2, String.format("BENCH%047d", i));
          src.setString(3, "bench source");
          src.setTimestamp(4, now);
          src.setTimestamp(5, now);
          src.setInt(6, ITEMS_PER_SOURCE);
          src.setBytes(7, model.replyPublicKey);
          src.setBytes(8, new byte[] {0});
          src.setString(9, model.replyKeyFingerprint);
          src.addBatch();
        }
        src.executeBatch();
      }
      try (var q = c.createStatement();
          var rs =
              q.executeQuery("select min(id) from sources where filesystem_id like 'BENCH%'")) {
        rs.next();
        firstId = rs.getLong(1);
      }
      try (PreparedStatement sub =
          c.prepareStatement(
              "insert into submissions (uuid, source_id, filename, kind, size, sha256,"
                  + " encrypted_to, created_at, downloaded) values (?,?,?,?,?,?,?,?,false)")) {
        for (int i = 0; i < SOURCES; i++) {
          for (int n = 1; n <= ITEMS_PER_SOURCE; n++) {
            sub.setString(1, UUID.randomUUID().toString());
            sub.setLong(2, firstId + i);
            sub.setString(3, n + "-bench_source-" + (n % 2 == 0 ? "doc.gz.gpg" : "msg.gpg"));
            sub.setString(4, n % 2 == 0 ? "document" : "message");
            sub.setLong(5, 1000 + n);
            sub.setString(6, "0".repeat(64));
            sub.setString(7, "0".repeat(64));
            sub.setTimestamp(8, now);
            sub.addBatch();
          }
          if (i % 500 == 499) {
            sub.executeBatch();
          }
        }
        sub.executeBatch();
      }
      c.commit();
    }
  }
}
