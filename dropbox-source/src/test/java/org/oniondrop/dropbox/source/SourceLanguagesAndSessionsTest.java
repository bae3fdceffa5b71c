package org.oniondrop.dropbox.source;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookies;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.oniondrop.crypto.words.WordList;
import org.oniondrop.dropbox.core.service.InstanceSettings;
import org.oniondrop.dropbox.core.testing.GpgKeyResource;
import org.oniondrop.dropbox.source.session.SourceSession;
import org.oniondrop.dropbox.source.session.SourceSessions;

/**
 * Issue 19 on the source side: languages chosen without JavaScript (and right to left for Persian),
 * sessions that end cleanly (log-out everywhere, Clear-Site-Data, a new session id at create and
 * login) and the codename-in-message check over the whole message.
 */
@QuarkusTest
@QuarkusTestResource(value = GpgKeyResource.class, restrictToAnnotatedClass = true)
class SourceLanguagesAndSessionsTest {

  @Inject InstanceSettings settings;

  /** A browser with its one cookie and the last page's CSRF token. */
  static final class Browser {
    Cookies cookies = new Cookies();
    String csrf;

    Response get(String path) {
      return remember(given().redirects().follow(false).cookies(cookies).get(path));
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
      return remember(spec.post(path));
    }

    Response submit(String message) {
      return remember(
          given()
              .redirects()
              .follow(false)
              .cookies(cookies)
              .multiPart("csrf_token", csrf)
              .multiPart("message", message)
              .post("/submit"));
    }

    String sessionId() {
      return cookies.getValue(SourceSessions.COOKIE);
    }

    private Response remember(Response r) {
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
      return r;
    }
  }

  private static Document persian(Response r, String expectedText) {
    Document d = Jsoup.parse(r.asString());
    assertThat(d.selectFirst("html").attr("lang")).isEqualTo("fa");
    assertThat(d.selectFirst("html").attr("dir")).isEqualTo("rtl");
    assertThat(d.text()).contains(expectedText);
    // Every page says, in Persian, that codenames stay English words from the EFF list.
    assertThat(d.select("footer").text())
        .contains("نام\u200cهای رمز همیشه از واژه\u200cهای فهرست انگلیسی EFF ساخته می\u200cشوند");
    return d;
  }

  private static String newSource(Browser b) {
    String codename = Jsoup.parse(b.get("/generate").asString()).selectFirst("#codename").text();
    assertThat(b.post("/create", "csrf_token", b.csrf).statusCode()).isEqualTo(303);
    return codename;
  }

  @Test
  void everySourcePageReadsInPersianRightToLeftOnceChosenWithALink() {
    Browser b = new Browser();
    // The landing page in English offers every language as a plain link.
    Document landing = Jsoup.parse(b.get("/").asString());
    assertThat(landing.selectFirst("html").attr("dir")).isEqualTo("ltr");
    assertThat(landing.select("nav.languages a").eachAttr("href"))
        .containsExactly(
            "/?l=en", "/?l=es", "/?l=fr", "/?l=pt", "/?l=ru", "/?l=tr", "/?l=zh", "/?l=ar",
            "/?l=fa");
    assertThat(landing.selectFirst("a[href='/?l=fa']").text()).isEqualTo("فارسی");

    // Following it keeps Persian in the session: the one cookie is the session's.
    Response chosen = b.get("/?l=fa");
    assertThat(chosen.getDetailedCookies().asList())
        .extracting(c -> c.getName())
        .containsExactly(SourceSessions.COOKIE);
    persian(chosen, "ارسال امن به OnionDrop");
    Document generated = persian(b.get("/generate"), "نام رمز شما");
    String codename = generated.selectFirst("#codename").text();
    assertThat(codename.split(" ")).hasSize(7);
    // The codename itself stays English, left to right, inside the Persian page.
    assertThat(generated.selectFirst("#codename").attr("dir")).isEqualTo("ltr");
    assertThat(generated.selectFirst("#codename").attr("lang")).isEqualTo("en");
    assertThat(b.post("/create", "csrf_token", b.csrf).statusCode()).isEqualTo(303);
    Document lookup = persian(b.get("/lookup"), "فرستادن پیام یا سند");
    assertThat(lookup.select(".codename").text()).isEqualTo(codename);
    persian(b.submit(" "), "لطفاً پیامی بنویسید یا سندی انتخاب کنید.");
    assertThat(b.submit("سلام، اسناد پیوست است.").statusCode()).isEqualTo(303);
    Document received = persian(b.get("/received"), "سپاسگزاریم. ارسال شما دریافت و رمزگذاری شد.");
    assertThat(received.select("form[action='/logout'] button").text()).isEqualTo("خروج");
    persian(b.post("/logout", "csrf_token", b.csrf), "شما خارج شدید.");
    persian(b.get("/login?l=fa"), "با نام رمز خود وارد شوید");
    assertThat(b.post("/login", "csrf_token", b.csrf, "codename", codename).statusCode())
        .isEqualTo(303);
    persian(b.get("/lookup"), "پاسخ\u200cها");
    // And back to English with the English link.
    assertThat(Jsoup.parse(b.get("/lookup?l=en").asString()).selectFirst("html").attr("dir"))
        .isEqualTo("ltr");
  }

