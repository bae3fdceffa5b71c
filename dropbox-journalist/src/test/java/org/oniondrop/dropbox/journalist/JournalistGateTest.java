package org.oniondrop.dropbox.journalist;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookies;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.oniondrop.dropbox.core.service.ConversationService;
import org.oniondrop.dropbox.core.testing.GpgKeyResource;
import org.oniondrop.dropbox.journalist.api.ApiV1Resource;
import org.oniondrop.dropbox.journalist.web.AccountPages;
import org.oniondrop.dropbox.journalist.web.AdminUserPages;
import org.oniondrop.dropbox.journalist.web.InstancePages;
import org.oniondrop.dropbox.journalist.web.JournalistGate;
import org.oniondrop.dropbox.journalist.web.LoginPages;
import org.oniondrop.dropbox.journalist.web.OnionPages;
import org.oniondrop.dropbox.journalist.web.SourcePages;
import org.oniondrop.dropbox.journalist.web.SubmissionKeyPages;

/**
 * The one gate: every journalist page and API v1 endpoint is behind {@link JournalistGate} except
 * the login form and the API's map and login; and the gate, not the page, refuses a missing session
 * (303 to the login page), a journalist on an admin page (403) and a form without the session's
 * CSRF token (400), before any page code runs.
 */
@QuarkusTest
@QuarkusTestResource(value = GpgKeyResource.class, restrictToAnnotatedClass = true)
class JournalistGateTest {

  /** The page resources (one per capability) and the API. */
  static final List<Class<?>> RESOURCES =
      List.of(
          LoginPages.class,
          SourcePages.class,
          AccountPages.class,
          AdminUserPages.class,
          InstancePages.class,
          SubmissionKeyPages.class,
          OnionPages.class,
          ApiV1Resource.class);

  /** The only endpoints reachable without a session. */
  static final Set<String> OPEN =
      Set.of(
          "LoginPages.loginForm", "LoginPages.login", "ApiV1Resource.root", "ApiV1Resource.token");

  static boolean endpoint(Method m) {
    return m.isAnnotationPresent(GET.class)
        || m.isAnnotationPresent(POST.class)
        || m.isAnnotationPresent(PUT.class)
        || m.isAnnotationPresent(DELETE.class);
  }

  @Test
  void everyEndpointButLoginIsBehindTheGate() {
    List<String> open = new ArrayList<>();
    int gated = 0;
    for (Class<?> c : RESOURCES) {
      assertThat(c.isAnnotationPresent(Path.class)).as(c.getName()).isTrue();
      for (Method m : c.getDeclaredMethods()) {
        if (!endpoint(m)) {
          continue;
        }
        boolean bound =
            c.isAnnotationPresent(JournalistGate.class)
                || m.isAnnotationPresent(JournalistGate.class);
        boolean opened = m.isAnnotationPresent(JournalistGate.Open.class);
        if (!bound || opened) {
          open.add(c.getSimpleName() + "." + m.getName());
        } else {
          gated++;
        }
      }
    }
    assertThat(open).containsExactlyInAnyOrderElementsOf(OPEN);
    assertThat(gated).isGreaterThan(40);
    // Admin capabilities are admin-only as a whole, by class.
    for (Class<?> c :
        List.of(
            AdminUserPages.class,
            InstancePages.class,
            SubmissionKeyPages.class,
            OnionPages.class)) {
      assertThat(c.getAnnotation(JournalistGate.class).value())
          .as(c.getSimpleName())
          .isEqualTo(JournalistGate.Access.ADMIN);
    }
  }

  @Inject Fixtures fixtures;
  @Inject ConversationService conversations;

  /** Unsafe page routes, with the form fields they would need besides the CSRF token. */
  static final List<String> POSTS =
      List.of(
          "/journalist/logout",
          "/journalist/star",
          "/journalist/bulk",
          "/journalist/col/00000000-0000-0000-0000-000000000000/action",
          "/journalist/col/00000000-0000-0000-0000-000000000000/reply",
          "/journalist/account/new-passphrase",
          "/journalist/totp/start",
          "/journalist/totp",
          "/journalist/admin/users",
          "/journalist/admin/users/00000000-0000-0000-0000-000000000000",
          "/journalist/admin/instance",
          "/journalist/admin/key",
          "/journalist/admin/client-keys",
          "/journalist/admin/client-keys/revoke");

