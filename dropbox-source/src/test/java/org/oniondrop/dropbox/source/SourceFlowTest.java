package org.oniondrop.dropbox.source;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookies;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.oniondrop.crypto.words.Codename;
import org.oniondrop.dropbox.core.persistence.Source;
import org.oniondrop.dropbox.core.service.ReplyService;
import org.oniondrop.dropbox.core.service.SourceService;
import org.oniondrop.dropbox.core.service.SubmissionKeys;
import org.oniondrop.dropbox.core.store.EncryptedStore;
import org.oniondrop.dropbox.core.testing.EntityRows;
import org.oniondrop.dropbox.core.testing.GpgKeyResource;
import org.oniondrop.dropbox.core.testing.TestClock;

/** The source flows with REST Assured, and design promises 1, 3, 4, 6 and 8 on the source side. */
@QuarkusTest
@QuarkusTestResource(value = GpgKeyResource.class, restrictToAnnotatedClass = true)
class SourceFlowTest {

  @TestHTTPResource("/")
  URL base;

  @Inject SourceService sources;
  @Inject ReplyService replies;
  @Inject SubmissionKeys submissionKeys;
  @Inject EncryptedStore store;

  @AfterEach
  void resetClock() {
    TestClock.offset = Duration.ZERO;
  }

  /** A source's browser: its cookie and the last page's CSRF token. */
  static final class Browser {
    Cookies cookies = new Cookies();
    String csrf;

    Response get(String path) {
      Response r = given().redirects().follow(false).cookies(cookies).get(path);
      remember(r);
      return r;
    }

    Response post(String path, Object... form) {
      var spec =
          given()
              .redirects()
              .follow(false)
              .cookies(cookies)
              .contentType("application/x-www-form-urlencoded");
      for (int i = 0; i < form.length; i += 2) {
        spec.formParam((String) form[i], form[i + 1]);
      }
      Response r = spec.post(path);
      remember(r);
      return r;
    }

    Response submit(String message, String fileName, byte[] file) {
      var spec = given().redirects().follow(false).cookies(cookies).multiPart("csrf_token", csrf);
      if (message != null) {
        spec.multiPart("message", message);
      }
      if (file != null) {
        spec.multiPart("file", fileName, file, "application/octet-stream");
      }
      Response r = spec.post("/submit");
      remember(r);
      return r;
    }

    private void remember(Response r) {
      if (!r.getDetailedCookies().asList().isEmpty()) {
        cookies = r.getDetailedCookies();
      }
      String ct = r.getContentType();
      if (ct != null && ct.startsWith("text/html")) {
        var token = Jsoup.parse(r.asString()).selectFirst("input[name=csrf_token]");
        if (token != null) {
          csrf = token.attr("value");
        }
      }
    }
  }

  /** A new source: generate, create; returns the browser and the codename. */
  private static String[] newSource(Browser b) {
    Response gen = b.get("/generate");
    assertThat(gen.statusCode()).isEqualTo(200);
    String codename = Jsoup.parse(gen.asString()).selectFirst("#codename").text();
    assertThat(codename.split(" ")).hasSize(7);
    Response created = b.post("/create", "csrf_token", b.csrf);
    assertThat(created.statusCode()).isEqualTo(303);
    assertThat(created.getHeader("Location")).endsWith("/lookup");
    return new String[] {codename};
  }

  private Source sourceOf(String codename) {
    String id = sources.derive(Codename.parse(codename)).sourceId();
    return EntityRows.sourceById(id).orElseThrow();
  }

