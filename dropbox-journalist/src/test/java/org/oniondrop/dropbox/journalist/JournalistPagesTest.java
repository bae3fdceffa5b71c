package org.oniondrop.dropbox.journalist;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookies;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.oniondrop.crypto.totp.Totp;
import org.oniondrop.dropbox.core.persistence.Source;
import org.oniondrop.dropbox.core.service.ConversationService;
import org.oniondrop.dropbox.core.service.SubmissionKeys;
import org.oniondrop.dropbox.core.store.EncryptedStore;
import org.oniondrop.dropbox.core.testing.EntityRows;
import org.oniondrop.dropbox.core.testing.GpgKeyResource;
import org.oniondrop.dropbox.core.testing.TestClock;

/** The journalist and admin pages, including every refusal the issue names. */
@QuarkusTest
@QuarkusTestResource(value = GpgKeyResource.class, restrictToAnnotatedClass = true)
class JournalistPagesTest {

  @Inject Fixtures fixtures;
  @Inject ConversationService conversations;
  @Inject SubmissionKeys submissionKeys;
  @Inject EncryptedStore store;
  @Inject org.oniondrop.dropbox.core.service.JournalistService journalists;

  @AfterEach
  void resetClock() {
    TestClock.offset = Duration.ZERO;
  }

  private static Response get(Cookies c, String path) {
    return Fixtures.page(c, path);
  }

  private static Response post(Cookies c, String path, Object... form) {
    return Fixtures.form(c, path, form);
  }

  /** Starts a new TOTP enrolment, re-authenticated with {@code passphrase} and {@code code}. */
  private static Response totpStart(Cookies c, String csrf, String passphrase, String code) {
    return post(
        c,
        "/journalist/totp/start",
        "csrf_token",
        csrf,
        "current_passphrase",
        passphrase,
        "current_token",
        code);
  }

  @Test
  void loginRefusesWrongAndReusedCodesAndThrottles() {
    Fixtures.Account a = fixtures.journalist(false);
    Response wrong = Fixtures.webLogin(a.username(), a.passphrase(), "000000");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.asString()).contains("Login failed");

    String code = a.code(0);
    assertThat(Fixtures.webLogin(a.username(), a.passphrase(), code).statusCode()).isEqualTo(303);
    Response reused = Fixtures.webLogin(a.username(), a.passphrase(), code);
    assertThat(reused.statusCode()).isEqualTo(401);
    assertThat(reused.asString()).contains("already used");