  @Test
  void acceptLanguageDecidesNothingByDefault() {
    // Tor Browser normalises Accept-Language; an admin must opt in before it picks the language.
    Document d =
        Jsoup.parse(given().header("Accept-Language", "fa-IR,fa;q=0.9").get("/").asString());
    assertThat(d.selectFirst("html").attr("lang")).isEqualTo("en");
    assertThat(d.selectFirst("html").attr("dir")).isEqualTo("ltr");
    Document unknown = Jsoup.parse(given().get("/?l=xx").asString());
    assertThat(unknown.selectFirst("html").attr("lang")).isEqualTo("en");
  }

  @Test
  void theReceivedPageLogsOutAndLogOutClearsTheSite() {
    Browser b = new Browser();
    newSource(b);
    b.get("/lookup");
    assertThat(b.submit("the ledger is in the second drawer").statusCode()).isEqualTo(303);
    Document received = Jsoup.parse(b.get("/received").asString());
    assertThat(received.select("form[action='/logout'] input[name=csrf_token]").attr("value"))
        .isEqualTo(b.csrf);
    String before = b.sessionId();

    Response out = b.post("/logout", "csrf_token", b.csrf);

    assertThat(out.statusCode()).isEqualTo(200);
    assertThat(out.getHeader("Clear-Site-Data")).isEqualTo("\"cache\", \"cookies\", \"storage\"");
    assertThat(out.getDetailedCookies().get(SourceSessions.COOKIE).getMaxAge()).isZero();
    assertThat(Jsoup.parse(out.asString()).select("form[action='/logout']")).isEmpty();
    // The old session is gone server-side too.
    Response replay =
        given().redirects().follow(false).cookie(SourceSessions.COOKIE, before).get("/lookup");
    assertThat(replay.statusCode()).isEqualTo(303);
    assertThat(replay.getHeader("Location")).endsWith("/login");
  }

  @Test
  void aSessionIdFixedBeforeLoginIsWorthlessAfterIt() {
    // Given an attacker who knows the session id a victim's browser holds before login
    Browser victim = new Browser();
    String codename = newSource(victim);
    victim.post("/logout", "csrf_token", victim.csrf);
    victim = new Browser();
    victim.get("/login");
    String planted = victim.sessionId();
    String plantedCsrf = victim.csrf;

    // When the victim logs in
    Response login = victim.post("/login", "csrf_token", victim.csrf, "codename", codename);

    // Then the logged-in session has a new id and token, and the planted id leads nowhere
    assertThat(login.statusCode()).isEqualTo(303);
    assertThat(victim.sessionId()).isNotEqualTo(planted);
    assertThat(victim.get("/lookup").statusCode()).isEqualTo(200);
    assertThat(victim.csrf).isNotEqualTo(plantedCsrf);
    Response attacker =
        given().redirects().follow(false).cookie(SourceSessions.COOKIE, planted).get("/lookup");
    assertThat(attacker.statusCode()).isEqualTo(303);
    assertThat(attacker.getHeader("Location")).endsWith("/login");
  }

  @Test
  void aSessionIdFixedBeforeCreateIsWorthlessAfterIt() {
    Browser b = new Browser();
    b.get("/generate");
    String planted = b.sessionId();
    assertThat(b.post("/create", "csrf_token", b.csrf).statusCode()).isEqualTo(303);
    assertThat(b.sessionId()).isNotEqualTo(planted);
    assertThat(b.get("/lookup").statusCode()).isEqualTo(200);
    Response attacker =
        given().redirects().follow(false).cookie(SourceSessions.COOKIE, planted).get("/lookup");
    assertThat(attacker.getHeader("Location")).endsWith("/login");
  }

  @Test
  void aCodenameAtTheEndOfAMessageAtTheLimitIsRefused() {
    InstanceSettings.Settings was = settings.current();
    settings.update(
        new InstanceSettings.Settings(was.organizationName(), was.allowDocumentUploads(), 0, true));
    try {
      Browser b = new Browser();
      String codename = newSource(b);
      b.get("/lookup");
      // Nearly 100,000 characters of word-list words: thousands of seven-word windows, each made
      // of list words (the old check ran a KDF per window and stopped after 16).
      WordList list = WordList.effLarge();
      Random r = new Random(7);
      StringBuilder message = new StringBuilder();
      while (message.length() < 99_000) {
        message.append(list.get(r.nextInt(list.size()))).append(' ');
      }
      String withCodename = message + codename.toUpperCase().replace(" ", ",\n ");

      Response refused = b.submit(withCodename);

      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.asString())
          .contains("Please do not include your codename in your message.");
      // The same message without the codename goes through.
      b.get("/lookup");
      assertThat(b.submit(message.toString()).statusCode()).isEqualTo(303);
    } finally {
      settings.update(was);
    }
  }

  @Test
  void theSessionHoldsNoCodenameAsAString() {
    // The only Strings a session holds are its random id and CSRF token; the codename is bytes.
    List<String> strings =
        Arrays.stream(SourceSession.class.getDeclaredFields())
            .filter(f -> !Modifier.isStatic(f.getModifiers()))
            .filter(f -> f.getType() == String.class)
            .map(Field::getName)
            .sorted()
            .toList();
    assertThat(strings).containsExactly("csrfToken", "id");
    assertThat(SourceSession.class.getDeclaredFields())
        .noneMatch(f -> f.getType() == org.oniondrop.crypto.words.Codename.class);
  }
}
