package org.oniondrop.dropbox.journalist;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookies;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.oniondrop.crypto.pgp.GeneratedKeyPair;
import org.oniondrop.dropbox.core.service.JournalistError.Reason;
import org.oniondrop.dropbox.core.service.JournalistService;
import org.oniondrop.dropbox.core.service.SubmissionKeys;
import org.oniondrop.dropbox.core.testing.GpgKeyResource;
import org.oniondrop.dropbox.core.testing.TestClock;
import org.oniondrop.dropbox.journalist.web.JournalistErrors;

/**
 * Typed refusals: every {@link Reason} reaches a page as its own status and bundle text, and the
 * API as SecureDrop's JSON; the refusals real pages provoke carry the exact English text; and no
 * response, refusal or junk, carries an exception's class name, message or stack.
 */
@QuarkusTest
@QuarkusTestResource(value = GpgKeyResource.class, restrictToAnnotatedClass = true)
class JournalistErrorsTest {

  @Inject Fixtures fixtures;
  @Inject JournalistErrors errors;
  @Inject JournalistService journalists;
  @Inject org.oniondrop.dropbox.core.service.ApiReads reads;
  @Inject SubmissionKeys submissionKeys;

  /** Every body this test saw, for the final grep. */
  private static final List<String> BODIES = new ArrayList<>();

  @AfterEach
  void resetClock() {
    TestClock.offset = Duration.ZERO;
  }

  private static Response get(Cookies c, String path) {
    Response r = Fixtures.page(c, path);
    BODIES.add(r.asString());
    return r;
  }

  private static Response post(Cookies c, String path, Object... form) {
    Response r = Fixtures.form(c, path, form);
    BODIES.add(r.asString());
    return r;
  }

  /** A submission key replacement, re-authenticated with this passphrase and code. */
  private static Response rotate(
      Cookies c, String csrf, String key, String passphrase, String code) {
    Response r = Fixtures.rotateKey(c, csrf, key, passphrase, code);
    BODIES.add(r.asString());
    return r;
  }

  /** As {@link #rotate}, with the admin's passphrase and a fresh code (30 s later). */
  private static Response rotateFresh(Cookies c, String csrf, Fixtures.Account admin, String key) {
    TestClock.advance(Duration.ofSeconds(30));
    return rotate(c, csrf, key, admin.passphrase(), admin.code(1));
  }

  private static String message(Response r) {
    Document d = Jsoup.parse(r.asString());
    return d.selectFirst("p.message") == null ? "" : d.selectFirst("p.message").text();
  }

  /** Status and page text, exactly. */
  private static void assertRefused(Response r, int status, String text) {
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
    assertThat(message(r)).isEqualTo(text);
  }

  @Test
  void everyReasonHasOneStatusAndItsOwnBundleTextOnAPageAndJsonOnTheApi() {
    Fixtures.Account a = fixtures.journalist(false);
    Cookies c = Fixtures.login(a, 0);
    String token = Fixtures.apiToken(a, 1);
    Map<String, Reason> seenTexts = new LinkedHashMap<>();
    for (Reason reason : Reason.values()) {
      // Given a page behind the gate that refuses with this reason
      Response page = get(c, "/journalist/probe-refusal/" + reason.name());
      // Then the page answers its status and its bundle text, inside the layout
      assertThat(page.statusCode()).as(reason.name()).isEqualTo(JournalistErrors.status(reason));
      assertThat(page.getContentType()).startsWith("text/html");
      String text = message(page);
      assertThat(text).as(reason.name()).isNotBlank().isEqualTo(errors.text(reason));
      assertThat(Jsoup.parse(page.asString()).select("nav .who").text()).isEqualTo(a.username());
      // and no two reasons read the same (a person can tell what went wrong)
      Reason before = seenTexts.put(text, reason);
      assertThat(before).as("%s and %s share a text", before, reason).isNull();

      // The API answers the same status in SecureDrop's shape, with Werkzeug's wording.
      Response api =
          given().header("Authorization", "Token " + token).get("/api/v1/probe-refusal/" + reason);
      BODIES.add(api.asString());
      assertThat(api.statusCode()).as(reason.name()).isEqualTo(JournalistErrors.status(reason));
      assertThat(api.getContentType()).startsWith("application/json");
      assertThat(api.jsonPath().getMap("")).containsOnlyKeys("error", "message");
      assertThat(api.asString()).doesNotContain(reason.name());
    }
    // A few exact statuses, so the mapping itself cannot drift unnoticed.
    assertThat(JournalistErrors.status(Reason.REAUTH_FAILED)).isEqualTo(401);
    assertThat(JournalistErrors.status(Reason.FORBIDDEN)).isEqualTo(403);
    assertThat(JournalistErrors.status(Reason.NOT_FOUND)).isEqualTo(404);
    assertThat(JournalistErrors.status(Reason.CLIENT_KEY_LAST)).isEqualTo(409);
    assertThat(JournalistErrors.status(Reason.THROTTLED)).isEqualTo(429);
    assertThat(JournalistErrors.status(Reason.KEY_NOT_STORED)).isEqualTo(500);
    // Without a token the API probe is SecureDrop's 403, from the gate.
    Response anonymous = given().get("/api/v1/probe-refusal/NOT_FOUND");
    assertThat(anonymous.statusCode()).isEqualTo(403);
    assertThat(anonymous.jsonPath().getString("error")).isEqualTo("Forbidden");
  }