  private List<Path> storedFiles(Source s) throws IOException {
    Path dir = store.root().resolve(s.filesystemId);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  @Test
  void generateSubmitLogoutLoginReadAndDeleteAReply() throws Exception {
    Browser b = new Browser();
    String codename = newSource(b)[0];
    Response lookup = b.get("/lookup");
    assertThat(lookup.statusCode()).isEqualTo(200);
    assertThat(Jsoup.parse(lookup.asString()).select(".codename").text()).isEqualTo(codename);

    // A message
    Response sent = b.submit("the documents are in the basement", null, null);
    assertThat(sent.statusCode()).isEqualTo(303);
    assertThat(sent.getHeader("Location")).endsWith("/received");
    assertThat(b.get("/received").asString())
        .contains("Your submission was received and encrypted");

    // A file
    byte[] file = new byte[1 << 20];
    new Random(1).nextBytes(file);
    b.get("/lookup");
    assertThat(b.submit(null, "report (final).pdf", file).statusCode()).isEqualTo(303);

    Source source = sourceOf(codename);
    assertThat(source.pending).isFalse();
    assertThat(source.interactionCount).isEqualTo(2);
    List<Path> stored = storedFiles(source);
    String journalistName = source.designation.replace(' ', '_');
    assertThat(stored.stream().map(p -> p.getFileName().toString()))
        .containsExactly("1-" + journalistName + "-msg.gpg", "2-" + journalistName + "-doc.gz.gpg");

    // Real gpg opens both with the submission secret key.
    byte[] message = GpgKeyResource.gpgBytes(stored.get(0), "--decrypt");
    assertThat(new String(message, StandardCharsets.UTF_8))
        .isEqualTo("the documents are in the basement");
    byte[] gz = GpgKeyResource.gpgBytes(stored.get(1), "--decrypt");
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      assertThat(in.readAllBytes()).isEqualTo(file);
    }
    assertThat(gzipFileName(gz)).isEqualTo("report_final_.pdf");
    String packets = GpgKeyResource.gpg("--list-packets", stored.get(1).toString());
    assertThat(packets).contains("name=\"report_final_.pdf.gz\"");

    // Log out, then back in with the codename.
    assertThat(b.post("/logout", "csrf_token", b.csrf).asString()).contains("You are logged out");
    assertThat(b.get("/lookup").getHeader("Location")).endsWith("/login");
    b.get("/login");
    Response wrong =
        b.post(
            "/login",
            "csrf_token",
            b.csrf,
            "codename",
            "abacus abacus abacus abacus abacus abacus abacus");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.asString()).contains("Sorry, that is not a recognized codename.");
    Response login =
        b.post("/login", "csrf_token", b.csrf, "codename", "  " + codename.toUpperCase() + " ");
    assertThat(login.statusCode()).isEqualTo(303);
    assertThat(b.get("/lookup").statusCode()).isEqualTo(200);

