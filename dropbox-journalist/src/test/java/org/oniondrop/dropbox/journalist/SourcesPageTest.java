package org.oniondrop.dropbox.journalist;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookies;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.oniondrop.dropbox.core.persistence.Source;
import org.oniondrop.dropbox.core.service.ConversationService;
import org.oniondrop.dropbox.core.service.FileNames;
import org.oniondrop.dropbox.core.testing.EntityRows;
import org.oniondrop.dropbox.core.testing.GpgKeyResource;
import org.oniondrop.dropbox.core.testing.TestClock;

/**
 * The sources page a journalist lives in: a real table (headers, starred first, unread marked),
 * human times with the exact UTC time on hover, plural forms from the bundle, and bulk actions
 * across sources that work without JavaScript; one stylesheet, no scripts, nothing third-party.
 */
@QuarkusTest
@QuarkusTestResource(value = GpgKeyResource.class, restrictToAnnotatedClass = true)
class SourcesPageTest {

  @Inject Fixtures fixtures;
  @Inject ConversationService conversations;

  @AfterEach
  void resetClock() {
    TestClock.offset = Duration.ZERO;
  }

  private static Response post(Cookies c, String path, String... form) {
    return Fixtures.form(c, path, (Object[]) form);
  }

  /** A bulk action on these sources. */
  private static Response bulk(Cookies c, String csrf, String action, String... sources) {
    List<Object> form = new ArrayList<>(List.of("csrf_token", csrf, "action", action));
    for (String s : sources) {
      form.add("source");
      form.add(s);
    }
    return Fixtures.form(c, "/journalist/bulk", form.toArray());
  }

  private static Element row(Document page, Source s) {
    return page.select("table.sources tbody tr").stream()
        .filter(r -> r.select(".designation").text().equals(s.designation))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row for " + s.designation));
  }

  @Test
  void theTableHasHeadersStarredFirstUnreadMarkedHumanTimesAndPlurals() throws Exception {
    // Given two sources, the older one starred, and a journalist who read nothing yet
    Source older = fixtures.sourceOf(fixtures.sourceWithSubmissions("older", new byte[100]));
    TestClock.advance(Duration.ofMinutes(5));
    Source newer = fixtures.sourceOf(fixtures.sourceWithSubmissions("newer", new byte[100]));
    // When three hours pass (and a journalist logs in then and stars the older one)
    TestClock.advance(Duration.ofHours(3));
    Fixtures.Account a = fixtures.journalist(false);
    Cookies c = Fixtures.login(a, 0);
    post(
        c,
        "/journalist/star",
        "csrf_token",
        Fixtures.csrf(given().cookies(c).get("/journalist/")),
        "source",
        older.uuid,
        "starred",
        "true");
    Response r = given().cookies(c).get("/journalist/");
    Document page = Jsoup.parse(r.asString());

    // Then the table has its headers
    assertThat(page.select("table.sources thead th").eachText())
        .containsExactly("Select", "Source", "Items", "Unread", "Last activity", "Starred");
    // starred sources come first, then the most recent
    List<String> order = page.select("table.sources tbody .designation").eachText();
    assertThat(order.indexOf(older.designation)).isLessThan(order.indexOf(newer.designation));
    assertThat(order.get(0)).isEqualTo(conversations.sources(null, "").get(0).designation());
    Element starred = row(page, older);
    assertThat(starred.hasClass("starred")).isTrue();
    assertThat(starred.select("button.star").attr("aria-pressed")).isEqualTo("true");
    // unread is marked, with the count in words of the bundle
    Element fresh = row(page, newer);
    assertThat(fresh.hasClass("unread")).isTrue();
    assertThat(fresh.select(".unread-count strong").text()).isEqualTo("2 unread");
    // plural forms: one message, one document, no replies
    assertThat(fresh.select(".counts").text()).isEqualTo("1 message, 1 document, 0 replies");
    // a human time, and the exact UTC time on hover
    Source stored = EntityRows.source(newer.uuid).orElseThrow();
    Element time = fresh.selectFirst(".activity time");
    assertThat(time.text()).isEqualTo("3 hours ago");
    assertThat(time.attr("title"))
        .isEqualTo(
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
                .withZone(ZoneOffset.UTC)
                .format(stored.lastUpdated));
    assertThat(time.attr("datetime")).endsWith("Z");
    assertThat(row(page, older).selectFirst(".activity time").text()).isEqualTo("3 hours ago");

    // One stylesheet of our own, no script, nothing loaded from elsewhere.
    assertThat(page.select("script")).isEmpty();
    assertThat(page.select("link[rel=stylesheet]").eachAttr("href"))
        .containsExactly("/jstatic/journalist.css");
    for (Element e : page.select("[src], [href], [action]")) {
      for (String attr : List.of("src", "href", "action")) {
        assertThat(e.attr(attr)).as(e.outerHtml()).doesNotContain("//");
      }
    }
    assertThat(page.select("[style]")).isEmpty();
    assertThat(given().get("/jstatic/journalist.css").asString())
        .doesNotContain("@import")
        .doesNotContain("url(");
  }

