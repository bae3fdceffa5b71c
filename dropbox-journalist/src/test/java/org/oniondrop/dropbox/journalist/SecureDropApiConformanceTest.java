package org.oniondrop.dropbox.journalist;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.oniondrop.dropbox.core.persistence.Reply;
import org.oniondrop.dropbox.core.persistence.Source;
import org.oniondrop.dropbox.core.service.JournalistService;
import org.oniondrop.dropbox.core.service.ReplyService;
import org.oniondrop.dropbox.core.testing.EntityRows;
import org.oniondrop.dropbox.core.testing.GpgKeyResource;

/**
 * SecureDrop's own API tests ({@code securedrop/tests/test_journalist_api.py}, 2.10) as a
 * conformance table: each method here is named after the SecureDrop test it answers, and asserts
 * what that test asserts (status codes, error bodies and texts, header spellings, timestamp format,
 * ordering). Cases that test SecureDrop internals rather than the API are listed in
 * /work/notes/api.md and docs/journalist-guide.md with the reason.
 */
@QuarkusTest
@QuarkusTestResource(value = GpgKeyResource.class, restrictToAnnotatedClass = true)
@SuppressWarnings({"checkstyle:MethodName", "unchecked"})
class SecureDropApiConformanceTest {

  static final String NOT_FOUND =
      "The requested URL was not found on the server. If you entered the URL manually please"
          + " check your spelling and try again.";

  @Inject Fixtures fixtures;
  @Inject JournalistService journalists;
  @Inject ReplyService replies;
  @Inject org.oniondrop.dropbox.core.service.ApiReads reads;
  @Inject org.oniondrop.dropbox.core.service.ConversationService conversations;

  /** A journalist with a token, and a source with a message, a document and a reply. */
  record World(
      Fixtures.Account account,
      String token,
      Source source,
      String src,
      Map<String, Object> message,
      Map<String, Object> file,
      Reply reply) {}

  World world() throws Exception {
    Fixtures.Account a = fixtures.journalist(false);
    String token = token(a, 0);
    String codename = fixtures.sourceWithSubmissions("A message for the API.", new byte[4096]);
    Source source = fixtures.sourceOf(codename);
    String src = "/api/v1/sources/" + source.uuid;
    List<Map<String, Object>> subs =
        as(token).get(src + "/submissions").jsonPath().getList("submissions");
    Map<String, Object> message =
        subs.stream().filter(m -> (Boolean) m.get("is_message")).findFirst().orElseThrow();
    Map<String, Object> file =
        subs.stream().filter(m -> (Boolean) m.get("is_file")).findFirst().orElseThrow();
    // The page's reply path: stored as the journalist's, encrypted to the source and the submission
    // key.
    conversations.reply(journalists.requireView(a.uuid()), source.uuid, "A reply.");
    Reply reply =
        EntityRows.reply(reads.replies(reads.source(source.uuid).orElseThrow().id()).get(0).uuid())
            .orElseThrow();
    return new World(a, token, source, src, message, file, reply);
  }

  static String token(Fixtures.Account a, long step) {
    return Fixtures.apiToken(a, step);
  }

  static RequestSpecification as(String token) {
    return given()
        .header("Authorization", "Token " + token)
        .header("Accept", "application/json")
        .contentType("application/json");
  }

  static void assertValidTimestamp(String timestamp) {
    DateTimeFormatter f = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");
    assertThat(f.format(LocalDateTime.parse(timestamp, f))).isEqualTo(timestamp);
  }

  static void assertError(Response r, int status, String error, String message) {
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
    assertThat(r.getContentType()).startsWith("application/json");
    assertThat(r.jsonPath().getMap("")).isEqualTo(Map.of("error", error, "message", message));
  }

  static String armored() throws Exception {
    return Fixtures.armoredReply("An encrypted reply.");
  }

