package org.oniondrop.dropbox.journalist;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.oniondrop.crypto.totp.Totp;
import org.oniondrop.dropbox.core.testing.GpgKeyResource;
import org.oniondrop.dropbox.core.testing.TestClock;

/**
 * The SecureDrop Inbox's server tests' data (securedrop-client {@code app/server_tests/}) served by
 * OnionDrop: the fixtures are loaded by {@link InboxFixtures} into a database of this test's own,
 * and the sync the Inbox performs (token with hints, index, batch of every record, 304 on the
 * second sync, then the events its other server tests send) is replayed against the API.
 *
 * <p>The fixtures are the client project's files and are fetched at test time, not committed: run
 * {@code dropbox-journalist/inbox-server-tests.sh}, which fetches them and passes {@code
 * -Dinbox.data=<dir>}. Without that property this class is skipped.
 */
@QuarkusTest
@TestProfile(InboxFixturesTest.OwnDatabase.class)
@QuarkusTestResource(value = GpgKeyResource.class, restrictToAnnotatedClass = true)
@EnabledIfSystemProperty(named = "inbox.data", matches = ".+")
@SuppressWarnings("unchecked")
class InboxFixturesTest {

  public static class OwnDatabase implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "oniondrop.data-dir",
          java.nio.file.Path.of("target", "inbox-fixtures-" + System.nanoTime())
              .toAbsolutePath()
              .toString());
    }
  }

  static final String JOURNALIST = "be726875-1290-49d4-922d-2fc0901c9266";
  static final String PASSPHRASE = "correct horse battery staple profanity oil chewy";
  static final String OTP = "JHCOGO7VCER3EJ4L";

  @Inject InboxFixtures fixtures;

  static String code(long offset) {
    long now = Instant.now().plus(TestClock.offset).getEpochSecond();
    return Totp.code(Totp.parseBase32(OTP), Math.floorDiv(now, Totp.STEP_SECONDS) + offset);
  }

  static long step;

  static Response login(String username) {
    return given()
        .contentType("application/json")
        .body(Map.of("username", username, "passphrase", PASSPHRASE, "one_time_code", code(step++)))
        .post("/api/v1/token");
  }

  @ConfigProperty(name = "oniondrop.data-dir")
  String dataDir;

  /**
   * Not a test: with {@code -Dinbox.prepare=<file>} (inbox-server-tests.sh), loads the fixtures
   * into this run's data directory, their items recorded as encrypted to {@code
   * -Dinbox.submission-fingerprint=<hex>} (SecureDrop's test submission key, which the fixtures are
   * encrypted to), and writes that directory's path to {@code <file>}. The script copies it, once
   * Maven has closed the database, for every start of the packaged server (each Inbox test file
   * gets fresh data, as SecureDrop's dev container gives it). Nothing else happens here: a login
   * would record a TOTP step that the Inbox's own login could then not reuse.
   */
  @Test
  @EnabledIfSystemProperty(named = "inbox.prepare", matches = ".+")
  void prepareTheFixturesForThePackagedServer() throws Exception {
    Path data = Path.of(System.getProperty("inbox.data"));
    String fingerprint = System.getProperty("inbox.submission-fingerprint");
    if (fingerprint == null || !fingerprint.matches("[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64}")) {
      fixtures.load(data);
    } else {
      fixtures.load(data, fingerprint.toUpperCase(java.util.Locale.ROOT));
    }
    Files.writeString(Path.of(System.getProperty("inbox.prepare")), dataDir);
  }

  @Test
  @DisabledIfSystemProperty(named = "inbox.prepare", matches = ".+")
  void theInboxSyncsTheFixturesFromOnionDrop() throws Exception {
    Path data = Path.of(System.getProperty("inbox.data"));
    fixtures.load(data);

    Response login = login("journalist");
    assertThat(login.statusCode()).as(login.asString()).isEqualTo(200);
    assertThat(login.jsonPath().getString("journalist_uuid")).isEqualTo(JOURNALIST);
    assertThat(login.jsonPath().getInt("hints.sources")).isEqualTo(3);
    assertThat(login.jsonPath().getInt("hints.items")).isEqualTo(18);
    String token = login.jsonPath().getString("token");

    Response idx =
        given()
            .header("Authorization", "Token " + token)
            .header("If-None-Match", "")
            .header("Prefer", "securedrop=4")
            .get("/api/v2/index");
    assertThat(idx.statusCode()).isEqualTo(200);
    Map<String, Map<String, String>> index = idx.jsonPath().getMap("");
    assertThat(index.get("sources")).hasSize(3);
    assertThat(index.get("items")).hasSize(18);
    assertThat(index.get("journalists"))
        .containsKeys(
            JOURNALIST,
            "72eb04dc-7596-4bc0-a9b1-a0f5648f04f0",
            "e32be48a-67b9-4516-834a-69fbe0f14d10");

    // Compare with the versions SecureDrop gives the same data (sync.test.ts EXPECTED_INDEX).
    Path syncTest = data.getParent().resolve("sync.test.ts");
    if (Files.exists(syncTest)) {
      Matcher m =
          Pattern.compile("\"([0-9a-f-]{36})\":\\s*\"([0-9a-f]{64})\"")
              .matcher(Files.readString(syncTest));
      int same = 0;
      int total = 0;
      List<String> differ = new ArrayList<>();
      while (m.find()) {
        total++;
        String ours = null;
        for (Map<String, String> part : index.values()) {
          ours = ours != null ? ours : part.get(m.group(1));
        }
        if (m.group(2).equals(ours)) {
          same++;
        } else {
          differ.add(m.group(1));
        }
      }
      System.out.printf(
          "INBOX versions equal to SecureDrop's: %d of %d (differ: %s)%n", same, total, differ);
      // Every record of the fixtures hashes to the version SecureDrop gives it (the Inbox's
      // sync.test.ts asserts its whole index equals those).
      assertThat(differ).isEmpty();
      assertThat(total).isEqualTo(24);
    }

    // The batch the Inbox sends next: every record.
    Response batch =
        given()
            .header("Authorization", "Token " + token)
            .contentType("application/json")
            .body(
                Map.of(
                    "sources", new ArrayList<>(index.get("sources").keySet()),
                    "items", new ArrayList<>(index.get("items").keySet()),
                    "journalists", new ArrayList<>(index.get("journalists").keySet()),
                    "events", List.of()))
            .post("/api/v2/data");
    assertThat(batch.statusCode()).isEqualTo(200);
    Map<String, Map<String, Object>> sources = batch.jsonPath().getMap("sources");
    assertThat(sources.get("60a49b24-1a75-4daf-b0fa-125c1ce0d723"))
        .containsEntry("journalist_designation", "incapable elimination");
    for (var e : index.get("sources").entrySet()) {
      assertThat(
              org.oniondrop.dropbox.journalist.api.ApiIndex.version(
                  new TreeMap<>(sources.get(e.getKey()))))
          .isEqualTo(e.getValue());
    }
    Map<String, Map<String, Object>> items = batch.jsonPath().getMap("items");
    assertThat(items.get("6428c271-3108-4c73-9a44-9acfb7e2b388"))
        .containsEntry("kind", "reply")
        .containsEntry("journalist_uuid", "e32be48a-67b9-4516-834a-69fbe0f14d10")
        .containsEntry("interaction_count", 2);
    assertThat(items.get("127b98a7-2976-45a9-8dde-dd50602bffbb")).containsEntry("kind", "file");

    // Second sync: nothing changed, 304.
    String version = idx.getHeader("ETag").replace("\"", "");
    assertThat(
            given()
                .header("Authorization", "Token " + token)
                .header("If-None-Match", version)
                .get("/api/v2/index")
                .statusCode())
        .isEqualTo(304);

    // A download of a fixture item is its ciphertext, as SecureDrop serves it.
    Response dl =
        given()
            .header("Authorization", "Token " + token)
            .get(
                "/api/v1/sources/60a49b24-1a75-4daf-b0fa-125c1ce0d723/submissions/"
                    + "f53f43d9-41fa-42a6-88b0-6529aaacc599/download");
    assertThat(dl.statusCode()).isEqualTo(200);
    assertThat(dl.asByteArray())
        .isEqualTo(
            Files.readAllBytes(data.resolve("items/f53f43d9-41fa-42a6-88b0-6529aaacc599.gpg")));

    // Another journalist (multiuser.test.ts) logs in with the same passphrase and secret.
    assertThat(login("dellsberg").statusCode()).isEqualTo(200);
  }
}