    // A journalist's reply shows, and the source deletes it for good.
    String replyUuid =
        replies.storeReply(source.filesystemId, null, "Thank you, we are looking into it.");
    var reply = EntityRows.reply(replyUuid).orElseThrow();
    Document page = Jsoup.parse(b.get("/lookup").asString());
    assertThat(page.select(".reply pre").text()).isEqualTo("Thank you, we are looking into it.");
    Path replyFile = store.path(source.filesystemId, reply.filename);
    assertThat(replyFile).exists();
    assertThat(b.post("/delete-reply", "csrf_token", b.csrf, "reply", reply.uuid).statusCode())
        .isEqualTo(303);
    assertThat(b.get("/lookup").asString()).contains("No replies yet");
    assertThat(replyFile).doesNotExist();
  }

  private static String gzipFileName(byte[] gz) {
    assertThat(gz[0] & 0xff).isEqualTo(0x1f);
    assertThat(gz[3] & 0x08).isEqualTo(0x08);
    int end = 10;
    while (gz[end] != 0) {
      end++;
    }
    return new String(gz, 10, end - 10, StandardCharsets.ISO_8859_1);
  }

  @Test
  void anIdleSessionExpiresWithAClearPage() {
    Browser b = new Browser();
    newSource(b);
    assertThat(b.get("/lookup").statusCode()).isEqualTo(200);
    TestClock.advance(Duration.ofHours(3));
    Response expired = b.get("/lookup");
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(expired.asString()).contains("Your session timed out due to inactivity.");
  }

  @Test
  void formsWithoutAValidCsrfTokenAreRefused() {
    Browser b = new Browser();
    b.get("/generate");
    assertThat(b.post("/create").statusCode()).isEqualTo(400);
    assertThat(b.post("/create", "csrf_token", "forged").asString())
        .contains("This form has expired or is not valid");
    b.post("/create", "csrf_token", b.csrf);
    b.get("/lookup");
    Response forged =
        given()
            .redirects()
            .follow(false)
            .cookies(b.cookies)
            .multiPart("csrf_token", "forged")
            .multiPart("message", "hi")
            .post("/submit");
    assertThat(forged.statusCode()).isEqualTo(400);
    Response none =
        given()
            .redirects()
            .follow(false)
            .cookies(b.cookies)
            .multiPart("message", "hi")
            .post("/submit");
    assertThat(none.statusCode()).isEqualTo(400);
    b.get("/login");
    assertThat(b.post("/login", "codename", "x").statusCode()).isEqualTo(400);
  }

  @Test
  void loginAttemptsAreRateLimitedWithAClearPage() {
    Browser b = new Browser();
    b.get("/login");
    int limited = 0;
    for (int i = 0; i < 7; i++) {
      Response r =
          b.post(
              "/login",
              "csrf_token",
              b.csrf,
              "codename",
              "abacus abacus abacus abacus abacus abacus abacus");
      if (r.statusCode() == 429) {
        limited++;
        assertThat(r.asString()).contains("Too many attempts. Please wait a minute and try again.");
      } else {
        assertThat(r.statusCode()).isEqualTo(401);
      }
    }
    assertThat(limited).isEqualTo(2);
    TestClock.advance(Duration.ofMinutes(2));
    assertThat(
            b.post(
                    "/login",
                    "csrf_token",
                    b.csrf,
                    "codename",
                    "abacus abacus abacus abacus abacus abacus abacus")
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void aLoginFloodFromManySessionsDoesNotLockOutAReturningSource() {
    // Given a source with a codename
    Browser honest = new Browser();
    String codename = newSource(honest)[0];
    honest.post("/logout", "csrf_token", honest.csrf);
    // When an attacker sends 100 wrong codenames from 20 sessions (the old instance-wide limit
    // refused every login from the 61st attempt on)
    int refused = 0;
    for (int session = 0; session < 20; session++) {
      Browser attacker = new Browser();
      attacker.get("/login");
      for (int i = 0; i < 5; i++) {
        Response r =
            attacker.post(
                "/login",
                "csrf_token",
                attacker.csrf,
                "codename",
                "abacus abacus abacus abacus abacus abacus abacus");
        refused += r.statusCode() == 429 ? 1 : 0;
      }
    }
    // Then the attacker was not refused within its per-session allowance, and the source logs in
    assertThat(refused).isZero();
    Browser returning = new Browser();
    returning.get("/login");
    Response in = returning.post("/login", "csrf_token", returning.csrf, "codename", codename);
    assertThat(in.statusCode()).isEqualTo(303);
    assertThat(in.getHeader("Location")).endsWith("/lookup");
  }

  @Test
  void everyPageHasTheSecurityHeadersAndNoScript() {
    Browser b = new Browser();
    newSource(b);
    for (String path :
        List.of(
            "/",
            "/generate",
            "/login",
            "/lookup",
            "/received",
            "/metadata",
            "/public-key",
            "/static/style.css",
            "/no-such-page")) {
      Response r = b.get(path);
      assertThat(r.getHeader("Content-Security-Policy"))
          .as(path)
          .startsWith("default-src 'none'")
          .contains("frame-ancestors 'none'");
      assertThat(r.getHeader("Cache-Control")).as(path).isEqualTo("no-store");
      assertThat(r.getHeader("Referrer-Policy")).as(path).isEqualTo("no-referrer");
      assertThat(r.getHeader("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
      assertThat(r.getHeader("Cross-Origin-Opener-Policy")).as(path).isEqualTo("same-origin");
      assertThat(r.getHeader("Server")).as(path).isNull();
      assertThat(r.getHeader("X-Powered-By")).as(path).isNull();
      if (r.getContentType() != null && r.getContentType().startsWith("text/html")) {
        Document d = Jsoup.parse(r.asString());
        assertThat(d.select("script")).as(path).isEmpty();
        assertThat(d.select("[src^=http], [href^=http]"))
            .as(path + " third-party resources")
            .isEmpty();
        d.select("form").forEach(f -> assertThat(f.attr("autocomplete")).isEqualTo("off"));
      }
    }
    var cookies = b.get("/generate").getDetailedCookies().asList();
    assertThat(cookies)
        .allSatisfy(
            c -> {
              assertThat(c.isHttpOnly()).isTrue();
              assertThat(c.getSameSite()).isEqualToIgnoringCase("Strict");
            });
  }

  @Test
  void metadataAndPublicKeyHaveSecureDropsShape() {
    Response meta = given().get("/metadata");
    assertThat(meta.statusCode()).isEqualTo(200);
    assertThat(meta.jsonPath().getString("organization_name")).isEqualTo("OnionDrop");
    assertThat(meta.jsonPath().getBoolean("allow_document_uploads")).isTrue();
    assertThat(meta.jsonPath().getString("gpg_fpr"))
        .isEqualTo(submissionKeys.current().fingerprint().hex());
    assertThat(meta.jsonPath().getList("supported_languages"))
        .containsExactly("en_US", "es", "fr", "pt_BR", "ru", "tr", "zh_Hans", "ar", "fa");
    assertThat(given().get("/public-key").asString())
        .startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----");
  }

  @Test
  void oversizedAndMalformedUploadsGetClearAnswers() throws Exception {
    Browser b = new Browser();
    newSource(b);
    b.get("/lookup");
    String cookie = b.cookies.getValue("od_source");

    // Content-Length over the limit: 413 with a readable page, before any body is read.
    String huge =
        rawPost(cookie, "multipart/form-data; boundary=X", 10L * 1024 * 1024 * 1024, new byte[0]);
    assertThat(huge).startsWith("HTTP/1.1 413").contains("The whole submission is too large");

    // Broken multipart: 400.
    byte[] body =
        "--X\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nhi\r\n--X"
            .getBytes(StandardCharsets.US_ASCII);
    String garbage = rawPost(cookie, "multipart/form-data; boundary=X", body.length, body);
    assertThat(garbage).matches("(?s)HTTP/1.1 400.*");
    String notMultipart =
        rawPost(cookie, "text/plain", 5, "hello".getBytes(StandardCharsets.US_ASCII));
    assertThat(notMultipart).startsWith("HTTP/1.1 400");
    // A content type of separators only (found by Jazzer in MultipartParser.boundaryOf): was a 500
    for (String separators : new String[] {";", ";;", " ; "}) {
      String odd = rawPost(cookie, separators, 5, "hello".getBytes(StandardCharsets.US_ASCII));
      assertThat(odd).as(separators).startsWith("HTTP/1.1 400");
    }
  }

  private String rawPost(String cookie, String contentType, long length, byte[] body)
      throws IOException {
    try (Socket s = new Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /submit HTTP/1.1\r\nHost: localhost\r\nCookie: od_source="
                  + cookie
                  + "\r\nContent-Type: "
                  + contentType
                  + "\r\nContent-Length: "
                  + length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      StringBuilder response = new StringBuilder();
      int n;
      while ((n = in.read(buf)) > 0) {
        response.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        if (response.indexOf("</html>") >= 0 || response.length() > 100_000) {
          break;
        }
      }
      return response.toString();
    }
  }
}