  @Test
  void realPagesRefuseWithTheExactTextAndStatusOfTheirReason() throws Exception {
    Fixtures.Account admin = fixtures.journalist(true);
    Cookies c = Fixtures.login(admin, 0);
    String csrf = Fixtures.csrf(get(c, "/journalist/admin"));

    assertRefused(
        post(c, "/journalist/admin/users", "csrf_token", csrf, "username", "x"),
        400,
        "A username is 3 to 64 letters, digits, dots, dashes or underscores.");
    assertRefused(
        post(c, "/journalist/admin/users", "csrf_token", csrf, "username", "deleted"),
        400,
        "That username is reserved. Choose another one.");
    assertRefused(
        post(c, "/journalist/admin/users", "csrf_token", csrf, "username", admin.username()),
        409,
        "That username is taken. Choose another one.");
    assertRefused(
        post(
            c,
            "/journalist/admin/users",
            "csrf_token",
            csrf,
            "username",
            "longname" + System.nanoTime() % 100000,
            "first_name",
            "n".repeat(101)),
        400,
        "First and last names are at most 100 characters.");
    assertRefused(
        post(
            c,
            "/journalist/admin/users/" + UUID.randomUUID(),
            "csrf_token",
            csrf,
            "action",
            "edit"),
        404,
        "There is no such user.");
    assertRefused(
        post(
            c,
            "/journalist/admin/users/" + reads.deletedUser().uuid(),
            "csrf_token",
            csrf,
            "action",
            "delete"),
        409,
        "The system user that keeps deleted journalists' replies cannot be changed.");
    assertRefused(get(c, "/journalist/col/" + UUID.randomUUID()), 404, "Not found.");
    assertRefused(
        post(c, "/journalist/star", "source", UUID.randomUUID().toString(), "starred", "true"),
        400,
        "This form has expired or is not valid. Reload the page and try again.");
    assertRefused(
        post(
            c,
            "/journalist/star",
            "csrf_token",
            csrf,
            "source",
            UUID.randomUUID().toString(),
            "starred",
            "true"),
        404,
        "Not found.");
    assertRefused(
        post(c, "/journalist/admin/instance", "csrf_token", csrf, "organization_name", " "),
        400,
        "The organization name must be 1 to 64 characters.");
    assertRefused(
        post(c, "/journalist/admin/client-keys", "csrf_token", csrf, "name", "laptop"),
        400,
        "This server hosts no onion services, so there are no client keys to manage.");
    assertRefused(
        post(c, "/journalist/admin/key", "csrf_token", csrf, "key", "not a key"),
        401,
        "Not done: this action needs your current passphrase and a new two-factor code. Wait for"
            + " the next code if you just used one.");

    // Submission keys: each refusal of the parser has its own words (re-authenticated each time).
    GeneratedKeyPair pair =
        GeneratedKeyPair.curve25519("Refused <r@example.invalid>", java.time.Instant.now(), null);
    GeneratedKeyPair other =
        GeneratedKeyPair.curve25519("Other <o@example.invalid>", java.time.Instant.now(), null);
    String before = submissionKeys.current().fingerprint().hex();
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("not a key", "That is not an OpenPGP public key, or it is damaged.");
    keys.put(
        pair.armoredSecretKey(),
        "That is a SECRET key. Never give the secret submission key to the server: paste the"
            + " public key only, and keep the secret key on the offline computer.");
    for (Map.Entry<String, String> k : keys.entrySet()) {
      Response r = rotateFresh(c, csrf, admin, k.getKey());
      assertRefused(r, 400, k.getValue());
      assertThat(r.asString())
          .doesNotContain(pair.armoredSecretKey().lines().skip(3).findFirst().orElseThrow());
    }
    Response two =
        rotateFresh(c, csrf, admin, pair.armoredCertificate() + "\n" + other.armoredCertificate());
    assertThat(two.statusCode()).isEqualTo(400);
    assertThat(message(two))
        .isIn(
            "That holds more than one key. Paste exactly one public key.",
            "That is not an OpenPGP public key, or it is damaged.");
    assertThat(submissionKeys.current().fingerprint().hex()).isEqualTo(before);

    // Re-authentication: five wrong passphrases, then even the right one is throttled.
    for (int i = 0; i < 5; i++) {
      assertThat(rotate(c, csrf, pair.armoredCertificate(), "wrong " + i, "000000").statusCode())
          .isEqualTo(401);
    }
    assertRefused(
        rotate(c, csrf, pair.armoredCertificate(), admin.passphrase(), admin.code(1)),
        429,
        "Too many failed attempts. Wait a minute before trying again.");
    assertThat(submissionKeys.current().fingerprint().hex()).isEqualTo(before);

    // A non-admin is refused admin pages with the bundle text.
    Fixtures.Account j = fixtures.journalist(false);
    assertRefused(
        get(Fixtures.login(j, 0), "/journalist/admin/key"),
        403,
        "You need to be an admin for this page.");
  }

