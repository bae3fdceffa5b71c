package org.oniondrop.dropbox.journalist;

import static io.restassured.RestAssured.given;

import io.restassured.http.Cookies;
import io.restassured.response.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.OutputStream;
import org.jsoup.Jsoup;
import org.oniondrop.crypto.SecretBytes;
import org.oniondrop.crypto.totp.Totp;
import org.oniondrop.crypto.words.Codename;
import org.oniondrop.crypto.words.CodenameGenerator;
import org.oniondrop.dropbox.core.persistence.Source;
import org.oniondrop.dropbox.core.service.JournalistService;
import org.oniondrop.dropbox.core.service.SourceService;
import org.oniondrop.dropbox.core.service.SubmissionService;
import org.oniondrop.dropbox.core.testing.EntityRows;
import org.oniondrop.dropbox.core.testing.TestClock;

/** Test data made through the real services. */
@ApplicationScoped
public class Fixtures {

  @Inject JournalistService journalists;
  @Inject SourceService sources;
  @Inject SubmissionService submissions;
  @Inject CodenameGenerator codenames;

  /** A journalist's username, passphrase and TOTP secret. */
  public record Account(String uuid, String username, String passphrase, SecretBytes totp) {
    /** A code for the next unused step (each login needs a fresh one). */
    public String code(long stepOffset) {
      long now = java.time.Instant.now().plus(TestClock.offset).getEpochSecond();
      return Totp.code(totp, Math.floorDiv(now, Totp.STEP_SECONDS) + stepOffset);
    }
  }

  /**
   * Moves the test clock to half a second into the next TOTP step. A test that reads "the code that
   * opened this session" as {@code code(0)} some seconds later needs the step not to change in
   * between: at a step's edge, {@code code(0)} would become a fresh code and a refusal the test
   * expects would turn into an acceptance. From here the test has 29.5 s before the edge.
   */
  public static void startOfNextStep() {
    long stepMillis = Totp.STEP_SECONDS * 1000L;
    long now = java.time.Instant.now().plus(TestClock.offset).toEpochMilli();
    long next = (Math.floorDiv(now, stepMillis) + 1) * stepMillis + 500;
    TestClock.advance(java.time.Duration.ofMillis(next - now));
  }

  private static int counter;

  public Account journalist(boolean admin) {
    String name = (admin ? "admin" : "reporter") + (++counter) + System.nanoTime() % 100000;
    JournalistService.NewAccount a = journalists.create(name, "Ada", "Lovelace", admin);
    return new Account(a.journalist().uuid(), name, new String(a.passphrase()), a.totpSecret());
  }

  /** A source with a message and a document; returns its codename. */
  public String sourceWithSubmissions(String message, byte[] document) throws Exception {
    Codename codename = codenames.generate();
    String text = new String(codename.chars());
    SourceService.SourceCredentials creds = sources.derive(codename);
    sources.createSource(creds);
    submissions.storeMessage(creds.sourceId(), message);
    SubmissionService.DocumentUpload up =
        submissions.beginDocument(creds.sourceId(), "evidence.pdf");
    try (OutputStream out = up.plaintext()) {
      out.write(document);
    }
    up.commit();
    return text;
  }

  public Source sourceOf(String codename) {
    return EntityRows.sourceById(sources.derive(Codename.parse(codename)).sourceId()).orElseThrow();
  }

  /** Logs in through the page; returns the cookies, failing the test on refusal. */
  public static Cookies login(Account a, long stepOffset) {
    Response r = webLogin(a.username(), a.passphrase(), a.code(stepOffset));
    if (r.statusCode() != 303) {
      throw new AssertionError("login failed: " + r.statusCode() + " " + r.asString());
    }
    return r.getDetailedCookies();
  }

  /** A GET with these cookies, redirects not followed. */
  public static Response page(Cookies c, String path) {
    return given().redirects().follow(false).cookies(c).get(path);
  }

  /** A urlencoded form POST ({@code form}: name, value, ...), redirects not followed. */
  /** POSTs the journalist login form (no cookies, redirects not followed): the answer as it is. */
  public static Response webLogin(String username, String passphrase, String code) {
    return form(
        new Cookies(),
        "/journalist/login",
        "username",
        username,
        "passphrase",
        passphrase,
        "token",
        code);
  }

  public static Response form(Cookies c, String path, Object... form) {
    var spec =
        given()
            .redirects()
            .follow(false)
            .cookies(c)
            .contentType("application/x-www-form-urlencoded; charset=UTF-8");
    for (int i = 0; i < form.length; i += 2) {
      spec.formParam((String) form[i], form[i + 1]);
    }
    return spec.post(path);
  }

  /** A submission key replacement on the admin key page, re-authenticated as given. */
  public static Response rotateKey(
      Cookies c, String csrf, String key, String passphrase, String code) {
    return form(
        c,
        "/journalist/admin/key",
        "csrf_token",
        csrf,
        "key",
        key,
        "current_passphrase",
        passphrase,
        "current_token",
        code);
  }

  /** An API token for {@code a} (POST /api/v1/token with the code of {@code step}). */
  /** POSTs a JSON login to {@code /api/v1/token} and returns the answer, whatever it is. */
  public static Response apiLogin(String username, String passphrase, String oneTimeCode) {
    return given()
        .contentType("application/json")
        .body(
            java.util.Map.of(
                "username", username, "passphrase", passphrase, "one_time_code", oneTimeCode))
        .post("/api/v1/token");
  }

  /** {@link #apiLogin} with the account's passphrase and its one-time code for {@code step}. */
  public static Response apiLogin(Account a, long step) {
    return apiLogin(a.username(), a.passphrase(), a.code(step));
  }

  /** Logs in to the API and returns the token, failing the test unless the login succeeds. */
  public static String apiToken(Account a, long step) {
    Response r = apiLogin(a, step);
    if (r.statusCode() != 200) {
      throw new AssertionError("API login failed: " + r.statusCode() + " " + r.asString());
    }
    return r.jsonPath().getString("token");
  }

  /** {@code plaintext} as a client-encrypted reply: ASCII-armored, to the submission key. */
  public static String armoredReply(String plaintext) throws Exception {
    java.nio.file.Path plain = java.nio.file.Files.createTempFile("reply", ".txt");
    java.nio.file.Files.writeString(plain, plaintext);
    try {
      return org.oniondrop.dropbox.core.testing.GpgKeyResource.gpg(
          "--armor",
          "--trust-model",
          "always",
          "--encrypt",
          "-r",
          "submission@example.invalid",
          "--output",
          "-",
          plain.toString());
    } finally {
      java.nio.file.Files.delete(plain);
    }
  }

  public static String csrf(Response page) {
    return Jsoup.parse(page.asString()).selectFirst("input[name=csrf_token]").attr("value");
  }
}
