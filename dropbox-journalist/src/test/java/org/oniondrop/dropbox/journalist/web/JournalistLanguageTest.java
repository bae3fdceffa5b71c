package org.oniondrop.dropbox.journalist.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.oniondrop.dropbox.core.testing.GpgKeyResource;

/** Journalist pages carry their language on {@code <html>} through the shared mechanism. */
@QuarkusTest
@QuarkusTestResource(value = GpgKeyResource.class, restrictToAnnotatedClass = true)
class JournalistLanguageTest {

  @Test
  void pagesSayTheirLanguageAndIgnoreLanguagesWithoutABundle() {
    Document login = Jsoup.parse(given().get("/journalist/login").asString());
    assertThat(login.selectFirst("html").attr("lang")).isEqualTo("en");
    assertThat(login.selectFirst("html").attr("dir")).isEqualTo("ltr");
    // Persian has no journalist bundle yet: the page stays English, left to right, and no
    // language menu is offered while English is the only language.
    Document asked = Jsoup.parse(given().get("/journalist/login?l=fa").asString());
    assertThat(asked.selectFirst("html").attr("lang")).isEqualTo("en");
    assertThat(asked.selectFirst("html").attr("dir")).isEqualTo("ltr");
    assertThat(asked.select("nav.languages")).isEmpty();
  }
}