  @Test
  void noResponseCarriesExceptionTextEvenForJunk() {
    Fixtures.Account admin = fixtures.journalist(true);
    Cookies c = Fixtures.login(admin, 0);
    String csrf = Fixtures.csrf(get(c, "/journalist/admin"));
    String source = UUID.randomUUID().toString();
    // Junk a client can send: unparsable numbers and booleans, unknown actions, oversized and
    // odd values, path tricks in a file name, nonsense ranges, a broken multipart body.
    for (String number : List.of("not-a-number", "99999999999999999999", "-1e9", "")) {
      post(
          c,
          "/journalist/admin/instance",
          "csrf_token",
          csrf,
          "organization_name",
          "x",
          "initial_message_min_len",
          number);
    }
    post(c, "/journalist/star", "csrf_token", csrf, "source", "x".repeat(5000), "starred", "maybe");
    post(c, "/journalist/col/" + source + "/action", "csrf_token", csrf, "action", "explode");
    post(c, "/journalist/bulk", "csrf_token", csrf, "action", "explode", "source", source);
    post(c, "/journalist/admin/users/" + source, "csrf_token", csrf, "action", "explode");
    post(c, "/journalist/col/" + source + "/reply", "csrf_token", csrf, "message", "");
    get(c, "/journalist/col/" + source + "/..%2F..%2Fetc%2Fpasswd");
    get(c, "/journalist/col/" + source + "/1-x-msg.gpg");
    BODIES.add(
        given()
            .redirects()
            .follow(false)
            .cookies(c)
            .header("Range", "bytes=9-1,2-3")
            .get("/journalist/col/" + source + "/1-x-msg.gpg")
            .asString());
    BODIES.add(
        given()
            .redirects()
            .follow(false)
            .cookies(c)
            .contentType("multipart/form-data; boundary=zzz")
            .body(
                ("--zzz\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" + csrf)
                    .getBytes(StandardCharsets.US_ASCII))
            .post("/journalist/admin/logo")
            .asString());
    BODIES.add(
        given()
            .redirects()
            .follow(false)
            .cookies(c)
            .contentType("application/x-www-form-urlencoded")
            .body("csrf_token=%ZZ&%%%=&organization_name=%E0%A4%A")
            .post("/journalist/admin/instance")
            .asString());
    BODIES.add(
        given()
            .contentType("application/json")
            .body("{\"username\": [1], \"passphrase\": {}, \"one_time_code\": null}")
            .post("/api/v1/token")
            .asString());
    BODIES.add(
        given()
            .header("Authorization", "Token " + "x".repeat(99))
            .get("/api/v1/sources")
            .asString());

    assertThat(BODIES).isNotEmpty();
    for (String body : BODIES) {
      assertThat(body)
          .doesNotContain("Exception")
          .doesNotContain("exception")
          .doesNotContain("java.")
          .doesNotContain("jakarta.")
          .doesNotContain("org.oniondrop")
          .doesNotContain("io.quarkus")
          .doesNotContain("resteasy")
          .doesNotContain("Caused by")
          .doesNotContain("\tat ")
          .doesNotContain("NumberFormat")
          .doesNotContain("IllegalArgument");
      for (Reason r : Reason.values()) {
        assertThat(body).doesNotContain(r.name());
      }
    }
    assertThat(String.join("\n", BODIES).getBytes(StandardCharsets.UTF_8).length).isPositive();
  }
}