  /** The raw response head, to see header spellings as they go on the wire. */
  static String rawHead(String path, String token) throws Exception {
    try (Socket s = new Socket("127.0.0.1", RestAssured.port)) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Token "
                  + token
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) >= 0) {
        head.write(c);
        byte[] b = head.toByteArray();
        int n = b.length;
        if (n >= 4
            && b[n - 4] == '\r'
            && b[n - 3] == '\n'
            && b[n - 2] == '\r'
            && b[n - 1] == '\n') {
          break;
        }
      }
      return head.toString(StandardCharsets.ISO_8859_1);
    }
  }

  // ---- the table ----

  @Test
  void test_unauthenticated_user_gets_all_endpoints() {
    Response r = given().get("/api/v1/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.jsonPath().getMap("").keySet())
        .containsExactlyInAnyOrder(
            "current_user_url",
            "all_users_url",
            "submissions_url",
            "sources_url",
            "auth_token_url",
            "replies_url",
            "seen_url");
    // Byte-exact with Flask's jsonify: sorted keys, compact, a final newline.
    assertThat(r.asString())
        .isEqualTo(
            "{\"all_users_url\":\"/api/v1/users\",\"auth_token_url\":\"/api/v1/token\","
                + "\"current_user_url\":\"/api/v1/user\",\"replies_url\":\"/api/v1/replies\","
                + "\"seen_url\":\"/api/v1/seen\",\"sources_url\":\"/api/v1/sources\","
                + "\"submissions_url\":\"/api/v1/submissions\"}\n");
  }

  @Test
  void test_valid_user_can_get_an_api_token() {
    Fixtures.Account a = fixtures.journalist(false);
    Response r = Fixtures.apiLogin(a, 0);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.jsonPath().getString("journalist_uuid")).isEqualTo(a.uuid());
    assertThat(r.jsonPath().getString("journalist_first_name")).isEqualTo("Ada");
    assertThat(r.jsonPath().getString("journalist_last_name")).isEqualTo("Lovelace");
    assertValidTimestamp(r.jsonPath().getString("expiration"));
    Response me = as(r.jsonPath().getString("token")).get("/api/v1/user");
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.jsonPath().getString("uuid")).isEqualTo(a.uuid());
  }

  @Test
  void test_user_cannot_get_an_api_token_with_wrong_password() {
    Fixtures.Account a = fixtures.journalist(false);
    Response r = Fixtures.apiLogin(a.username(), "wrong password", a.code(0));
    assertError(r, 403, "Forbidden", "Token authentication failed.");
  }

  @Test
  void test_user_cannot_get_an_api_token_with_wrong_2fa_token() {
    Fixtures.Account a = fixtures.journalist(false);
    Response r = Fixtures.apiLogin(a.username(), a.passphrase(), "123456");
    assertError(r, 403, "Forbidden", "Token authentication failed.");
  }

  @Test
  void test_user_cannot_get_an_api_token_with_no_passphrase_field() {
    Fixtures.Account a = fixtures.journalist(false);
    Response r =
        given()
            .contentType("application/json")
            .body(Map.of("username", a.username(), "one_time_code", a.code(0)))
            .post("/api/v1/token");
    assertError(r, 400, "Bad Request", "passphrase field is missing");
  }

  @Test
  void test_user_cannot_get_an_api_token_with_no_username_field() {
    Fixtures.Account a = fixtures.journalist(false);
    Response r =
        given()
            .contentType("application/json")
            .body(Map.of("passphrase", a.passphrase(), "one_time_code", a.code(0)))
            .post("/api/v1/token");
    assertError(r, 400, "Bad Request", "username field is missing");
  }

  @Test
  void test_user_cannot_get_an_api_token_with_no_otp_field() {
    Fixtures.Account a = fixtures.journalist(false);
    Response r =
        given()
            .contentType("application/json")
            .body(Map.of("username", a.username(), "passphrase", a.passphrase()))
            .post("/api/v1/token");
    assertError(r, 400, "Bad Request", "one_time_code field is missing");
  }

  @Test
  void test_authorized_user_gets_all_sources() throws Exception {
    World w = world();
    Response r = as(w.token()).get("/api/v1/sources");
    assertThat(r.statusCode()).isEqualTo(200);
    List<Map<String, Object>> sources = r.jsonPath().getList("sources");
    assertThat(sources)
        .anyMatch(s -> w.source().designation.equals(s.get("journalist_designation")));
    sources.forEach(s -> assertValidTimestamp((String) s.get("last_updated")));
  }

  @Test
  void test_user_without_token_cannot_get_protected_endpoints() throws Exception {
    World w = world();
    String sub = (String) w.file().get("submission_url");
    for (String route :
        List.of(
            "/api/v1/sources",
            w.src(),
            w.src() + "/submissions",
            sub,
            sub + "/download",
            "/api/v1/submissions",
            "/api/v1/replies",
            w.src() + "/replies/" + w.reply().uuid,
            w.src() + "/replies",
            "/api/v1/user",
            "/api/v1/users")) {
      assertThat(given().header("Authorization", "Token ").get(route).statusCode())
          .as(route)
          .isEqualTo(403);
    }
  }

  @Test
  void test_user_without_token_cannot_del_protected_endpoints() throws Exception {
    World w = world();
    for (String route :
        List.of(
            w.src(),
            (String) w.file().get("submission_url"),
            w.src() + "/remove_star",
            w.src() + "/conversation")) {
      assertThat(given().header("Authorization", "Token ").delete(route).statusCode())
          .as(route)
          .isEqualTo(403);
    }
    assertThat(as(w.token()).get(w.src()).statusCode()).isEqualTo(200);
  }

  @Test
  void test_attacker_cannot_use_token_after_admin_deletes() throws Exception {
    World w = world();
    journalists.delete(w.account().uuid());
    assertThat(as(w.token()).delete(w.src()).statusCode()).isEqualTo(403);
    assertThat(EntityRows.source(w.source().uuid)).isPresent();
  }

  @Test
  void test_user_without_token_cannot_post_protected_endpoints() throws Exception {
    World w = world();
    for (String route : List.of(w.src() + "/replies", w.src() + "/add_star", w.src() + "/flag")) {
      assertThat(
              given()
                  .header("Authorization", "Token ")
                  .contentType("application/json")
                  .body("{\"some\": \"stuff\"}")
                  .post(route)
                  .statusCode())
          .as(route)
          .isEqualTo(403);
    }
  }

  @Test
  void test_api_error_handler_404() throws Exception {
    World w = world();
    assertError(as(w.token()).get("/api/v1/invalidendpoint"), 404, "Not Found", NOT_FOUND);
  }

  @Test
  void test_trailing_slash_cleanly_404s() throws Exception {
    World w = world();
    assertError(as(w.token()).get(w.src() + "/"), 404, "Not Found", NOT_FOUND);
  }

  @Test
  void test_authorized_user_gets_single_source() throws Exception {
    World w = world();
    Response r = as(w.token()).get(w.src());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.jsonPath().getString("uuid")).isEqualTo(w.source().uuid);
    assertThat(r.jsonPath().getString("key.fingerprint")).isEqualTo(w.source().replyKeyFingerprint);
    assertThat(r.jsonPath().getString("key.public"))
        .startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----");
  }

  @Test
  void test_get_non_existant_source_404s() throws Exception {
    World w = world();
    assertError(as(w.token()).get("/api/v1/sources/1"), 404, "Not Found", NOT_FOUND);
  }

  @Test
  void test_authorized_user_can_star_a_source() throws Exception {
    World w = world();
    Response r = as(w.token()).post(w.src() + "/add_star");
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.asString()).isEqualTo("{\"message\":\"Star added\"}\n");
    assertThat(as(w.token()).get(w.src()).jsonPath().getBoolean("is_starred")).isTrue();
  }

  @Test
  void test_authorized_user_can_unstar_a_source() throws Exception {
    World w = world();
    assertThat(as(w.token()).post(w.src() + "/add_star").statusCode()).isEqualTo(201);
    assertThat(as(w.token()).delete(w.src() + "/remove_star").statusCode()).isEqualTo(200);
    assertThat(as(w.token()).get(w.src()).jsonPath().getBoolean("is_starred")).isFalse();
  }

  @Test
  void test_disallowed_methods_produces_405() throws Exception {
    World w = world();
    assertError(
        as(w.token()).delete(w.src() + "/add_star"),
        405,
        "Method Not Allowed",
        "The method is not allowed for the requested URL.");
  }

  @Test
  void test_authorized_user_can_get_all_submissions() throws Exception {
    World w = world();
    Response r = as(w.token()).get("/api/v1/submissions");
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> names = r.jsonPath().getList("submissions.filename");
    // In creation order (SecureDrop lists Submission.query.all(), i.e. by id).
    int m = names.indexOf((String) w.message().get("filename"));
    int f = names.indexOf((String) w.file().get("filename"));
    assertThat(m).isNotNegative().isLessThan(f);
  }

  @Test
  void test_authorized_user_get_source_submissions() throws Exception {
    World w = world();
    Response r = as(w.token()).get(w.src() + "/submissions");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.jsonPath().getList("submissions.filename"))
        .containsExactly(w.message().get("filename"), w.file().get("filename"));
  }

  @Test
  void test_authorized_user_can_get_single_submission() throws Exception {
    World w = world();
    Response r = as(w.token()).get((String) w.file().get("submission_url"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.jsonPath().getString("uuid")).isEqualTo(w.file().get("uuid"));
    assertThat(r.jsonPath().getBoolean("is_read")).isFalse();
    assertThat(r.jsonPath().getString("filename")).isEqualTo(w.file().get("filename"));
    assertThat(r.jsonPath().getLong("size")).isEqualTo(((Number) w.file().get("size")).longValue());
  }

  @Test
  void test_authorized_user_can_get_all_replies() throws Exception {
    World w = world();
    Response r = as(w.token()).get("/api/v1/replies");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.jsonPath().getList("replies.filename")).contains(w.reply().filename);
  }

  @Test
  void test_authorized_user_get_source_replies() throws Exception {
    World w = world();
    Response r = as(w.token()).get(w.src() + "/replies");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.jsonPath().getList("replies.filename")).containsExactly(w.reply().filename);
  }

  @Test
  void test_authorized_user_can_get_single_reply() throws Exception {
    World w = world();
    Response r = as(w.token()).get(w.src() + "/replies/" + w.reply().uuid);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.jsonPath().getString("uuid")).isEqualTo(w.reply().uuid);
    assertThat(r.jsonPath().getString("journalist_username")).isEqualTo(w.account().username());
    assertThat(r.jsonPath().getString("journalist_uuid")).isEqualTo(w.account().uuid());
    assertThat(r.jsonPath().getString("journalist_first_name")).isEqualTo("Ada");
    assertThat(r.jsonPath().getString("journalist_last_name")).isEqualTo("Lovelace");
    assertThat(r.jsonPath().getBoolean("is_deleted_by_source")).isFalse();
    assertThat(r.jsonPath().getString("filename")).isEqualTo(w.reply().filename);
    assertThat(r.jsonPath().getLong("size")).isEqualTo(w.reply().size);
  }

  @Test
  void test_reply_of_deleted_journalist() throws Exception {
    World w = world();
    Fixtures.Account other = fixtures.journalist(false);
    String otherToken = token(other, 0);
    journalists.delete(w.account().uuid());
    Response r = as(otherToken).get(w.src() + "/replies/" + w.reply().uuid);
    assertThat(r.statusCode()).isEqualTo(200);
    String deletedUuid = reads.deletedUser().uuid();
    assertThat(deletedUuid)
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(r.jsonPath().getString("uuid")).isEqualTo(w.reply().uuid);
    assertThat(r.jsonPath().getString("journalist_username")).isEqualTo("deleted");
    assertThat(r.jsonPath().getString("journalist_uuid")).isEqualTo(deletedUuid);
    assertThat(r.jsonPath().getString("journalist_first_name")).isEqualTo("");
    assertThat(r.jsonPath().getString("journalist_last_name")).isEqualTo("");
    assertThat(r.jsonPath().getBoolean("is_deleted_by_source")).isFalse();
    // The system user is listed (SecureDrop lists it too) and can never log in.
    assertThat(as(otherToken).get("/api/v1/users").jsonPath().getList("users.uuid"))
        .contains(deletedUuid);
  }

  @Test
  void test_authorized_user_can_delete_single_submission() throws Exception {
    World w = world();
    String url = (String) w.file().get("submission_url");
    assertThat(as(w.token()).delete(url).statusCode()).isEqualTo(200);
    assertThat(as(w.token()).get(url).statusCode()).isEqualTo(404);
  }

  @Test
  void test_authorized_user_can_delete_single_reply() throws Exception {
    World w = world();
    String url = w.src() + "/replies/" + w.reply().uuid;
    assertThat(as(w.token()).delete(url).statusCode()).isEqualTo(200);
    assertThat(as(w.token()).get(url).statusCode()).isEqualTo(404);
  }

  @Test
  void test_authorized_user_can_delete_source_conversation() throws Exception {
    World w = world();
    assertThat(as(w.token()).delete(w.src() + "/conversation").statusCode()).isEqualTo(200);
    assertThat(as(w.token()).get(w.src() + "/submissions").jsonPath().getList("submissions"))
        .isEmpty();
    assertThat(as(w.token()).get(w.src() + "/replies").jsonPath().getList("replies")).isEmpty();
    assertThat(as(w.token()).get(w.src()).statusCode()).isEqualTo(200);
  }

  @Test
  void test_source_conversation_does_not_support_get() throws Exception {
    World w = world();
    assertThat(as(w.token()).get(w.src() + "/conversation").statusCode()).isEqualTo(405);
  }

  @Test
  void test_authorized_user_can_delete_source_collection() throws Exception {
    World w = world();
    assertThat(as(w.token()).delete(w.src()).statusCode()).isEqualTo(200);
    assertThat(as(w.token()).get(w.src()).statusCode()).isEqualTo(404);
  }

  @Test
  void test_authorized_user_can_download_submission() throws Exception {
    World w = world();
    Response r = as(w.token()).get((String) w.file().get("download_url"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getContentType()).isEqualTo("application/pgp-encrypted");
    assertThat(r.getHeader("ETag")).startsWith("sha256:");
    // Downloading through the API does not mark the item seen (SecureDrop: clients call /seen).
    assertThat(
            as(w.token())
                .get((String) w.file().get("submission_url"))
                .jsonPath()
                .getBoolean("is_read"))
        .isFalse();
  }

  @Test
  void test_authorized_user_can_download_reply() throws Exception {
    World w = world();
    Response r = as(w.token()).get(w.src() + "/replies/" + w.reply().uuid + "/download");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getContentType()).isEqualTo("application/pgp-encrypted");
    assertThat(r.getHeader("ETag")).startsWith("sha256:");
  }

  @Test
  void test_authorized_user_can_get_current_user_endpoint() throws Exception {
    World w = world();
    Response r = as(w.token()).get("/api/v1/user");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.jsonPath().getBoolean("is_admin")).isFalse();
    assertThat(r.jsonPath().getString("username")).isEqualTo(w.account().username());
    assertThat(r.jsonPath().getString("uuid")).isEqualTo(w.account().uuid());
    assertThat(r.jsonPath().getString("first_name")).isEqualTo("Ada");
    assertThat(r.jsonPath().getString("last_name")).isEqualTo("Lovelace");
    assertValidTimestamp(r.jsonPath().getString("last_login"));
  }

  @Test
  void test_authorized_user_can_get_all_users() throws Exception {
    World w = world();
    Response r = as(w.token()).get("/api/v1/users");
    assertThat(r.statusCode()).isEqualTo(200);
    List<Map<String, Object>> users = r.jsonPath().getList("users");
    assertThat(users).anyMatch(u -> w.account().uuid().equals(u.get("uuid")));
    users.forEach(
        u -> assertThat(u.keySet()).containsExactly("first_name", "last_name", "username", "uuid"));
  }

  @Test
  void test_request_with_missing_auth_header_triggers_403() {
    assertThat(given().contentType("application/json").get("/api/v1/user").statusCode())
        .isEqualTo(403);
  }

  @Test
  void test_request_with_auth_header_but_no_token_triggers_403() {
    Response r = given().header("Authorization", "").get("/api/v1/user");
    assertError(
        r,
        403,
        "Forbidden",
        "You don't have the permission to access the requested resource. It is either"
            + " read-protected or not readable by the server.");
  }

  @Test
  void test_unencrypted_replies_get_rejected() throws Exception {
    World w = world();
    Response r =
        as(w.token()).body(Map.of("reply", "This is a plaintext reply")).post(w.src() + "/replies");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.asString()).isEqualTo("{\"message\":\"You must encrypt replies client side\"}\n");
  }

  @Test
  void test_authorized_user_can_add_reply() throws Exception {
    World w = world();
    String armored = armored();
    Response r = as(w.token()).body(Map.of("reply", armored)).post(w.src() + "/replies");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    String uuid = r.jsonPath().getString("uuid");
    assertThat(UUID.fromString(uuid).toString()).isEqualTo(uuid);
    String filename = r.jsonPath().getString("filename");
    assertThat(filename).doesNotContain("/");
    Source after = EntityRows.source(w.source().uuid).orElseThrow();
    assertThat(filename)
        .isEqualTo(after.interactionCount + "-" + filename.substring(filename.indexOf('-') + 1));
    Response dl = as(w.token()).get(w.src() + "/replies/" + uuid + "/download");
    assertThat(dl.asString()).isEqualTo(armored);
  }

  @Test
  void test_reply_without_content_400() throws Exception {
    World w = world();
    assertError(
        as(w.token()).body(Map.of("reply", "")).post(w.src() + "/replies"),
        400,
        "Bad Request",
        "reply should not be empty");
  }

  @Test
  void test_reply_without_reply_field_400() throws Exception {
    World w = world();
    assertError(
        as(w.token()).body(Map.of("other", "stuff")).post(w.src() + "/replies"),
        400,
        "Bad Request",
        "reply not found in request body");
  }

  @Test
  void test_reply_without_json_400() throws Exception {
    World w = world();
    assertError(
        as(w.token()).body("invalid").post(w.src() + "/replies"),
        400,
        "Bad Request",
        "malformed request");
  }

  @Test
  void test_reply_with_valid_curly_json_400() throws Exception {
    World w = world();
    assertError(
        as(w.token()).body("{}").post(w.src() + "/replies"),
        400,
        "Bad Request",
        "reply not found in request body");
  }

  @Test
  void test_reply_with_valid_square_json_400() throws Exception {
    World w = world();
    assertError(
        as(w.token()).body("[]").post(w.src() + "/replies"),
        400,
        "Bad Request",
        "reply not found in request body");
  }

  @Test
  void test_malformed_json_400() throws Exception {
    World w = world();
    for (String route :
        List.of("/api/v1/token", w.src() + "/replies", w.src() + "/add_star", w.src() + "/flag")) {
      assertError(
          as(w.token()).body("{this is invalid {json!").post(route),
          400,
          "Bad Request",
          "malformed request");
    }
  }

  @Test
  void test_empty_json_400() throws Exception {
    World w = world();
    for (String route : List.of("/api/v1/token", w.src() + "/replies")) {
      assertError(as(w.token()).body("").post(route), 400, "Bad Request", "malformed request");
    }
  }

  @Test
  void test_empty_json_20X() throws Exception {
    World w = world();
    assertThat(as(w.token()).body("").post(w.src() + "/add_star").statusCode()).isEqualTo(201);
    assertThat(as(w.token()).body("").post(w.src() + "/flag").statusCode()).isEqualTo(200);
  }

  @Test
  void test_set_reply_uuid() throws Exception {
    World w = world();
    String msg = "-----BEGIN PGP MESSAGE-----\nwat\n-----END PGP MESSAGE-----";
    String chosen = UUID.randomUUID().toString();
    Response first =
        as(w.token()).body(Map.of("uuid", chosen, "reply", msg)).post(w.src() + "/replies");
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.jsonPath().getString("uuid")).isEqualTo(chosen);
    int before = as(w.token()).get(w.src() + "/replies").jsonPath().getList("replies").size();
    assertError(
        as(w.token()).body(Map.of("uuid", chosen, "reply", msg)).post(w.src() + "/replies"),
        409,
        "Conflict",
        "That UUID is already in use.");
    assertThat(as(w.token()).get(w.src() + "/replies").jsonPath().getList("replies"))
        .hasSize(before);
    Response nullUuid =
        as(w.token())
            .body("{\"uuid\": null, \"reply\": \"" + msg.replace("\n", "\\n") + "\"}")
            .post(w.src() + "/replies");
    assertThat(nullUuid.statusCode()).isEqualTo(201);
    assertError(
        as(w.token()).body(Map.of("uuid", "not a uuid", "reply", msg)).post(w.src() + "/replies"),
        400,
        "Bad Request",
        "'uuid' was not a valid UUID");
  }

  @Test
  void test_api_does_not_set_cookie_headers() {
    Response r = given().get("/api/v1/");
    assertThat(r.getHeader("Set-Cookie")).isNull();
    String vary = r.getHeader("Vary");
    assertThat(vary == null || !vary.contains("Cookie")).isTrue();
  }

  @Test
  void test_malformed_auth_token() throws Exception {
    World w = world();
    assertThat(
            given()
                .header("Authorization", "Token " + w.token())
                .get("/api/v1/sources")
                .statusCode())
        .isEqualTo(200);
    for (String bad : List.of("not-token " + w.token(), w.token(), "too many " + w.token())) {
      assertThat(given().header("Authorization", bad).get("/api/v1/sources").statusCode())
          .as(bad)
          .isEqualTo(403);
    }
  }

  @Test
  void test_submission_download_generates_checksum() throws Exception {
    World w = world();
    String url = (String) w.file().get("download_url");
    Response first = as(w.token()).get(url);
    Response second = as(w.token()).get(url);
    assertThat(first.getHeader("ETag")).isEqualTo(second.getHeader("ETag")).isNotBlank();
  }

  @Test
  void test_reply_download_generates_checksum() throws Exception {
    World w = world();
    String url = w.src() + "/replies/" + w.reply().uuid + "/download";
    assertThat(as(w.token()).get(url).getHeader("ETag")).isEqualTo("sha256:" + w.reply().sha256);
  }

  @Test
  void test_seen() throws Exception {
    World w = world();
    String fileUuid = (String) w.file().get("uuid");
    String msgUuid = (String) w.message().get("uuid");
    assertThat(
            as(w.token()).get(w.src() + "/submissions").jsonPath().getList("submissions.seen_by"))
        .allMatch(l -> ((List<?>) l).isEmpty());
    Map<String, Object> data =
        Map.of(
            "files", List.of(fileUuid),
            "messages", List.of(msgUuid),
            "replies", List.of(w.reply().uuid));
    for (int round = 0; round < 2; round++) {
      Response r = as(w.token()).body(data).post("/api/v1/seen");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.jsonPath().getString("message")).isEqualTo("resources marked seen");
      List<Map<String, Object>> subs =
          as(w.token()).get(w.src() + "/submissions").jsonPath().getList("submissions");
      assertThat(subs).allMatch(s -> s.get("seen_by").equals(List.of(w.account().uuid())));
      assertThat(as(w.token()).get(w.src() + "/replies").jsonPath().getList("replies.seen_by"))
          .containsExactly(List.of(w.account().uuid()));
    }
  }

  @Test
  void test_seen_bad_requests() throws Exception {
    World w = world();
    assertError(
        as(w.token()).body("\"not a mapping\"").post("/api/v1/seen"),
        400,
        "Bad Request",
        "Please send requests in valid JSON.");
    assertError(
        as(w.token()).body(Map.of("valid mapping", false)).post("/api/v1/seen"),
        400,
        "Bad Request",
        "Please specify the resources to mark seen.");
    assertError(
        as(w.token()).body(Map.of("files", List.of())).post("/api/v1/seen"),
        400,
        "Bad Request",
        "Please specify the resources to mark seen.");
    assertThat(as(w.token()).head("/api/v1/seen").statusCode()).isEqualTo(405);
    assertError(
        as(w.token()).body(Map.of("files", List.of("not-a-file"))).post("/api/v1/seen"),
        404,
        "Not Found",
        "file not found: not-a-file");
    assertError(
        as(w.token()).body(Map.of("messages", List.of("not-a-message"))).post("/api/v1/seen"),
        404,
        "Not Found",
        "message not found: not-a-message");
    assertError(
        as(w.token()).body(Map.of("replies", List.of("not-a-reply"))).post("/api/v1/seen"),
        404,
        "Not Found",
        "reply not found: not-a-reply");
    // The kind is checked: a message is not a file.
    assertError(
        as(w.token()).body(Map.of("files", List.of(w.message().get("uuid")))).post("/api/v1/seen"),
        404,
        "Not Found",
        "file not found: " + w.message().get("uuid"));
  }

  @Test
  void test_download_submission_range() throws Exception {
    World w = world();
    String url = (String) w.file().get("download_url");
    Response full = as(w.token()).get(url);
    byte[] body = full.asByteArray();
    assertThat(full.statusCode()).isEqualTo(200);
    assertThat(full.getHeader("ETag"))
        .isEqualTo(
            "sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
    assertThat(full.getHeader("Content-Length")).isEqualTo(String.valueOf(body.length));
    assertThat(full.getHeader("Accept-Ranges")).isEqualTo("bytes");
    Response first10 = as(w.token()).header("Range", "bytes=0-9").get(url);
    assertThat(first10.statusCode()).isEqualTo(206);
    assertThat(first10.getContentType()).isEqualTo("application/pgp-encrypted");
    assertThat(first10.getHeader("Content-Length")).isEqualTo("10");
    assertThat(first10.asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(body, 0, 10));
    int start = body.length / 2;
    Response half = as(w.token()).header("Range", "bytes=" + start + "-" + body.length).get(url);
    assertThat(half.statusCode()).isEqualTo(206);
    assertThat(half.getHeader("Content-Length")).isEqualTo(String.valueOf(body.length - start));
    assertThat(half.asByteArray())
        .isEqualTo(java.util.Arrays.copyOfRange(body, start, body.length));
  }

  // ---- beyond SecureDrop's tests: what the issue found a real client tripping on ----

  @Test
  void headersGoOnTheWireSpeltAsSecureDropSpellsThem() throws Exception {
    World w = world();
    String head = rawHead((String) w.file().get("download_url"), w.token());
    assertThat(head).startsWith("HTTP/1.1 200");
    assertThat(head).containsPattern("\r\nEtag: sha256:[0-9a-f]{64}\r\n");
    assertThat(head)
        .contains(
            "\r\nContent-Disposition: attachment; filename=" + w.file().get("filename") + "\r\n");
  }

  @Test
  void aReplyTheSourceDeletedStaysListedForJournalists() throws Exception {
    World w = world();
    assertThat(replies.deleteReplyForSource(w.source().filesystemId, w.reply().uuid)).isTrue();
    Response r = as(w.token()).get(w.src() + "/replies/" + w.reply().uuid);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.jsonPath().getBoolean("is_deleted_by_source")).isTrue();
  }

  @Test
  void everyTimestampHasSixFractionDigits() throws Exception {
    World w = world();
    assertValidTimestamp(as(w.token()).get(w.src()).jsonPath().getString("last_updated"));
    assertValidTimestamp(as(w.token()).get("/api/v1/user").jsonPath().getString("last_login"));
  }
}
