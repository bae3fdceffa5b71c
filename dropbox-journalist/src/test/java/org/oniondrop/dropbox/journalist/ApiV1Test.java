package org.oniondrop.dropbox.journalist;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.oniondrop.dropbox.core.persistence.Source;
import org.oniondrop.dropbox.core.store.EncryptedStore;
import org.oniondrop.dropbox.core.testing.GpgKeyResource;

/**
 * Conformance with SecureDrop's Journalist API v1: every endpoint's status codes and the exact JSON
 * field names and types (securedrop/journalist_app/api.py and models.py to_json).
 */
@QuarkusTest
@QuarkusTestResource(value = GpgKeyResource.class, restrictToAnnotatedClass = true)
class ApiV1Test {

  static final List<String> TOKEN_FIELDS =
      List.of(
          "expiration",
          "hints",
          "journalist_first_name",
          "journalist_last_name",
          "journalist_uuid",
          "token");
  static final List<String> SOURCE_FIELDS =
      List.of(
          "add_star_url",
          "interaction_count",
          "is_flagged",
          "is_starred",
          "journalist_designation",
          "key",
          "last_updated",
          "number_of_documents",
          "number_of_messages",
          "remove_star_url",
          "replies_url",
          "submissions_url",
          "url",
          "uuid");
  static final List<String> SUBMISSION_FIELDS =
      List.of(
          "download_url",
          "filename",
          "is_file",
          "is_message",
          "is_read",
          "seen_by",
          "size",
          "source_url",
          "submission_url",
          "uuid");
  static final List<String> REPLY_FIELDS =
      List.of(
          "filename",
          "is_deleted_by_source",
          "journalist_first_name",
          "journalist_last_name",
          "journalist_username",
          "journalist_uuid",
          "reply_url",
          "seen_by",
          "size",
          "source_url",
          "uuid");
  static final List<String> USER_FIELDS =
      List.of("first_name", "is_admin", "last_login", "last_name", "username", "uuid");

  @Inject Fixtures fixtures;
  @Inject EncryptedStore store;

  private static String token(Fixtures.Account a, long step) {
    return Fixtures.apiToken(a, step);
  }

  private static RequestSpecification as(String token) {
    return given().header("Authorization", "Token " + token);
  }

  private static void assertFields(Map<String, Object> json, List<String> fields) {
    assertThat(json.keySet()).containsExactlyInAnyOrderElementsOf(fields);
  }

