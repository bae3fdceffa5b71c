package org.oniondrop.dropbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.oniondrop.onion.keys.OnionAddress;

/**
 * The {@code native} backend on tools/tornet (3 authorities, 5 relays, a C tor client; C tor
 * 0.4.9): the packaged server joins the network itself, with no tor daemon of its own. Tornet's C
 * tor client fetches the source page and submits a message and a 16 MiB file (stored encrypted,
 * decrypted here by gpg); the journalist service refuses that client without a key and serves it
 * after ONION_CLIENT_AUTH_ADD; and the server's native SOCKS port reaches a C tor-hosted service.
 * Every wait is bounded.
 */
class NativeBackendIT {

  static final Path WORK = Path.of("target", "native-it").toAbsolutePath();
  static final Path TORNET = WORK.resolve("tornet");
  static final Duration NETWORK_START = TorBackendIT.NETWORK_START;
  static final Duration PUBLISH = Duration.ofMinutes(3);
  static final Duration FETCH = Duration.ofMinutes(3);
  static final int FILE_BYTES = 16 * 1024 * 1024;

  static Map<String, String> env;
  static Process app;
  static Process ctorHost;

  @BeforeAll
  static void network() throws Exception {
    if (Files.exists(WORK)) {
      try (Stream<Path> files = Files.walk(WORK)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
    Files.createDirectories(WORK);
    Process p =
        new ProcessBuilder(
                tornetScript(),
                "start",
                "--dir",
                TORNET.toString(),
                "--base-port",
                freeBlock(),
                "--timeout",
                String.valueOf(TorBackendIT.TORNET_READY.toSeconds()))
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
    TorBackendIT.stop(app);
    TorBackendIT.stop(ctorHost);
    new ProcessBuilder(tornetScript(), "stop", "--dir", TORNET.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor(60, TimeUnit.SECONDS);
  }

  static String tornetScript() {
    return Path.of("..", "tools", "tornet").toAbsolutePath().normalize().toString();
  }

  /** A base port whose block of 100 (tornet's ports base+10..base+99) is free now. */
  static String freeBlock() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + ThreadLocalRandom.current().nextInt(300) * 100;
      boolean free = true;
      for (int port = base; port < base + 100 && free; port++) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
          // free
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return String.valueOf(base);
      }
    }
    throw new IOException("no free block of ports for tornet");
  }

  @Test
  void serverHostsBothServicesOnATorNetworkByItself() throws Exception {
    Path data = WORK.resolve("data");
    int port = ItSupport.freePort();
    int journalistPort = ItSupport.freePort();
    Instant started = Instant.now();
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
                "-Doniondrop.onion.backend=native",
                "-Doniondrop.onion.native.join-torrc=" + env.get("TORNET_JOIN_TORRC"),
                "-Doniondrop.onion.socks-port=0",
                "-jar",
                System.getProperty("quarkus.app.jar"))
            .redirectErrorStream(true)
            .redirectOutput(WORK.resolve("app.log").toFile())
            .start();
    await("both descriptors uploaded (readiness)", PUBLISH, () -> ready(journalistPort) == 200);
    System.out.println(
        "native: both services published "
            + Duration.between(started, Instant.now()).toSeconds()
            + " s after the server started");
    String info = Files.readString(data.resolve("oniondrop-info.json"));
    assertThat(info).contains("\"onionBackend\" : \"native\"");
    String sourceAddress = TorBackendIT.between(info, "\"sourceAddress\" : \"", "\"");
    String journalistAddress = TorBackendIT.between(info, "\"journalistAddress\" : \"", "\"");
    int socksPort = Integer.parseInt(TorBackendIT.between(info, "\"socksPort\" : ", ","));

