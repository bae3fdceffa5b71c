package org.oniondrop.dropbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.oniondrop.onion.control.TorControl;
import org.oniondrop.onion.keys.OnionAddress;

/**
 * The {@code tor} backend on a private Tor network (tools/tornet: 3 authorities, 5 relays and a
 * client, all on 127.0.0.1). The packaged server hosts both services on its own tor daemon through
 * the control port; tornet's C tor client reaches them with curl. Every wait is bounded.
 */
class TorBackendIT {

  static final Path WORK = Path.of("target", "tor-it").toAbsolutePath();
  static final Path TORNET = WORK.resolve("tornet");
  static final int BASE_PORT = 17300;
  static final Duration NETWORK_START = Duration.ofMinutes(6);

  /**
   * Tornet's own bound on the network becoming ready (its default, 180 s, is tight when loaded).
   */
  static final Duration TORNET_READY = Duration.ofMinutes(4);

  static final Duration PUBLISH = Duration.ofMinutes(4);
  static final Duration FETCH = Duration.ofMinutes(3);

  static Map<String, String> env;
  static Process tor;
  static Process app;
  static int torControlPort;

  @BeforeAll
  static void network() throws Exception {
    Files.createDirectories(WORK);
    for (String leftover : List.of("data", "tor", "hs-tor", "cookies")) {
      Path p = WORK.resolve(leftover);
      if (Files.exists(p)) {
        try (Stream<Path> files = Files.walk(p)) {
          for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(f);
          }
        }
      }
    }
    Path script = Path.of("..", "tools", "tornet").toAbsolutePath().normalize();
    Process p =
        new ProcessBuilder(
                script.toString(),
                "start",
                "--dir",
                TORNET.toString(),
                "--base-port",
                String.valueOf(BASE_PORT),
                "--timeout",
                String.valueOf(TORNET_READY.toSeconds()))
            .redirectErrorStream(true)
            .redirectOutput(WORK.resolve("tornet-start.log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    assertThat(p.waitFor(NETWORK_START.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(WORK.resolve("tornet-start.log"))).isZero();
    env = new HashMap<>();
    for (String line : Files.readAllLines(TORNET.resolve("tornet.env"))) {
      if (line.startsWith("export ")) {
        String[] kv = line.substring(7).split("=", 2);
        env.put(kv[0], kv[1].replaceAll("^'|'$", ""));
      }
    }
  }

  @AfterAll
  static void stopAll() throws Exception {
    stop(app);
    stop(tor);
    new ProcessBuilder(
            Path.of("..", "tools", "tornet").toAbsolutePath().normalize().toString(),
            "stop",
            "--dir",
            TORNET.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor(60, TimeUnit.SECONDS);
  }

  static void stop(Process p) throws InterruptedException {
    if (p != null && p.isAlive()) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /** Our onion-service tor: joins tornet, ControlPort with a cookie, no SOCKS port. */
  static Process startTor(Path dir, int controlPort, String extra) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    String torrc =
        Files.readString(Path.of(env.get("TORNET_JOIN_TORRC")))
            + "\nDataDirectory "
            + dir
            + "\nRunAsDaemon 0\nSocksPort 0\nShutdownWaitLength 0\nOutboundBindAddress 127.0.0.1\n"
            + "ControlPort 127.0.0.1:"
            + controlPort
            + "\nCookieAuthentication 1\nLog notice file "
            + dir.resolve("notice.log")
            + "\n"
            + extra;
    Path file = dir.resolve("torrc");
    Files.writeString(file, torrc);
    return new ProcessBuilder("tor", "-f", file.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout.log").toFile())
        .start();
  }

  static void await(String what, Duration limit, BooleanSupplier condition) throws Exception {
    Instant deadline = Instant.now().plus(limit);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out after " + limit + " waiting for " + what);
      }
      Thread.sleep(1000);
    }
  }

  static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** curl through tornet's C tor client; returns the exit status and output. */
  static String[] curl(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "curl",
                "-sS",
                "--max-time",
                "60",
                "--socks5-hostname",
                "127.0.0.1:" + env.get("TORNET_SOCKS_PORT")));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    return new String[] {String.valueOf(p.exitValue()), out};
  }

  static boolean fetches(String url, String expect) {
    try {
      String[] r = curl(url);
      return r[0].equals("0") && r[1].contains(expect);
    } catch (Exception e) {
      return false;
    }
  }

  static int ready(int journalistPort) {
    try {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + journalistPort + "/q/health/ready")
                  .toURL()
                  .openConnection();
      return c.getResponseCode();
    } catch (IOException e) {
      return -1;
    }
  }

  @Test
  void servicesOnARealTorNetworkSurviveATorRestart() throws Exception {
    Path torDir = WORK.resolve("tor");
    torControlPort = ItSupport.freePort();
    tor = startTor(torDir, torControlPort, "");
    await("our tor's control port", Duration.ofSeconds(60), () -> listening(torControlPort));

    Path data = WORK.resolve("data");
    int port = ItSupport.freePort();
    int journalistPort = ItSupport.freePort();
    app =
        new ProcessBuilder(
                ItSupport.java(),
                "-Doniondrop.data-dir=" + data,
                "-Doniondrop.sources.kdf=scrypt:N=16,r=1,p=1",
                "-Doniondrop.sources.allow-test-kdf=true",
                "-Doniondrop.journalists.passphrase-kdf=argon2id:m=64,t=1,p=1",
                "-Doniondrop.journalists.allow-test-kdf=true",
                "-Dquarkus.http.port=" + port,
                "-Doniondrop.server.journalist-port=" + journalistPort,
                "-Doniondrop.onion.backend=tor",
                "-Doniondrop.tor.control=127.0.0.1:" + torControlPort,
                "-Doniondrop.tor.control-cookie-file=" + torDir.resolve("control_auth_cookie"),
                "-jar",
                System.getProperty("quarkus.app.jar"))
            .redirectErrorStream(true)
            .redirectOutput(WORK.resolve("app.log").toFile())
            .start();
    await("both descriptors uploaded (readiness)", PUBLISH, () -> ready(journalistPort) == 200);
    String info = Files.readString(data.resolve("oniondrop-info.json"));
    assertThat(info).contains("\"onionBackend\" : \"tor\"").contains("\"socksPort\" : null");
    String sourceAddress = between(info, "\"sourceAddress\" : \"", "\"");
    String journalistAddress = between(info, "\"journalistAddress\" : \"", "\"");

    // A real C tor client reaches the source service, and a file sent through it is stored
    // encrypted.
    await(
        "the source page through tor",
        FETCH,
        () -> fetches("http://" + sourceAddress + "/", "/generate"));
    Path jar = WORK.resolve("cookies");
    Path upload = WORK.resolve("upload.txt");
    String marker = "TOR-IT-PLAINTEXT-MARKER-" + System.nanoTime();
    Files.writeString(upload, marker.repeat(100));
    String base = "http://" + sourceAddress;
    String generate = curl("-c", jar.toString(), "-b", jar.toString(), base + "/generate")[1];
    curl(
        "-c",
        jar.toString(),
        "-b",
        jar.toString(),
        "--data-urlencode",
        "csrf_token=" + csrf(generate),
        base + "/create");
    String lookup = curl("-c", jar.toString(), "-b", jar.toString(), base + "/lookup")[1];
    String[] submitted =
        curl(
            "-c",
            jar.toString(),
            "-b",
            jar.toString(),
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "-F",
            "csrf_token=" + csrf(lookup),
            "-F",
            "file=@" + upload,
            base + "/submit");
    assertThat(submitted[1]).isEqualTo("303");
    try (Stream<Path> files = Files.walk(data.resolve("store"))) {
      List<Path> stored = files.filter(f -> f.toString().endsWith("-doc.gz.gpg")).toList();
      assertThat(stored).hasSize(1);
      assertThat(new String(Files.readAllBytes(stored.get(0)), StandardCharsets.ISO_8859_1))
          .doesNotContain(marker);
    }

    // The journalist service: refused without the client key, reachable with it.
    String login = "http://" + journalistAddress + "/journalist/login";
    assertThat(curl(login)[0]).isNotEqualTo("0");
    String secretLine =
        Files.readString(data.resolve("journalist-client-auth/journalist.auth_private")).trim();
    byte[] secret =
        OnionAddress.base32Decode(
            secretLine.substring(secretLine.lastIndexOf(':') + 1).toLowerCase());
    String label = journalistAddress.replace(".onion", "");
    clientAuthAdd(label, secret);
    await(
        "the journalist login page with the client key", FETCH, () -> fetches(login, "passphrase"));

    // A per-journalist key added on the admin page works without a restart, and stops working
    // once revoked there (the service is re-added and its rendezvous circuits closed).
    String output = Files.readString(WORK.resolve("app.log"));
    String passphrase = ItSupport.line(output, "Passphrase (shown once, write it down): ");
    org.oniondrop.crypto.SecretBytes totp =
        org.oniondrop.crypto.totp.Totp.parseBase32(
            ItSupport.line(output, "TOTP secret (add to an authenticator app): "));
    java.net.http.HttpClient web =
        java.net.http.HttpClient.newBuilder()
            .cookieHandler(new java.net.CookieManager())
            .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
            .build();
    String jbase = "http://127.0.0.1:" + journalistPort + "/journalist";
    long step =
        Math.floorDiv(Instant.now().getEpochSecond(), org.oniondrop.crypto.totp.Totp.STEP_SECONDS);
    var loggedIn =
        form(
            web,
            jbase + "/login",
            "username=admin&passphrase="
                + java.net.URLEncoder.encode(passphrase, StandardCharsets.UTF_8)
                + "&token="
                + org.oniondrop.crypto.totp.Totp.code(totp, step));
    assertThat(loggedIn.statusCode()).isEqualTo(303);
    String status =
        web.send(
                java.net.http.HttpRequest.newBuilder(URI.create(jbase + "/admin/status")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    String token = csrf(status);
    var added = form(web, jbase + "/admin/client-keys", "csrf_token=" + token + "&name=bob");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
    String bobLine = between(added.body(), "<pre id=\"new-key\">", "<").trim();
    byte[] bob =
        OnionAddress.base32Decode(
            bobLine.substring(bobLine.lastIndexOf(':') + 1).toLowerCase(java.util.Locale.ROOT));
    clientAuthAdd(label, bob);
    await("the login page with bob's new key", FETCH, () -> fetches(login, "passphrase"));
    var revoked =
        form(web, jbase + "/admin/client-keys/revoke", "csrf_token=" + token + "&name=bob");
    assertThat(revoked.statusCode()).isEqualTo(303);
    await("bob's key to stop working after revocation", FETCH, () -> !fetches(login, "passphrase"));
    clientAuthAdd(label, secret);
    await("the login page with the shared key again", FETCH, () -> fetches(login, "passphrase"));

    // Kill our tor and start it again: the server adds the services again by itself.
    tor.destroyForcibly();
    assertThat(tor.waitFor(30, TimeUnit.SECONDS)).isTrue();
    await("readiness to drop", Duration.ofSeconds(30), () -> ready(journalistPort) != 200);
    tor = startTor(torDir, torControlPort, "");
    Instant restarted = Instant.now();
    await("republication after the tor restart", PUBLISH, () -> ready(journalistPort) == 200);
    // The client may still hold the old descriptor, whose introduction points died with our tor,
    // and C tor backs off such a service for minutes. NEWNYM purges the client's onion-service
    // caches, so what is measured is our side: the services being back.
    try (TorControl client = TorControl.connect("127.0.0.1:" + env.get("TORNET_CONTROL_PORT"))) {
      client.authenticate(Path.of(env.get("TORNET_CONTROL_COOKIE")), null);
      assertThat(client.command("SIGNAL NEWNYM").ok()).isTrue();
      lastNewnym = Instant.now();
    }
    await(
        "the source page again",
        FETCH,
        () -> fetches("http://" + sourceAddress + "/", "/generate"));
    System.out.println(
        "services back through tor in "
            + Duration.between(restarted, Instant.now()).toSeconds()
            + " s");

    // tor's own hosting, configured by `onion-host torrc` on a copy of the source key, gives the
    // same address as ADD_ONION did.
    Path hsTor = WORK.resolve("hs-tor");
    Path hsDir = hsTor.resolve("source");
    Files.createDirectories(hsDir);
    for (String f : List.of("hs_ed25519_secret_key", "hs_ed25519_public_key")) {
      Files.copy(data.resolve("onion/source").resolve(f), hsDir.resolve(f));
    }
    Files.setPosixFilePermissions(hsDir, PosixFilePermissions.fromString("rwx------"));
    java.io.ByteArrayOutputStream snippet = new java.io.ByteArrayOutputStream();
    assertThat(
            org.oniondrop.onion.cli.OnionHostCli.run(
                new String[] {"torrc", "--service", hsDir + "=80:127.0.0.1:" + port},
                new java.io.PrintStream(snippet, true, StandardCharsets.UTF_8),
                System.err))
        .isZero();
    String torrcLines = snippet.toString(StandardCharsets.UTF_8);
    assertThat(torrcLines)
        .contains("HiddenServiceDir " + hsDir)
        .contains("HiddenServicePort 80 127.0.0.1:" + port);
    Process own = startTor(hsTor, ItSupport.freePort(), "DisableNetwork 1\n" + torrcLines);
    try {
      await(
          "tor's hostname file",
          Duration.ofSeconds(60),
          () -> Files.exists(hsDir.resolve("hostname")));
      assertThat(Files.readString(hsDir.resolve("hostname")).trim()).isEqualTo(sourceAddress);
    } finally {
      stop(own);
    }
    assertThat(Files.readString(WORK.resolve("app.log"))).doesNotContain(marker);
  }

  /** Gives tornet's client tor a key for the service (ONION_CLIENT_AUTH_ADD, control-spec 3.30). */
  /** C tor performs at most one NEWNYM per this period and delays (not drops) the next one. */
  static final Duration NEWNYM_PERIOD = Duration.ofSeconds(11);

  static Instant lastNewnym = Instant.EPOCH;

  /**
   * Replaces the client's key for {@code label}, after purging the client's onion-service state.
   * Without the purge, a client that already asked every tornet HSDir for this service (while it
   * held a key that no longer decrypts the descriptor) does not ask them again for 15 minutes
   * (tor's hidden-service directory requery period), so the new key would wait on the client's
   * backoff, not on our service. NEWNYM also forgets keys added without Flags=Permanent, so it runs
   * first and the add after it; a NEWNYM sent within C tor's rate limit would be delayed and would
   * then forget the key just added, so the add waits out the period.
   */
  static void clientAuthAdd(String label, byte[] secret) throws Exception {
    try (TorControl client = TorControl.connect("127.0.0.1:" + env.get("TORNET_CONTROL_PORT"))) {
      client.authenticate(Path.of(env.get("TORNET_CONTROL_COOKIE")), null);
      Duration since = Duration.between(lastNewnym, Instant.now());
      if (since.compareTo(NEWNYM_PERIOD) < 0) {
        Thread.sleep(NEWNYM_PERIOD.minus(since).toMillis());
      }
      assertThat(client.command("SIGNAL NEWNYM").ok()).isTrue();
      lastNewnym = Instant.now();
      TorControl.Reply added =
          client.command(
              "ONION_CLIENT_AUTH_ADD "
                  + label
                  + " x25519:"
                  + Base64.getEncoder().encodeToString(secret));
      // 250 OK, 251 replaced an existing key, 252 registered and decrypted a cached descriptor.
      assertThat(added.status()).as(added.first()).isBetween(250, 252);
    }
  }

  static java.net.http.HttpResponse<String> form(
      java.net.http.HttpClient web, String url, String body) throws Exception {
    return web.send(
        java.net.http.HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
            .build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  static String between(String s, String from, String to) {
    int a = s.indexOf(from) + from.length();
    return s.substring(a, s.indexOf(to, a));
  }

  static String csrf(String page) {
    return between(page, "name=\"csrf_token\" value=\"", "\"");
  }
}
