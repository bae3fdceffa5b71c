package org.oniondrop.dropbox.journalist;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookies;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.oniondrop.dropbox.core.service.ConversationService;
import org.oniondrop.dropbox.core.service.JournalistService;
import org.oniondrop.dropbox.core.testing.EntityRows;
import org.oniondrop.dropbox.core.testing.GpgKeyResource;
import org.oniondrop.dropbox.journalist.api.ApiErrors;
import org.oniondrop.dropbox.journalist.api.ApiV1Resource;
import org.oniondrop.dropbox.journalist.api.ApiV2Resource;
import org.oniondrop.dropbox.journalist.web.AccountPages;
import org.oniondrop.dropbox.journalist.web.AdminUserPages;
import org.oniondrop.dropbox.journalist.web.InstancePages;
import org.oniondrop.dropbox.journalist.web.JournalistGate;
import org.oniondrop.dropbox.journalist.web.LoginPages;
import org.oniondrop.dropbox.journalist.web.OnionPages;
import org.oniondrop.dropbox.journalist.web.SourcePages;
import org.oniondrop.dropbox.journalist.web.SubmissionKeyPages;

/**
 * The one gate: every journalist page and API v1 and v2 endpoint is behind {@link JournalistGate}
 * except the login form and the API v1 map and login; and the gate, not the page, refuses a missing
 * session (303 to the login page), a journalist on an admin page (403) and a form without the
 * session's CSRF token (400), before any page code runs; on the API, anything but a live token of
 * an existing journalist gets SecureDrop's JSON 403.
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
          ApiV1Resource.class,
          ApiV2Resource.class);

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
    assertThat(gated).isGreaterThan(45);
    // Both API versions take the API token (JSON refusals), never the page cookie.
    for (Class<?> c : List.of(ApiV1Resource.class, ApiV2Resource.class)) {
      JournalistGate g = c.getAnnotation(JournalistGate.class);
      assertThat(g).as(c.getSimpleName()).isNotNull();
      assertThat(g.credentials())
          .as(c.getSimpleName())
          .isEqualTo(JournalistGate.Credentials.API_TOKEN);
      assertThat(g.value()).as(c.getSimpleName()).isEqualTo(JournalistGate.Access.JOURNALIST);
    }
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
  @Inject JournalistService journalists;

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
    assertThat(EntityRows.source(uuid)).isPresent();
    assertThat(given().redirects().follow(false).cookies(ac).get("/journalist/").statusCode())
        .as("the admin is still logged in: logout without a token did nothing")
        .isEqualTo(200);
  }

  /** SecureDrop's refusal of a missing or bad token, byte for byte. */
  static final String API_FORBIDDEN =
      "{\"error\":\"Forbidden\",\"message\":\"" + ApiErrors.FORBIDDEN_TEXT + "\"}\n";

  static final String REQUEST_ID = "req-3f0c2a4e-9b1d-4c7e-8a2f-5d6e7f801234";

  /** One request to a v2 endpoint: method, path, and the body of a POST. */
  record V2(String method, String path, String body) {}

  /**
   * Every v2 endpoint; the batch stars {@code source} (so a refused batch is seen to do nothing).
   */
  static List<V2> v2Endpoints(String source, String version) {
    String star =
        "{\"events\":[{\"id\":\""
            + (System.currentTimeMillis() << 22)
            + "\",\"type\":\"source_starred\",\"target\":{\"source_uuid\":\""
            + source
            + "\",\"version\":\""
            + version
            + "\"}}],\"sources\":[\""
            + source
            + "\"]}";
    return List.of(
        new V2("GET", "/api/v2/", null),
        new V2("GET", "/api/v2/index", null),
        new V2("GET", "/api/v2/index/0,1,2,3,4,5,6,7,8,9,a,b,c,d,e,f", null),
        new V2("GET", "/api/v2/index/not_hex!", null),
        new V2("POST", "/api/v2/data", star));
  }

  static Response v2(V2 e, java.util.function.UnaryOperator<RequestSpecification> credentials) {
    RequestSpecification spec =
        credentials.apply(
            given()
                .redirects()
                .follow(false)
                .header("X-Request-ID", REQUEST_ID)
                .header("Prefer", "securedrop=4"));
    if (e.body() != null) {
      spec.contentType("application/json").body(e.body());
    }
    return spec.request(e.method(), e.path());
  }

  @Test
  void apiV2RefusesEveryCredentialButALiveTokenOfAnExistingJournalist() throws Exception {
    String uuid = fixtures.sourceOf(fixtures.sourceWithSubmissions("v2 gate", new byte[3])).uuid;
    Fixtures.Account live = fixtures.journalist(false);
    String liveToken = Fixtures.apiToken(live, 0);
    String version =
        (String)
            given()
                .header("Authorization", "Token " + liveToken)
                .get("/api/v2/index")
                .jsonPath()
                .getMap("sources")
                .get(uuid);
    assertThat(version).matches("[0-9a-f]{64}");

    // A token its journalist logged out (revoked in the session store).
    Fixtures.Account out = fixtures.journalist(false);
    String revoked = Fixtures.apiToken(out, 0);
    assertThat(
            given().header("Authorization", "Token " + revoked).post("/api/v1/logout").statusCode())
        .isEqualTo(200);
    // A token whose journalist was deleted afterwards (the session itself still in the store).
    Fixtures.Account gone = fixtures.journalist(false);
    String orphan = Fixtures.apiToken(gone, 0);
    journalists.delete(gone.uuid());
    // A live web session: its cookie is not an API credential.
    Cookies web = Fixtures.login(fixtures.journalist(false), 0);

    Map<String, java.util.function.UnaryOperator<RequestSpecification>> refused =
        new java.util.LinkedHashMap<>();
    refused.put("no token", s -> s);
    refused.put("revoked token", s -> s.header("Authorization", "Token " + revoked));
    refused.put("deleted user's token", s -> s.header("Authorization", "Token " + orphan));
    refused.put("web session cookie", s -> s.cookies(web));
    refused.put(
        "live token under another scheme", s -> s.header("Authorization", "Bearer " + liveToken));
    refused.put("empty token", s -> s.header("Authorization", "Token "));
    for (V2 e : v2Endpoints(uuid, version)) {
      for (var c : refused.entrySet()) {
        Response r = v2(e, c.getValue());
        String what = e.method() + " " + e.path() + " with " + c.getKey();
        assertThat(r.statusCode()).as(what).isEqualTo(403);
        assertThat(r.contentType()).as(what).startsWith("application/json");
        assertThat(r.asString()).as(what).isEqualTo(API_FORBIDDEN);
        // The v2 headers are the same on a refusal as on an answer.
        assertThat(r.getHeader("X-Request-ID")).as(what).isEqualTo(REQUEST_ID);
        assertThat(r.getHeader("Preference-Applied")).as(what).isEqualTo("securedrop=4");
      }
    }
    // None of those batches starred the source.
    assertThat(EntityRows.source(uuid).orElseThrow().starred).isFalse();

    // The same requests with the live token pass the gate (the test can fail the other way).
    for (V2 e : v2Endpoints(uuid, version)) {
      Response r = v2(e, s -> s.header("Authorization", "Token " + liveToken));
      String what = e.method() + " " + e.path() + " with a live token";
      int expected = e.path().endsWith("not_hex!") ? 400 : 200;
      assertThat(r.statusCode()).as(what).isEqualTo(expected);
      assertThat(r.getHeader("X-Request-ID")).as(what).isEqualTo(REQUEST_ID);
    }
    assertThat(EntityRows.source(uuid).orElseThrow().starred).isTrue();
  }
}