  @Test
  void bulkActionsAcrossSourcesWorkWithoutJavaScript() throws Exception {
    Source one = fixtures.sourceOf(fixtures.sourceWithSubmissions("bulk one", new byte[300]));
    Source two = fixtures.sourceOf(fixtures.sourceWithSubmissions("bulk two", new byte[400]));
    Source three = fixtures.sourceOf(fixtures.sourceWithSubmissions("bulk three", new byte[500]));
    Fixtures.Account a = fixtures.journalist(false);
    Cookies c = Fixtures.login(a, 0);
    Document page = Jsoup.parse(given().cookies(c).get("/journalist/").asString());
    String csrf = Fixtures.csrf(given().cookies(c).get("/journalist/"));

    // The checkboxes and buttons belong to the bulk form (HTML form attribute, no script).
    Element form = page.getElementById("bulk");
    assertThat(form.attr("method")).isEqualTo("post");
    assertThat(form.select("input[name=csrf_token]").attr("value")).isEqualTo(csrf);
    assertThat(page.select("input[type=checkbox][name=source][form=bulk]").eachAttr("value"))
        .contains(one.uuid, two.uuid, three.uuid);
    assertThat(page.select("button[form=bulk][name=action]").eachAttr("value"))
        .containsExactly("download-unread", "download-all", "seen", "delete");
    assertThat(page.select("input[type=checkbox][name=all][form=bulk]")).hasSize(1);

    // Nothing ticked: nothing happens, and the page says why.
    Response none = bulk(c, csrf, "seen");
    assertThat(none.statusCode()).isEqualTo(303);
    assertThat(
            Jsoup.parse(given().cookies(c).get("/journalist/").asString()).select("#notice").text())
        .startsWith("No source was selected.");

    // Download the unread items of two sources: one ZIP, a folder per source, exact ciphertexts.
    Response zip = bulk(c, csrf, "download-unread", one.uuid, two.uuid);
    assertThat(zip.getContentType()).isEqualTo("application/zip");
    List<String> names = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.asByteArray()))) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        names.add(e.getName());
      }
    }
    String f1 = FileNames.journalistFilename(one.designation);
    String f2 = FileNames.journalistFilename(two.designation);
    assertThat(names).hasSize(4);
    assertThat(names).filteredOn(n -> n.startsWith(f1 + "/")).hasSize(2);
    assertThat(names).filteredOn(n -> n.startsWith(f2 + "/")).hasSize(2);
    // They are now read by this journalist; the third source is still unread.
    Document after = Jsoup.parse(given().cookies(c).get("/journalist/").asString());
    assertThat(row(after, one).hasClass("unread")).isFalse();
    assertThat(row(after, two).hasClass("unread")).isFalse();
    assertThat(row(after, three).hasClass("unread")).isTrue();
    // Unread again is now nothing for those two.
    Response empty = bulk(c, csrf, "download-unread", one.uuid);
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(empty.asByteArray()))) {
      assertThat(in.getNextEntry()).isNull();
    }

    // Mark seen with "every source listed", narrowed by the filter to the third source.
    String word = three.designation.split(" ")[1];
    post(
        c,
        "/journalist/bulk",
        "csrf_token",
        csrf,
        "action",
        "seen",
        "all",
        "true",
        "filter",
        three.designation);
    assertThat(
            row(Jsoup.parse(given().cookies(c).get("/journalist/").asString()), three)
                .hasClass("unread"))
        .as("filtered on %s", word)
        .isFalse();

    // Delete two sources at once: both gone, the third kept.
    bulk(c, csrf, "delete", one.uuid, two.uuid);
    assertThat(EntityRows.source(one.uuid)).isEmpty();
    assertThat(EntityRows.source(two.uuid)).isEmpty();
    assertThat(EntityRows.source(three.uuid)).isPresent();
  }
}