  private static void assertError(Response r, int status) {
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
    assertThat(r.getContentType()).startsWith("application/json");
    assertThat(r.jsonPath().getMap("").keySet()).containsExactlyInAnyOrder("error", "message");
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void tokenRefusalsAndTheEndpointMap() {
    Fixtures.startOfNextStep();
    Fixtures.Account a = fixtures.journalist(false);
    assertError(given().contentType("application/json").body("{nope").post("/api/v1/token"), 400);
    assertError(
        given()
            .contentType("application/json")
            .body(Map.of("username", a.username(), "passphrase", a.passphrase()))
            .post("/api/v1/token"),
        400);
    Response wrong = Fixtures.apiLogin(a.username(), a.passphrase(), "000000");
    assertError(wrong, 403);

    Response ok = Fixtures.apiLogin(a, 0);
    assertThat(ok.statusCode()).isEqualTo(200);
    Map<String, Object> t = ok.jsonPath().getMap("");
    assertFields(t, TOKEN_FIELDS);
    assertThat(t.get("hints")).isInstanceOf(Map.class);
    assertThat(t.get("journalist_uuid")).isEqualTo(a.uuid());
    assertThat(java.time.Instant.parse((String) t.get("expiration")))
        .isAfter(java.time.Instant.now().plusSeconds(7000));
    // The same code again is a reuse.
    Response reused = Fixtures.apiLogin(a, 0);
    assertError(reused, 403);

    Map<String, Object> root = given().get("/api/v1/").jsonPath().getMap("");
    assertThat(root.keySet())
        .containsExactlyInAnyOrder(
            "auth_token_url",
            "current_user_url",
            "all_users_url",
            "replies_url",
            "seen_url",
            "sources_url",
            "submissions_url");

    assertError(given().get("/api/v1/sources"), 403);
    assertError(given().header("Authorization", "Token nope").get("/api/v1/user"), 403);
    assertError(given().header("Authorization", "Bearer x").get("/api/v1/users"), 403);
  }

  /**
   * A page session and an API token are different credentials: the page cookie (HttpOnly,
   * SameSite=Strict, CSRF-checked) is not an API token, and an API token (no CSRF check, since a
   * browser never sends the header by itself) is not a page cookie, which would let a token skip
   * the pages' CSRF protection.
   */
  @Test
  void aPageSessionIsNoApiTokenAndAnApiTokenIsNoPageSession() {
    Fixtures.Account a = fixtures.journalist(false);
    io.restassured.http.Cookies page = Fixtures.login(a, 0);
    String cookie =
        page.getValue(org.oniondrop.dropbox.journalist.session.JournalistSessions.COOKIE);
    assertThat(Fixtures.page(page, "/journalist/").statusCode()).isEqualTo(200);
    assertError(given().header("Authorization", "Token " + cookie).get("/api/v1/user"), 403);
    assertError(given().header("Authorization", "Token " + cookie).get("/api/v2/index"), 403);

    String token = token(a, 1);
    assertThat(given().header("Authorization", "Token " + token).get("/api/v1/user").statusCode())
        .isEqualTo(200);
    Response asCookie =
        given()
            .redirects()
            .follow(false)
            .cookie(org.oniondrop.dropbox.journalist.session.JournalistSessions.COOKIE, token)
            .get("/journalist/");
    assertThat(asCookie.statusCode()).isEqualTo(303);
    assertThat(asCookie.getHeader("Location")).endsWith("/journalist/login");
  }

  @Test
  void sourcesSubmissionsDownloadsAndStars() throws Exception {
    Fixtures.Account a = fixtures.journalist(false);
    String token = token(a, 0);
    byte[] doc = new byte[70_000];
    new Random(7).nextBytes(doc);
    String codename = fixtures.sourceWithSubmissions("A first message for the API.", doc);
    Source source = fixtures.sourceOf(codename);
    String src = "/api/v1/sources/" + source.uuid;

    JsonPath sources = as(token).get("/api/v1/sources").jsonPath();
    List<Map<String, Object>> list = sources.getList("sources");
    Map<String, Object> s =
        list.stream().filter(m -> source.uuid.equals(m.get("uuid"))).findFirst().orElseThrow();
    assertFields(s, SOURCE_FIELDS);
    assertThat(s.get("journalist_designation")).isEqualTo(source.designation);
    assertThat(s.get("is_flagged")).isEqualTo(false);
    assertThat(s.get("is_starred")).isEqualTo(false);
    assertThat(s.get("number_of_documents")).isEqualTo(1);
    assertThat(s.get("number_of_messages")).isEqualTo(1);
    assertThat(s.get("interaction_count")).isInstanceOf(Integer.class);
    assertThat(s.get("url")).isEqualTo(src);
    @SuppressWarnings("unchecked")
    Map<String, Object> key = (Map<String, Object>) s.get("key");
    assertThat(key.keySet()).containsExactlyInAnyOrder("fingerprint", "public", "type");
    assertThat(key.get("type")).isEqualTo("PGP");
    assertThat((String) key.get("public")).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----");
    assertThat(as(token).get(src).jsonPath().getMap("")).isEqualTo(s);
    assertError(as(token).get("/api/v1/sources/" + UUID.randomUUID()), 404);

    // Stars (and the no-op flag SecureDrop clients still send).
    assertThat(as(token).post(src + "/add_star").statusCode()).isEqualTo(201);
    assertThat(as(token).get(src).jsonPath().getBoolean("is_starred")).isTrue();
    assertThat(as(token).delete(src + "/remove_star").statusCode()).isEqualTo(200);
    assertThat(as(token).get(src).jsonPath().getBoolean("is_starred")).isFalse();
    assertThat(as(token).post(src + "/flag").statusCode()).isEqualTo(200);

    // Submissions, per source and all.
    List<Map<String, Object>> subs =
        as(token).get(src + "/submissions").jsonPath().getList("submissions");
    assertThat(subs).hasSize(2);
    subs.forEach(m -> assertFields(m, SUBMISSION_FIELDS));
    Map<String, Object> file =
        subs.stream().filter(m -> Boolean.TRUE.equals(m.get("is_file"))).findFirst().orElseThrow();
    assertThat(file.get("is_message")).isEqualTo(false);
    assertThat(file.get("is_read")).isEqualTo(false);
    assertThat(file.get("seen_by")).isEqualTo(List.of());
    assertThat(file.get("size")).isInstanceOf(Integer.class);
    assertThat((String) file.get("filename")).endsWith("-doc.gz.gpg");
    List<Map<String, Object>> all =
        as(token).get("/api/v1/submissions").jsonPath().getList("submissions");
    assertThat(all).contains(file);
    String fileUrl = (String) file.get("submission_url");
    assertThat(as(token).get(fileUrl).jsonPath().getMap("")).isEqualTo(file);

    // Download: the exact ciphertext, its SHA-256 as the ETag, ranges honoured.
    Response dl = as(token).get((String) file.get("download_url"));
    assertThat(dl.statusCode()).isEqualTo(200);
    assertThat(dl.getContentType()).isEqualTo("application/pgp-encrypted");
    assertThat(dl.getHeader("Accept-Ranges")).isEqualTo("bytes");
    byte[] body = dl.asByteArray();
    Path stored = store.path(source.filesystemId, (String) file.get("filename"));
    assertThat(body).isEqualTo(Files.readAllBytes(stored));
    assertThat(body.length).isEqualTo(file.get("size"));
    assertThat(dl.getHeader("ETag")).isEqualTo("sha256:" + sha256(body));
    Response part =
        as(token).header("Range", "bytes=1000-1999").get((String) file.get("download_url"));
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.asByteArray()).isEqualTo(Arrays.copyOfRange(body, 1000, 2000));
    assertThat(part.getHeader("Content-Range")).isEqualTo("bytes 1000-1999/" + body.length);
    Response tail = as(token).header("Range", "bytes=-100").get((String) file.get("download_url"));
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.asByteArray())
        .isEqualTo(Arrays.copyOfRange(body, body.length - 100, body.length));
    Response outside =
        as(token)
            .header("Range", "bytes=" + body.length + "-")
            .get((String) file.get("download_url"));
    assertThat(outside.statusCode()).isEqualTo(416);
    assertThat(outside.getHeader("Content-Range")).isEqualTo("bytes */" + body.length);
    // Downloading does not mark it seen (SecureDrop's clients say so with /seen).
    Map<String, Object> after = as(token).get(fileUrl).jsonPath().getMap("");
    assertThat(after.get("is_read")).isEqualTo(false);
    assertThat(after.get("seen_by")).isEqualTo(List.of());