    // Tornet's C tor client: the source page, then a message and a 16 MiB file.
    String base = "http://" + sourceAddress;
    await("the source page through C tor", FETCH, () -> fetches(base + "/", "/generate"));
    Path jar = WORK.resolve("cookies");
    Path upload = WORK.resolve("upload.bin");
    byte[] content = new byte[FILE_BYTES];
    new SecureRandom().nextBytes(content);
    Files.write(upload, content);
    String generate = curl("-c", jar.toString(), "-b", jar.toString(), base + "/generate")[1];
    curl(
        "-c",
        jar.toString(),
        "-b",
        jar.toString(),
        "--data-urlencode",
        "csrf_token=" + TorBackendIT.csrf(generate),
        base + "/create");
    String lookup = curl("-c", jar.toString(), "-b", jar.toString(), base + "/lookup")[1];
    String marker = "NATIVE-IT-MESSAGE-" + System.nanoTime();
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
            "csrf_token=" + TorBackendIT.csrf(lookup),
            "-F",
            "message=" + marker,
            "-F",
            "file=@" + upload,
            base + "/submit");
    assertThat(submitted[1]).isEqualTo("303");
    Path stored;
    try (Stream<Path> files = Files.walk(data.resolve("store"))) {
      List<Path> docs = files.filter(f -> f.toString().endsWith("-doc.gz.gpg")).toList();
      assertThat(docs).hasSize(1);
      stored = docs.get(0);
    }
    assertThat(sha256(gpgDecryptGunzip(data, stored))).isEqualTo(sha256(content));

    // The journalist service: refused without the client key, served with it.
    String login = "http://" + journalistAddress + "/journalist/login";
    assertThat(curl(login)[0]).isNotEqualTo("0");
    String secretLine =
        Files.readString(data.resolve("journalist-client-auth/journalist.auth_private")).trim();
    byte[] secret =
        OnionAddress.base32Decode(
            secretLine
                .substring(secretLine.lastIndexOf(':') + 1)
                .toLowerCase(java.util.Locale.ROOT));
    TorBackendIT.env = env;
    TorBackendIT.clientAuthAdd(journalistAddress.replace(".onion", ""), secret);
    await("the journalist login page with the key", FETCH, () -> fetches(login, "passphrase"));

    // The server's native SOCKS port reaches a service hosted by C tor (the source listener).
    Path hs = WORK.resolve("ctor-host");
    ctorHost =
        TorBackendIT.startTor(
            hs,
            ItSupport.freePort(),
            "HiddenServiceDir "
                + hs.resolve("hs")
                + "\nHiddenServicePort 80 127.0.0.1:"
                + port
                + "\n");
    await(
        "C tor's hostname file",
        Duration.ofSeconds(60),
        () -> Files.exists(hs.resolve("hs/hostname")));
    String ctorAddress = Files.readString(hs.resolve("hs/hostname")).trim();
    await(
        "a C tor-hosted service through the native SOCKS port",
        FETCH,
        () -> fetchesVia(socksPort, "http://" + ctorAddress + "/", "/generate"));

    String log = Files.readString(WORK.resolve("app.log"));
    assertThat(log).doesNotContain(marker);
  }

  static byte[] gpgDecryptGunzip(Path data, Path stored) throws Exception {
    String info = Files.readString(data.resolve("oniondrop-info.json"));
    String keyFile = TorBackendIT.between(info, "\"demoSubmissionSecretKeyFile\" : \"", "\"");
    Path home = WORK.resolve("gnupg");
    Files.createDirectories(home);
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    run("gpg", "--homedir", home.toString(), "--batch", "--import", keyFile);
    Path out = WORK.resolve("decrypted.gz");
    run(
        "gpg",
        "--homedir",
        home.toString(),
        "--batch",
        "--yes",
        "--output",
        out.toString(),
        "--decrypt",
        stored.toString());
    try (InputStream in = new GZIPInputStream(Files.newInputStream(out))) {
      return in.readAllBytes();
    }
  }

  static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
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

  static String[] curl(String... args) throws Exception {
    return curlVia(Integer.parseInt(env.get("TORNET_SOCKS_PORT")), args);
  }

  static String[] curlVia(int socksPort, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "curl", "-sS", "--max-time", "120", "--socks5-hostname", "127.0.0.1:" + socksPort));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(150, TimeUnit.SECONDS)).isTrue();
    return new String[] {String.valueOf(p.exitValue()), out};
  }

  static boolean fetches(String url, String expect) {
    return fetchesVia(Integer.parseInt(env.get("TORNET_SOCKS_PORT")), url, expect);
  }

  static boolean fetchesVia(int socksPort, String url, String expect) {
    try {
      String[] r = curlVia(socksPort, url);
      return r[0].equals("0") && r[1].contains(expect);
    } catch (Exception e) {
      return false;
    }
  }
}