  static final List<String> GETS =
      List.of(
          "/journalist/",
          "/journalist/col/00000000-0000-0000-0000-000000000000",
          "/journalist/account",
          "/journalist/totp",
          "/journalist/totp/qr.png",
          "/journalist/admin",
          "/journalist/admin/instance",
          "/journalist/admin/key",
          "/journalist/admin/status");

  static final List<String> ADMIN_ONLY =
      List.of(
          "/journalist/admin",
          "/journalist/admin/instance",
          "/journalist/admin/key",
          "/journalist/admin/status");

  private static Response post(Cookies c, String path, String csrf) {
    var spec =
        given()
            .redirects()
            .follow(false)
            .cookies(c)
            .contentType("application/x-www-form-urlencoded")
            .formParam("action", "delete-source")
            .formParam("source", "00000000-0000-0000-0000-000000000000")
            .formParam("all", "true")
            .formParam("name", "x");
    if (csrf != null) {
      spec.formParam("csrf_token", csrf);
    }
    return spec.post(path);
  }

  @Test
  void theGateRefusesBeforeAnyPageCodeRuns() throws Exception {
    // No session: every page, read or write, goes to the login page.
    for (String path : GETS) {
      Response r = given().redirects().follow(false).get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(303);
      assertThat(r.getHeader("Location")).as(path).endsWith("/journalist/login");
    }
    for (String path : POSTS) {
      Response r = post(new Cookies(), path, "anything");
      assertThat(r.statusCode()).as(path).isEqualTo(303);
      assertThat(r.getHeader("Location")).as(path).endsWith("/journalist/login");
    }
    // A session from another world (forged cookie): the same.
    Cookies forged =
        new Cookies(
            new io.restassured.http.Cookie.Builder("od_journalist", "x".repeat(43)).build());
    assertThat(given().redirects().follow(false).cookies(forged).get("/journalist/").statusCode())
        .isEqualTo(303);

    // A journalist on admin pages: 403, read or write.
    Fixtures.Account j = fixtures.journalist(false);
    Cookies jc = Fixtures.login(j, 0);
    String csrf = Fixtures.csrf(given().cookies(jc).get("/journalist/account"));
    for (String path : ADMIN_ONLY) {
      assertThat(given().redirects().follow(false).cookies(jc).get(path).statusCode())
          .as(path)
          .isEqualTo(403);
    }
    assertThat(post(jc, "/journalist/admin/users", csrf).statusCode()).isEqualTo(403);
    assertThat(post(jc, "/journalist/admin/client-keys/revoke", csrf).statusCode()).isEqualTo(403);

    // A source exists; a form without the session's CSRF token changes nothing, on every route.
    String codename = fixtures.sourceWithSubmissions("gate", new byte[10]);
    String uuid = fixtures.sourceOf(codename).uuid;
    Fixtures.Account admin = fixtures.journalist(true);
    Cookies ac = Fixtures.login(admin, 0);
    for (String path : POSTS) {
      String p = path.replace("00000000-0000-0000-0000-000000000000", uuid);
      for (String bad : new String[] {null, "", "not-the-token", csrf}) {
        Response r = post(ac, p, bad);
        assertThat(r.statusCode()).as(p + " with " + bad).isEqualTo(400);
        assertThat(r.asString()).contains("This form has expired or is not valid");
      }
    }
    Response logo =
        given()
            .redirects()
            .follow(false)
            .cookies(ac)
            .contentType("multipart/form-data; boundary=gate")
            .body(
                ("--gate\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"l.png\"\r\n"
                        + "Content-Type: image/png\r\n\r\nPNG\r\n--gate--\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII))
            .post("/journalist/admin/logo");
    assertThat(logo.statusCode()).as("multipart without a token").isEqualTo(400);
    assertThat(conversations.source(uuid)).isPresent();
    assertThat(given().redirects().follow(false).cookies(ac).get("/journalist/").statusCode())
        .as("the admin is still logged in: logout without a token did nothing")
        .isEqualTo(200);
  }
}