    // Delete one submission; the conversation; then the source.
    assertThat(as(token).delete(fileUrl).statusCode()).isEqualTo(200);
    assertError(as(token).get(fileUrl), 404);
    assertError(as(token).delete(fileUrl), 404);
    assertThat(Files.exists(stored)).isFalse();
    assertThat(as(token).delete(src + "/conversation").statusCode()).isEqualTo(200);
    assertThat(as(token).get(src + "/submissions").jsonPath().getList("submissions")).isEmpty();
    assertThat(as(token).get(src).statusCode()).isEqualTo(200);
    assertThat(as(token).delete(src).statusCode()).isEqualTo(200);
    assertError(as(token).get(src), 404);
  }

  @Test
  void repliesAndSeen() throws Exception {
    Fixtures.Account a = fixtures.journalist(false);
    String token = token(a, 0);
    String codename = fixtures.sourceWithSubmissions("Please reply.", new byte[] {1, 2, 3});
    Source source = fixtures.sourceOf(codename);
    String src = "/api/v1/sources/" + source.uuid;

    String armored = Fixtures.armoredReply("A reply encrypted by the client.");

    assertError(
        as(token).contentType("application/json").body("not json").post(src + "/replies"), 400);
    // SecureDrop answers this one with a bare {"message"} body.
    Response plaintext =
        as(token)
            .contentType("application/json")
            .body(Map.of("reply", "plaintext is refused"))
            .post(src + "/replies");
    assertThat(plaintext.statusCode()).isEqualTo(400);
    assertThat(plaintext.jsonPath().getMap(""))
        .isEqualTo(Map.of("message", "You must encrypt replies client side"));
    assertError(
        as(token)
            .contentType("application/json")
            .body(Map.of("reply", armored, "uuid", "not-a-uuid"))
            .post(src + "/replies"),
        400);
    String chosen = UUID.randomUUID().toString();
    Response stored =
        as(token)
            .contentType("application/json")
            .body(Map.of("reply", armored, "uuid", chosen))
            .post(src + "/replies");
    assertThat(stored.statusCode()).as(stored.asString()).isEqualTo(201);
    assertThat(stored.jsonPath().getMap("").keySet())
        .containsExactlyInAnyOrder("filename", "message", "uuid");
    assertThat(stored.jsonPath().getString("uuid")).isEqualTo(chosen);
    assertThat(stored.jsonPath().getString("filename")).endsWith("-reply.gpg");
    assertError(
        as(token)
            .contentType("application/json")
            .body(Map.of("reply", armored, "uuid", chosen))
            .post(src + "/replies"),
        409);

    Response listed = as(token).get(src + "/replies");
    assertThat(listed.statusCode()).as(listed.asString()).isEqualTo(200);
    List<Map<String, Object>> replies = listed.jsonPath().getList("replies");
    assertThat(replies).hasSize(1);
    Map<String, Object> r = replies.get(0);
    // The author has seen their own reply.
    assertThat(r.get("seen_by")).isEqualTo(List.of(a.uuid()));
    assertFields(r, REPLY_FIELDS);
    assertThat(r.get("uuid")).isEqualTo(chosen);
    assertThat(r.get("journalist_uuid")).isEqualTo(a.uuid());
    assertThat(r.get("journalist_username")).isEqualTo(a.username());
    assertThat(r.get("is_deleted_by_source")).isEqualTo(false);
    assertThat(as(token).get("/api/v1/replies").jsonPath().getList("replies")).contains(r);
    String replyUrl = (String) r.get("reply_url");
    assertThat(as(token).get(replyUrl).jsonPath().getMap("")).isEqualTo(r);
    Response dl = as(token).get(replyUrl + "/download");
    assertThat(dl.statusCode()).isEqualTo(200);
    assertThat(new String(dl.asByteArray(), StandardCharsets.US_ASCII)).isEqualTo(armored);
    assertThat(dl.getHeader("ETag")).isEqualTo("sha256:" + sha256(dl.asByteArray()));

    // Seen: a message and the reply, by this journalist.
    Map<String, Object> message =
        as(token)
            .get(src + "/submissions")
            .jsonPath()
            .<Map<String, Object>>getList("submissions")
            .stream()
            .filter(m -> Boolean.TRUE.equals(m.get("is_message")))
            .findFirst()
            .orElseThrow();
    assertError(as(token).contentType("application/json").body("[]").post("/api/v1/seen"), 400);
    assertError(
        as(token)
            .contentType("application/json")
            .body(Map.of("files", "not a list"))
            .post("/api/v1/seen"),
        400);
    assertError(
        as(token)
            .contentType("application/json")
            .body(Map.of("messages", List.of(UUID.randomUUID().toString())))
            .post("/api/v1/seen"),
        404);
    Response seen =
        as(token)
            .contentType("application/json")
            .body(Map.of("messages", List.of(message.get("uuid")), "replies", List.of(chosen)))
            .post("/api/v1/seen");
    assertThat(seen.statusCode()).as(seen.asString()).isEqualTo(200);
    assertThat(seen.jsonPath().getString("message")).isEqualTo("resources marked seen");
    assertThat(as(token).get((String) message.get("submission_url")).jsonPath().getList("seen_by"))
        .containsExactly(a.uuid());
    assertThat(as(token).get(replyUrl).jsonPath().getList("seen_by")).containsExactly(a.uuid());

    assertThat(as(token).delete(replyUrl).statusCode()).isEqualTo(200);
    assertError(as(token).get(replyUrl), 404);
  }

  @Test
  void userUsersLogoutAndBodyLimits() {
    Fixtures.Account admin = fixtures.journalist(true);
    String token = token(admin, 0);
    Map<String, Object> user = as(token).get("/api/v1/user").jsonPath().getMap("");
    assertFields(user, USER_FIELDS);
    assertThat(user.get("uuid")).isEqualTo(admin.uuid());
    assertThat(user.get("is_admin")).isEqualTo(true);
    assertThat(user.get("last_login")).isInstanceOf(String.class);
    List<Map<String, Object>> users = as(token).get("/api/v1/users").jsonPath().getList("users");
    assertThat(users).isNotEmpty();
    users.forEach(
        u ->
            assertThat(u.keySet())
                .containsExactlyInAnyOrder("first_name", "last_name", "username", "uuid"));
    assertThat(users).anyMatch(u -> admin.uuid().equals(u.get("uuid")));

    // A body larger than the journalist paths allow is refused before it is read.
    Response big =
        given()
            .contentType("application/json")
            .body(
                new byte[(int) org.oniondrop.dropbox.journalist.web.BodyLimits.MAX_FORM_BYTES + 1])
            .post("/api/v1/token");
    assertError(big, 413);

    Response out = as(token).post("/api/v1/logout");
    assertThat(out.statusCode()).isEqualTo(200);
    assertThat(out.jsonPath().getString("message")).isEqualTo("Your token has been revoked.");
    assertError(as(token).get("/api/v1/user"), 403);
  }

  @Test
  void theOpenApiDocumentDescribesTheApi() {
    Response doc = given().accept("application/json").get("/q/openapi");
    assertThat(doc.statusCode()).isEqualTo(200);
    Map<String, Object> paths = doc.jsonPath().getMap("paths");
    assertThat(paths.keySet())
        .contains("/api/v1/token", "/api/v1/sources/{source}/replies", "/api/v1/seen");
  }
}