    Fixtures.Account b = fixtures.journalist(false);
    for (int i = 0; i < 5; i++) {
      Fixtures.webLogin(b.username(), "wrong passphrase here", "123456");
    }
    Response throttled = Fixtures.webLogin(b.username(), b.passphrase(), b.code(0));
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.asString()).contains("Too many failed attempts");
  }

  @Test
  void sessionsExpireAndLogoutRevokesAndPathsNeedASession() {
    assertThat(get(new Cookies(), "/journalist/").getHeader("Location"))
        .endsWith("/journalist/login");
    assertThat(get(new Cookies(), "/journalist/admin").getHeader("Location"))
        .endsWith("/journalist/login");
    Fixtures.Account a = fixtures.journalist(false);
    Cookies c = Fixtures.login(a, 0);
    Response index = get(c, "/journalist/");
    assertThat(index.statusCode()).isEqualTo(200);
    post(c, "/journalist/logout", "csrf_token", Fixtures.csrf(index));
    assertThat(get(c, "/journalist/").getHeader("Location")).endsWith("/journalist/login");

    Cookies again = Fixtures.login(a, 1);
    assertThat(get(again, "/journalist/").statusCode()).isEqualTo(200);
    TestClock.advance(Duration.ofHours(3));
    assertThat(get(again, "/journalist/").getHeader("Location")).endsWith("/journalist/login");
  }

  @Test
  void nonAdminsAreRefusedAdminPages() {
    Fixtures.Account a = fixtures.journalist(false);
    Cookies c = Fixtures.login(a, 0);
    for (String path :
        List.of(
            "/journalist/admin",
            "/journalist/admin/instance",
            "/journalist/admin/key",
            "/journalist/admin/status")) {
      Response r = get(c, path);
      assertThat(r.statusCode()).as(path).isEqualTo(403);
      assertThat(r.asString()).contains("You need to be an admin");
    }
    Response index = get(c, "/journalist/");
    assertThat(
            post(
                    c,
                    "/journalist/admin/users",
                    "csrf_token",
                    Fixtures.csrf(index),
                    "username",
                    "mallory")
                .statusCode())
        .isEqualTo(403);
  }

  @Test
  void sourcesListConversationDownloadsZipAndReply() throws Exception {
    byte[] document = new byte[200_000];
    new Random(5).nextBytes(document);
    String codename = fixtures.sourceWithSubmissions("first message", document);
    Source source = fixtures.sourceOf(codename);
    Fixtures.Account a = fixtures.journalist(false);
    Cookies c = Fixtures.login(a, 0);

    // The list shows the designation, counts and unread; the filter narrows it.
    Document list = Jsoup.parse(get(c, "/journalist/").asString());
    assertThat(list.select(".designation").eachText()).contains(source.designation);
    Document filtered =
        Jsoup.parse(get(c, "/journalist/?filter=" + source.designation.split(" ")[1]).asString());
    assertThat(filtered.select(".designation").eachText()).contains(source.designation);
    assertThat(
            Jsoup.parse(get(c, "/journalist/?filter=zzzznothing").asString())
                .select(".designation"))
        .isEmpty();

    // Star and unstar.
    String csrf = Fixtures.csrf(get(c, "/journalist/"));
    post(c, "/journalist/star", "csrf_token", csrf, "source", source.uuid, "starred", "true");
    assertThat(conversations.summary(source.uuid, null).starred()).isTrue();

    // The conversation page and a ranged download with the ETag of the bytes served.
    Response page = get(c, "/journalist/col/" + source.uuid);
    List<String> files = Jsoup.parse(page.asString()).select("a.download").eachText();
    assertThat(files).hasSize(2);
    String docName = files.get(1);
    Path stored = store.path(source.filesystemId, docName);
    byte[] ciphertext = Files.readAllBytes(stored);
    Response whole = get(c, "/journalist/col/" + source.uuid + "/" + docName);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.getContentType()).isEqualTo("application/pgp-encrypted");
    assertThat(whole.asByteArray()).isEqualTo(ciphertext);
    assertThat(whole.getHeader("ETag"))
        .isEqualTo(
            "\"sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ciphertext))
                + "\"");
    Response part =
        given()
            .redirects()
            .follow(false)
            .cookies(c)
            .header("Range", "bytes=100-199")
            .get("/journalist/col/" + source.uuid + "/" + docName);
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.getHeader("Content-Range")).isEqualTo("bytes 100-199/" + ciphertext.length);
    assertThat(part.asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(ciphertext, 100, 200));

    // A ZIP of everything opens with unzip -t and holds the exact ciphertexts.
    csrf = Fixtures.csrf(page);
    Response zip =
        post(
            c,
            "/journalist/col/" + source.uuid + "/action",
            "csrf_token",
            csrf,
            "action",
            "download-all");
    assertThat(zip.getContentType()).isEqualTo("application/zip");
    Path zipFile = GpgKeyResource.work.resolve("all.zip");
    Files.write(zipFile, zip.asByteArray());
    Process unzip =
        new ProcessBuilder("unzip", "-t", zipFile.toString()).redirectErrorStream(true).start();
    String unzipOut = new String(unzip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(unzip.waitFor()).as(unzipOut).isZero();
    int entries = 0;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.asByteArray()))) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        String name = e.getName().substring(e.getName().indexOf('/') + 1);
        assertThat(in.readAllBytes())
            .isEqualTo(Files.readAllBytes(store.path(source.filesystemId, name)));
        entries++;
      }
    }
    assertThat(entries).isEqualTo(2);

    // A reply from the page: the source reads it with its codename, and gpg with the submission
    // key.
    Response replied =
        post(
            c,
            "/journalist/col/" + source.uuid + "/reply",
            "csrf_token",
            csrf,
            "message",
            "Thank you. Can you send page two?");
    assertThat(replied.statusCode()).isEqualTo(303);
    var sourceLogin = given().redirects().follow(false).get("/login");
    Cookies sourceCookies = sourceLogin.getDetailedCookies();
    String sourceCsrf = Fixtures.csrf(sourceLogin);
    Response loggedIn =
        given()
            .redirects()
            .follow(false)
            .cookies(sourceCookies)
            .contentType("application/x-www-form-urlencoded")
            .formParam("csrf_token", sourceCsrf)
            .formParam("codename", codename)
            .post("/login");
    assertThat(loggedIn.statusCode()).isEqualTo(303);
    // The login rotates the session id (fixation defence): keep the cookie it answers with.
    Cookies afterLogin = loggedIn.getDetailedCookies();
    Document lookup =
        Jsoup.parse(
            given()
                .cookies(afterLogin.exist() ? afterLogin : sourceCookies)
                .get("/lookup")
                .asString());
    assertThat(lookup.select(".reply pre").text()).isEqualTo("Thank you. Can you send page two?");
    String replyFile =
        conversations.items(source.uuid, null).stream()
            .filter(ConversationService.Item::isReply)
            .findFirst()
            .orElseThrow()
            .filename();
    byte[] plain = GpgKeyResource.gpgBytes(store.path(source.filesystemId, replyFile), "--decrypt");
    assertThat(new String(plain, StandardCharsets.UTF_8))
        .isEqualTo("Thank you. Can you send page two?");

    // Delete one submission, then the whole source.
    page = get(c, "/journalist/col/" + source.uuid);
    String firstUuid = conversations.items(source.uuid, null).get(0).uuid();
    post(
        c,
        "/journalist/col/" + source.uuid + "/action",
        "csrf_token",
        Fixtures.csrf(page),
        "action",
        "delete-selected",
        "item",
        firstUuid);
    assertThat(conversations.items(source.uuid, null)).hasSize(2);
    post(
        c,
        "/journalist/col/" + source.uuid + "/action",
        "csrf_token",
        Fixtures.csrf(page),
        "action",
        "delete-source");
    assertThat(EntityRows.source(source.uuid)).isEmpty();
    Path sourceDir = store.root().resolve(source.filesystemId);
    assertThat(sourceDir)
        .as(
            () -> {
              try (var left = Files.list(sourceDir)) {
                return "left in the source's store directory: " + left.toList();
              } catch (java.io.IOException e) {
                return "source directory: " + e.getClass().getSimpleName();
              }
            })
        .doesNotExist();
    // Without a CSRF token nothing happens.
    assertThat(post(c, "/journalist/star", "source", source.uuid, "starred", "true").statusCode())
        .isEqualTo(400);
  }

  @Test
  void adminsAddUsersWithVerifiedTotpAndManageTheInstance() throws Exception {
    Fixtures.Account admin = fixtures.journalist(true);
    Cookies c = Fixtures.login(admin, 0);
    String csrf = Fixtures.csrf(get(c, "/journalist/admin"));

    // Add a user: a passphrase is shown once, and TOTP takes effect only after a valid code.
    String newName = "newdesk" + System.nanoTime() % 10000;
    Response added =
        post(
            c,
            "/journalist/admin/users",
            "csrf_token",
            csrf,
            "username",
            newName,
            "first_name",
            "New",
            "last_name",
            "Desk");
    assertThat(added.getHeader("Location")).endsWith("/journalist/totp");
    Response totpResponse = get(c, "/journalist/totp");
    assertThat(totpResponse.statusCode()).as(totpResponse.asString()).isEqualTo(200);
    Document totpPage = Jsoup.parse(totpResponse.asString());
    String prefix = "Your new passphrase (write it down now, it will not be shown again): ";
    String shown = totpPage.selectFirst("#notice").text();
    assertThat(shown).startsWith(prefix);
    String newPassphrase = shown.substring(prefix.length());
    assertThat(newPassphrase.split(" ")).hasSizeGreaterThanOrEqualTo(7);
    assertThat(Jsoup.parse(get(c, "/journalist/totp").asString()).select("#notice")).isEmpty();
    String secret = totpPage.selectFirst("#secret").text();
    long step = Math.floorDiv(java.time.Instant.now().plus(TestClock.offset).getEpochSecond(), 30);
    Response early =
        Fixtures.webLogin(newName, newPassphrase, Totp.code(Totp.parseBase32(secret), step));
    assertThat(early.statusCode()).as("no login before the TOTP secret is verified").isEqualTo(401);
    Response qr = get(c, "/journalist/totp/qr.png");
    assertThat(qr.getContentType()).isEqualTo("image/png");
    assertThat(javax.imageio.ImageIO.read(new ByteArrayInputStream(qr.asByteArray())).getWidth())
        .isEqualTo(256);
    Response bad = post(c, "/journalist/totp", "csrf_token", csrf, "token", "000000");
    assertThat(bad.statusCode()).isEqualTo(400);
    Response ok =
        post(
            c,
            "/journalist/totp",
            "csrf_token",
            csrf,
            "token",
            Totp.code(Totp.parseBase32(secret), step));
    assertThat(ok.getHeader("Location")).endsWith("/journalist/admin");
    assertThat(Jsoup.parse(get(c, "/journalist/admin").asString()).select(".notice").text())
        .isEqualTo("Two-factor authentication is set up.");
    Response later =
        Fixtures.webLogin(newName, newPassphrase, Totp.code(Totp.parseBase32(secret), step + 1));
    assertThat(later.statusCode()).as(later.asString()).isEqualTo(303);

    // Instance settings and a logo.
    post(
        c,
        "/journalist/admin/instance",
        "csrf_token",
        csrf,
        "organization_name",
        "The Daily Onion",
        "allow_document_uploads",
        "true",
        "initial_message_min_len",
        "10");
    assertThat(given().get("/metadata").jsonPath().getString("organization_name"))
        .isEqualTo("The Daily Onion");
    Response tooLong =
        post(
            c,
            "/journalist/admin/instance",
            "csrf_token",
            csrf,
            "organization_name",
            "x".repeat(65),
            "initial_message_min_len",
            "0");
    assertThat(tooLong.statusCode()).isEqualTo(400);
    java.awt.image.BufferedImage img =
        new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "png", png);
    Response logo = uploadLogo(c, csrf, png.toByteArray());
    assertThat(logo.statusCode()).as(logo.asString()).isEqualTo(303);
    assertThat(given().get("/logo").getContentType()).isEqualTo("image/png");
    Response notPng = uploadLogo(c, csrf, "GIF89a".getBytes());
    assertThat(notPng.statusCode()).isEqualTo(400);

    // Key rotation: a weak key is refused with its reason, a good one replaces the key.
    String before = submissionKeys.current().fingerprint().hex();
    Response refused = Fixtures.rotateKey(c, csrf, "not a key", admin.passphrase(), admin.code(1));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(submissionKeys.current().fingerprint().hex()).isEqualTo(before);
    var generated =
        org.oniondrop.crypto.pgp.GeneratedKeyPair.curve25519(
            "Rotated <r@example.invalid>", java.time.Instant.now(), null);
    TestClock.advance(java.time.Duration.ofSeconds(30)); // a fresh code for the next action
    Response rotated =
        Fixtures.rotateKey(
            c, csrf, generated.armoredCertificate(), admin.passphrase(), admin.code(1));
    assertThat(rotated.statusCode()).isEqualTo(303);
    assertThat(submissionKeys.current().fingerprint()).isEqualTo(generated.fingerprint());
    assertThat(
            Jsoup.parse(get(c, "/journalist/admin/key").asString())
                .selectFirst("#fingerprint")
                .wholeText())
        .isEqualTo(generated.fingerprint().toDisplayString());
    assertThat(
            Jsoup.parse(get(c, "/journalist/admin/status").asString())
                .selectFirst("#backend")
                .text())
        .isEqualTo("none");
    submissionKeys.rotate(
        GpgKeyResource.gpg("--armor", "--export", "submission@example.invalid")
            .getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * A stolen session alone cannot hand over the dropbox: replacing the submission key, changing
   * one's passphrase and making an admin each need the passphrase and a fresh code; a credential
   * change ends every other session and API token; a key change is shown with when and by whom.
   */
  @Test
  void actionsThatHandOverTheDropboxNeedReauthentication() throws Exception {
    Fixtures.startOfNextStep();
    Fixtures.Account admin = fixtures.journalist(true);
    Cookies c = Fixtures.login(admin, 0);
    String csrf = Fixtures.csrf(get(c, "/journalist/admin/key"));
    String before = submissionKeys.current().fingerprint().hex();
    var generated =
        org.oniondrop.crypto.pgp.GeneratedKeyPair.curve25519(
            "Thief <t@example.invalid>", java.time.Instant.now(), null);

    // Session and CSRF token alone: refused, key unchanged.
    Response bare =
        post(c, "/journalist/admin/key", "csrf_token", csrf, "key", generated.armoredCertificate());
    assertThat(bare.statusCode()).isEqualTo(401);
    assertThat(bare.asString()).contains("needs your current passphrase");
    // The code that opened the session is not fresh.
    Response reused =
        Fixtures.rotateKey(
            c, csrf, generated.armoredCertificate(), admin.passphrase(), admin.code(0));
    assertThat(reused.statusCode()).isEqualTo(401);
    Response wrongPass =
        Fixtures.rotateKey(
            c, csrf, generated.armoredCertificate(), "not the passphrase", admin.code(1));
    assertThat(wrongPass.statusCode()).isEqualTo(401);
    assertThat(submissionKeys.current().fingerprint().hex()).isEqualTo(before);

    // Making a user an admin: refused without re-authentication.
    Fixtures.Account other = fixtures.journalist(false);
    Response promote =
        post(
            c,
            "/journalist/admin/users/" + other.uuid(),
            "csrf_token",
            csrf,
            "action",
            "edit",
            "is_admin",
            "true");
    assertThat(promote.statusCode()).isEqualTo(401);
    assertThat(EntityRows.journalist(other.uuid()).orElseThrow().admin).isFalse();

    // With the passphrase and a fresh code: the key is replaced, and the change is shown.
    // The event goes to the log: capture what the logger hands its handlers (the log file is not
    // flushed at the same moment on every profile).
    StringBuilder events = new StringBuilder();
    java.util.logging.Handler capture =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            synchronized (events) {
              events.append(r.getMessage()).append('\n');
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    java.util.logging.Logger eventLog =
        java.util.logging.Logger.getLogger(
            org.oniondrop.dropbox.core.service.SubmissionKeyChanges.class.getName());
    eventLog.addHandler(capture);
    Response rotated =
        Fixtures.rotateKey(
            c, csrf, generated.armoredCertificate(), admin.passphrase(), admin.code(1));
    assertThat(rotated.statusCode()).isEqualTo(303);
    assertThat(submissionKeys.current().fingerprint()).isEqualTo(generated.fingerprint());
    Document status = Jsoup.parse(get(c, "/journalist/admin/status").asString());
    assertThat(status.selectFirst("#key-changed").text()).contains(admin.username());
    eventLog.removeHandler(capture);
    String log;
    synchronized (events) {
      log = events.toString();
    }
    assertThat(log)
        .contains("EVENT submission-key-replaced by=" + admin.username())
        .doesNotContain(generated.armoredCertificate().lines().skip(2).findFirst().orElseThrow());
    submissionKeys.rotate(
        GpgKeyResource.gpg("--armor", "--export", "submission@example.invalid")
            .getBytes(StandardCharsets.US_ASCII));

    // A passphrase change ends the journalist's other sessions and API tokens, not this one.
    Fixtures.Account j = fixtures.journalist(false);
    Cookies mine = Fixtures.login(j, 0);
    TestClock.advance(java.time.Duration.ofSeconds(30));
    Cookies stolen = Fixtures.login(j, 0);
    Response tokenResponse = Fixtures.apiLogin(j, 1);
    assertThat(tokenResponse.statusCode()).isEqualTo(200);
    String apiToken = tokenResponse.jsonPath().getString("token");
    TestClock.advance(java.time.Duration.ofSeconds(60));
    String myCsrf = Fixtures.csrf(get(mine, "/journalist/account"));
    Response changed =
        post(
            mine,
            "/journalist/account/new-passphrase",
            "csrf_token",
            myCsrf,
            "current_passphrase",
            j.passphrase(),
            "current_token",
            j.code(0));
    assertThat(changed.statusCode()).isEqualTo(303);
    assertThat(get(mine, "/journalist/account").statusCode()).isEqualTo(200);
    assertThat(get(stolen, "/journalist/account").statusCode()).isEqualTo(303);
    assertThat(
            given().header("Authorization", "Token " + apiToken).get("/api/v1/user").statusCode())
        .isEqualTo(403);
  }

  /**
   * Re-enrolling one's own second factor hands over the account as surely as a new passphrase: it
   * asks for the passphrase and a fresh code, and the new factor ends the journalist's other
   * sessions. (The API has no endpoint that changes credentials.)
   */
  @Test
  void reEnrollingOnesOwnSecondFactorNeedsReauthentication() {
    Fixtures.startOfNextStep();
    Fixtures.Account j = fixtures.journalist(false);
    Cookies mine = Fixtures.login(j, 0);
    TestClock.advance(Duration.ofSeconds(30));
    Cookies other = Fixtures.login(j, 0);
    String csrf = Fixtures.csrf(get(mine, "/journalist/account"));
    assertThat(
            Jsoup.parse(get(mine, "/journalist/account").asString())
                .select("#totp-start input[name=current_passphrase]"))
        .hasSize(1);
    // The code field's pattern, as rendered (a browser refuses to submit what it does not match):
    // a six-digit code must match it (Qute once ate "{6}", so no browser could submit the form).
    String pattern =
        Jsoup.parse(get(mine, "/journalist/account").asString())
            .selectFirst("#totp-start input[name=current_token]")
            .attr("pattern");
    assertThat("123456".matches(pattern)).as(pattern).isTrue();
    assertThat("12345".matches(pattern)).as(pattern).isFalse();

    // Session and CSRF token alone: refused, nothing pending.
    Response bare = post(mine, "/journalist/totp/start", "csrf_token", csrf);
    assertThat(bare.statusCode()).isEqualTo(401);
    assertThat(bare.asString()).contains("needs your current passphrase");
    assertThat(get(mine, "/journalist/totp").getHeader("Location")).endsWith("/journalist/account");
    // The code that opened the latest session is not fresh.
    Response stale = totpStart(mine, csrf, j.passphrase(), j.code(0));
    assertThat(stale.statusCode()).isEqualTo(401);

    // With the passphrase and a fresh code: the enrolment starts, and once a code of the new
    // secret verifies, the other session ends and this one stays.
    Response started = totpStart(mine, csrf, j.passphrase(), j.code(1));
    assertThat(started.getHeader("Location")).endsWith("/journalist/totp");
    String secret =
        Jsoup.parse(get(mine, "/journalist/totp").asString()).selectFirst("#secret").text();
    long step =
        Math.floorDiv(java.time.Instant.now().plus(TestClock.offset).getEpochSecond(), 30) + 1;
    Response enrolled =
        post(
            mine,
            "/journalist/totp",
            "csrf_token",
            csrf,
            "token",
            Totp.code(Totp.parseBase32(secret), step));
    assertThat(enrolled.getHeader("Location")).endsWith("/journalist/account");
    assertThat(get(mine, "/journalist/account").statusCode()).isEqualTo(200);
    assertThat(get(other, "/journalist/account").statusCode()).isEqualTo(303);
  }

  @Inject org.oniondrop.dropbox.journalist.cli.AdminCommand adminCommand;

  @Test
  void createAdminPrintsSecretsOnceThatLogIn() throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    String name = "firstadmin" + System.nanoTime() % 100000;
    int status =
        adminCommand.createAdmin(
            new String[] {name, "Grace"},
            new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
            new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    String text = out.toString(StandardCharsets.UTF_8);
    String passphrase = field(text, "Passphrase (shown once, write it down): ");
    String secret = field(text, "TOTP secret (add to an authenticator app): ");
    String uri = field(text, "TOTP URI: ");
    assertThat(passphrase.split(" ")).hasSizeGreaterThanOrEqualTo(7);
    assertThat(uri).startsWith("otpauth://totp/").contains("secret=" + secret);

    // The terminal QR decodes (ZXing) to the same otpauth URI.
    List<String> rows =
        text.lines()
            .filter(
                l ->
                    !l.isEmpty()
                        && l.chars().allMatch(ch -> " \u2580\u2584\u2588".indexOf(ch) >= 0))
            .toList();
    int scale = 4;
    int w = rows.get(0).length();
    int h = rows.size() * 2;
    int[] pixels = new int[w * scale * h * scale];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        char ch = rows.get(y / 2).charAt(x);
        boolean light = ch == '\u2588' || (y % 2 == 0 ? ch == '\u2580' : ch == '\u2584');
        for (int dy = 0; dy < scale; dy++) {
          for (int dx = 0; dx < scale; dx++) {
            pixels[(y * scale + dy) * w * scale + x * scale + dx] = light ? 0xFFFFFF : 0;
          }
        }
      }
    }
    var source = new com.google.zxing.RGBLuminanceSource(w * scale, h * scale, pixels);
    String decoded =
        new com.google.zxing.qrcode.QRCodeReader()
            .decode(
                new com.google.zxing.BinaryBitmap(
                    new com.google.zxing.common.HybridBinarizer(source)))
            .getText();
    assertThat(decoded).isEqualTo(uri);

    // The printed secrets log in on the page.
    Fixtures.Account printed =
        new Fixtures.Account(null, name, passphrase, Totp.parseBase32(secret));
    Cookies c = Fixtures.login(printed, 0);
    assertThat(get(c, "/journalist/admin").statusCode()).isEqualTo(200);

    // A taken username and a usage error are refused with a message and a non-zero status.
    assertThat(
            adminCommand.createAdmin(
                new String[] {name},
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8)))
        .isEqualTo(org.oniondrop.dropbox.journalist.cli.AdminCommand.EXIT_REFUSED);
    assertThat(
            adminCommand.createAdmin(
                new String[0],
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8)))
        .isEqualTo(org.oniondrop.dropbox.journalist.cli.AdminCommand.EXIT_USAGE);
  }

  /** A multipart form as a browser sends it: with a Content-Length, not chunked. */
  private static Response uploadLogo(Cookies c, String csrf, byte[] png) throws Exception {
    String boundary = "----oniondrop" + System.nanoTime();
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
                + csrf
                + "\r\n--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"logo.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    body.write(png);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return given()
        .redirects()
        .follow(false)
        .cookies(c)
        .contentType("multipart/form-data; boundary=" + boundary)
        .body(body.toByteArray())
        .post("/journalist/admin/logo");
  }

  private static String field(String text, String prefix) {
    return text.lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow()
        .substring(prefix.length());
  }
}
