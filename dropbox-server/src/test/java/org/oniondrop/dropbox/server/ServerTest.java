package org.oniondrop.dropbox.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.oniondrop.dropbox.core.config.DropboxConfig;
import org.oniondrop.dropbox.core.service.JournalistService;
import org.oniondrop.onion.client.ConnectError;
import org.oniondrop.onion.client.OnionClient;
import org.oniondrop.onion.client.OnionConnectException;

/**
 * The assembled application on embedded defaults: first run, two listeners that each answer only
 * their own interface, and both onion services reachable through the SOCKS port, the journalist one
 * only with the client key.
 */
@QuarkusTest
class ServerTest {

  /** Upper bound on reading one HTTP response through the onion services. */
  static final int MAX_RESPONSE_BYTES = 1 << 20;

  @Inject DropboxConfig dropbox;
  @Inject OnionHosting onion;
  @Inject Listeners listeners;
  @Inject JournalistService journalists;
  @Inject FirstRun firstRun;

  private String journalistBase() {
    return "http://127.0.0.1:" + listeners.journalistPort();
  }

  @Test
  void firstRunWritesTheInfoFileAndDemoKeyAndMakesAnAdmin() throws Exception {
    JsonNode info =
        new ObjectMapper().readTree(dropbox.dataDir().resolve("oniondrop-info.json").toFile());
    assertThat(info.get("sourceAddress").asText()).matches("[a-z2-7]{56}\\.onion");
    assertThat(info.get("journalistAddress").asText()).matches("[a-z2-7]{56}\\.onion");
    assertThat(info.get("socksPort").asInt()).isEqualTo(onion.socksPort());
    assertThat(info.get("journalistListener").asText())
        .isEqualTo("127.0.0.1:" + listeners.journalistPort());
    assertThat(info.get("sourceListener").asText()).startsWith("127.0.0.1:");
    Path clientKey = Path.of(info.get("journalistClientAuthPrivateKeyFile").asText());
    assertThat(Files.readString(clientKey))
        .startsWith(
            info.get("journalistAddress").asText().replace(".onion", "") + ":descriptor:x25519:");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(clientKey)))
        .isEqualTo("rw-------");
    Path demoKey = Path.of(info.get("demoSubmissionSecretKeyFile").asText());
    assertThat(Files.readString(demoKey)).startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----");
    assertThat(firstRun.demo()).isTrue();
    assertThat(journalists.all().stream().map(j -> j.username())).contains("admin");
    // Keys in tor's HiddenServiceDir layout.
    assertThat(dropbox.dataDir().resolve("onion/source/hs_ed25519_secret_key")).exists();
    assertThat(dropbox.dataDir().resolve("onion/journalist/authorized_clients/journalist.auth"))
        .exists();
  }

  @Test
  void eachListenerAnswersOnlyItsOwnInterface() {
    // Source listener (RestAssured's default port).
    assertThat(given().get("/").statusCode()).isEqualTo(200);
    assertThat(given().get("/generate").statusCode()).isEqualTo(200);
    for (String path :
        new String[] {
          "/journalist/login",
          "/journalist/",
          "/api/v1/",
          "/q/health",
          "/q/openapi",
          "/jstatic/journalist.css"
        }) {
      assertThat(given().redirects().follow(false).get(path).statusCode()).as(path).isEqualTo(404);
    }
    // Journalist listener.
    Response root = given().redirects().follow(false).get(journalistBase() + "/");
    assertThat(root.statusCode()).isEqualTo(302);
    assertThat(root.getHeader("Location")).endsWith("/journalist/");
    assertThat(given().get(journalistBase() + "/journalist/login").statusCode()).isEqualTo(200);
    assertThat(given().get(journalistBase() + "/api/v1/").statusCode()).isEqualTo(200);
    assertThat(given().accept("application/json").get(journalistBase() + "/q/openapi").statusCode())
        .isEqualTo(200);
    for (String path :
        new String[] {"/generate", "/lookup", "/metadata", "/public-key", "/style.css"}) {
      assertThat(given().redirects().follow(false).get(journalistBase() + path).statusCode())
          .as(path)
          .isEqualTo(404);
    }
  }

  @Test
  void healthIsOnTheJournalistListenerAndReportsEachPart() throws Exception {
    onion.publication().get(120, TimeUnit.SECONDS);
    // The info file is rewritten once both are published.
    await(
        () -> {
          try {
            return new ObjectMapper()
                .readTree(dropbox.dataDir().resolve("oniondrop-info.json").toFile())
                .get("journalistPublished")
                .asBoolean();
          } catch (IOException e) {
            return false;
          }
        });
    Response ready = given().get(journalistBase() + "/q/health/ready");
    assertThat(ready.statusCode()).as(ready.asString()).isEqualTo(200);
    assertThat(ready.jsonPath().getList("checks.name"))
        .contains("database", "store", "onion-services");
  }

  @Test
  void bothOnionServicesAnswerThroughTheSocksPortAndTheJournalistOneNeedsTheKey() throws Exception {
    onion.publication().get(120, TimeUnit.SECONDS);
    String source = get(onion.sourceAddress(), "/");
    assertThat(source).startsWith("HTTP/1.1 200").contains("href=\"/generate\"");
    String journalist = get(onion.journalistAddress(), "/journalist/login");
    assertThat(journalist).startsWith("HTTP/1.1 200").contains("passphrase");
    // The source service does not serve journalist paths, even through its onion address.
    assertThat(get(onion.sourceAddress(), "/journalist/login")).startsWith("HTTP/1.1 404");

    // A client without the journalists' key cannot reach the journalist service.
    try (OnionClient stranger = new OnionClient(onion.network(), new SecureRandom())) {
      assertThatThrownBy(() -> stranger.connect(onion.journalistAddress(), 80))
          .isInstanceOfSatisfying(
              OnionConnectException.class,
              e -> assertThat(e.error()).isEqualTo(ConnectError.CLIENT_AUTH_MISSING));
    }
  }

  @Test
  void anAdminAddsAndRevokesAPerJournalistClientKeyWithoutARestart() throws Exception {
    onion.publication().get(120, TimeUnit.SECONDS);
    JournalistService.NewAccount admin =
        journalists.create("keyadmin" + System.nanoTime() % 10000, "Key", "Admin", true);
    io.restassured.http.Cookies c =
        given()
            .redirects()
            .follow(false)
            .contentType("application/x-www-form-urlencoded")
            .formParam("username", admin.journalist().username())
            .formParam("passphrase", new String(admin.passphrase()))
            .formParam(
                "token",
                org.oniondrop.crypto.totp.Totp.code(
                    admin.totpSecret(),
                    Math.floorDiv(
                        java.time.Instant.now().getEpochSecond(),
                        org.oniondrop.crypto.totp.Totp.STEP_SECONDS)))
            .post(journalistBase() + "/journalist/login")
            .getDetailedCookies();
    String statusPage =
        given().cookies(c).get(journalistBase() + "/journalist/admin/status").asString();
    String csrf =
        org.jsoup.Jsoup.parse(statusPage).selectFirst("input[name=csrf_token]").attr("value");

    Response added =
        given()
            .cookies(c)
            .contentType("application/x-www-form-urlencoded")
            .formParam("csrf_token", csrf)
            .formParam("name", "alice-laptop")
            .post(journalistBase() + "/journalist/admin/client-keys");
    assertThat(added.statusCode()).as(added.asString()).isEqualTo(200);
    org.jsoup.nodes.Document page = org.jsoup.Jsoup.parse(added.asString());
    String line = page.selectFirst("#new-key").text();
    assertThat(page.select("#client-keys .key-name").eachText())
        .contains("alice-laptop", "journalist");
    org.oniondrop.onion.keys.ClientAuthKey.ClientCredential alice = credential(line);

    // The new key alone opens the journalist service (a fresh client: no cached descriptor).
    await(() -> onion.published());
    try (OnionClient client = new OnionClient(onion.network(), new SecureRandom())) {
      client.addClientAuth(alice.address(), alice.key());
      client.connect(onion.journalistAddress(), 80).close(6); // END reason DONE
    }

    // Revoked: the service is published again without it, and the key no longer opens it.
    given()
        .cookies(c)
        .redirects()
        .follow(false)
        .contentType("application/x-www-form-urlencoded")
        .formParam("csrf_token", csrf)
        .formParam("name", "alice-laptop")
        .post(journalistBase() + "/journalist/admin/client-keys/revoke");
    assertThat(onion.clientKeys()).doesNotContain("alice-laptop").contains("journalist");
    await(() -> onion.published());
    try (OnionClient client = new OnionClient(onion.network(), new SecureRandom())) {
      client.addClientAuth(alice.address(), credential(line).key());
      assertThatThrownBy(() -> client.connect(onion.journalistAddress(), 80))
          .isInstanceOf(OnionConnectException.class);
    }
  }

  @Test
  void aKeyFileAnOperatorAddsOrRemovesIsAppliedWithoutARestart() throws Exception {
    onion.publication().get(120, TimeUnit.SECONDS);
    Path authorized = dropbox.dataDir().resolve("onion/journalist/authorized_clients");
    org.oniondrop.onion.keys.ClientAuthKey carol =
        org.oniondrop.onion.keys.ClientAuthKey.generate(new SecureRandom());
    org.oniondrop.onion.keys.OnionAddress address =
        org.oniondrop.onion.keys.OnionAddress.parse(onion.journalistAddress());
    // What `onion-host client-auth-keygen --dir <data>/onion/journalist --name carol` writes.
    carol.writeAuth(authorized, "carol");
    await(() -> opens(address, carol));
    Files.delete(authorized.resolve("carol.auth"));
    await(() -> !opens(address, carol));
  }

  /**
   * Client authorization fails closed: the last key cannot be revoked on the admin page, and when
   * every key file is removed by hand the journalist service is taken down (not re-published
   * without client authorization) until a key is back; the status page and the info file say why.
   */
  @Test
  void theJournalistServiceIsNeverPublishedWithoutAClientKey() throws Exception {
    onion.publication().get(120, TimeUnit.SECONDS);
    assertThat(onion.clientKeys()).containsExactly("journalist");
    io.restassured.http.Cookies c = adminCookies();
    String csrf = csrf(c);
    Response refused =
        given()
            .cookies(c)
            .redirects()
            .follow(false)
            .contentType("application/x-www-form-urlencoded")
            .formParam("csrf_token", csrf)
            .formParam("name", "journalist")
            .post(journalistBase() + "/journalist/admin/client-keys/revoke");
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.asString()).contains("This is the last client key");
    assertThat(onion.clientKeys()).containsExactly("journalist");

    Path authorized = dropbox.dataDir().resolve("onion/journalist/authorized_clients");
    Path keyFile = authorized.resolve("journalist.auth");
    Path aside = dropbox.dataDir().resolve("journalist.auth.aside");
    org.oniondrop.onion.keys.ClientAuthKey.ClientCredential ours =
        org.oniondrop.onion.keys.ClientAuthKey.readAuthPrivate(onion.clientAuthPrivateFile());
    Files.move(keyFile, aside);
    try {
      await(onion::journalistWaitingForClientKey);
      await(() -> !onion.journalistPublished());
      // The key that opened it before finds no service: it is not published open either.
      try (OnionClient client = new OnionClient(onion.network(), new SecureRandom())) {
        client.addClientAuth(ours.address(), ours.key());
        assertThatThrownBy(() -> client.connect(onion.journalistAddress(), 80))
            .isInstanceOf(OnionConnectException.class);
      }
      try (OnionClient stranger = new OnionClient(onion.network(), new SecureRandom())) {
        assertThatThrownBy(() -> stranger.connect(onion.journalistAddress(), 80))
            .isInstanceOf(OnionConnectException.class);
      }
      String status =
          given().cookies(c).get(journalistBase() + "/journalist/admin/status").asString();
      assertThat(org.jsoup.Jsoup.parse(status).selectFirst("#journalist-waiting")).isNotNull();
      assertThat(firstRun.info().get("journalistNotPublishedReason"))
          .isEqualTo(OnionHosting.WAITING_FOR_KEY);
    } finally {
      Files.move(aside, keyFile);
    }
    await(() -> !onion.journalistWaitingForClientKey() && onion.journalistPublished());
    assertThat(firstRun.info().get("journalistNotPublishedReason")).isNull();
  }

  private io.restassured.http.Cookies adminCookies() {
    JournalistService.NewAccount admin =
        journalists.create("failclosed" + System.nanoTime() % 10000, "Fail", "Closed", true);
    return given()
        .redirects()
        .follow(false)
        .contentType("application/x-www-form-urlencoded")
        .formParam("username", admin.journalist().username())
        .formParam("passphrase", new String(admin.passphrase()))
        .formParam(
            "token",
            org.oniondrop.crypto.totp.Totp.code(
                admin.totpSecret(),
                Math.floorDiv(
                    java.time.Instant.now().getEpochSecond(),
                    org.oniondrop.crypto.totp.Totp.STEP_SECONDS)))
        .post(journalistBase() + "/journalist/login")
        .getDetailedCookies();
  }

  private String csrf(io.restassured.http.Cookies c) {
    String statusPage =
        given().cookies(c).get(journalistBase() + "/journalist/admin/status").asString();
    return org.jsoup.Jsoup.parse(statusPage).selectFirst("input[name=csrf_token]").attr("value");
  }

  /** Whether a fresh client holding only {@code key} can open a stream to the service. */
  private boolean opens(
      org.oniondrop.onion.keys.OnionAddress address, org.oniondrop.onion.keys.ClientAuthKey key) {
    if (!onion.journalistPublished()) {
      return false;
    }
    try (OnionClient client = new OnionClient(onion.network(), new SecureRandom())) {
      client.addClientAuth(
          address, org.oniondrop.onion.keys.ClientAuthKey.fromSecret(key.secretKey()));
      client.connect(onion.journalistAddress(), 80).close(6);
      return true;
    } catch (OnionConnectException e) {
      return false;
    }
  }

  private static org.oniondrop.onion.keys.ClientAuthKey.ClientCredential credential(String line)
      throws Exception {
    Path f = Files.createTempFile("client", ".auth_private");
    try {
      Files.writeString(f, line + "\n");
      return org.oniondrop.onion.keys.ClientAuthKey.readAuthPrivate(f);
    } finally {
      Files.delete(f);
    }
  }

  private static void await(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("timed out").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** One HTTP/1.1 GET through the server's SOCKS5 port; returns the raw response. */
  private String get(String onionAddress, String path) throws IOException {
    Proxy proxy =
        new Proxy(Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", onion.socksPort()));
    try (Socket s = new Socket(proxy)) {
      s.setSoTimeout(60_000);
      s.connect(InetSocketAddress.createUnresolved(onionAddress, 80), 60_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: " + onionAddress + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0 && body.size() < MAX_RESPONSE_BYTES) {
        body.write(buf, 0, n);
      }
      return body.toString(StandardCharsets.UTF_8);
    }
  }
}
