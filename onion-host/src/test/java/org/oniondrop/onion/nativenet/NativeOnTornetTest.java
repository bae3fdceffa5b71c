package org.oniondrop.onion.nativenet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.oniondrop.onion.client.OnionClient;
import org.oniondrop.onion.client.SocksServer;
import org.oniondrop.onion.control.TorControl;
import org.oniondrop.onion.dir.JoinConfig;
import org.oniondrop.onion.embedded.Socks5TestClient;
import org.oniondrop.onion.embedded.TestHttpServer;
import org.oniondrop.onion.keys.ClientAuthKey;
import org.oniondrop.onion.keys.HsIdentity;
import org.oniondrop.onion.keys.TorKeyFiles;
import org.oniondrop.onion.service.OnionService;
import org.oniondrop.onion.service.ServiceConfig;

/**
 * The native backend against unmodified C tor (Debian's 0.4.9) on tools/tornet: our services are
 * published to tornet's HSDirs and reached by tornet's C tor client, with and without client
 * authorization, in both directions of bulk data; and our SOCKS client reaches a service hosted by
 * a C tor. Runs where {@code tor} is installed (as in CI); takes about a minute, most of it
 * tornet's start.
 */
@EnabledIf("torInstalled")
public class NativeOnTornetTest {

  private static final Logger LOG = Logger.getLogger(NativeOnTornetTest.class.getName());

  /** Bounds each wait for a publication or a first connection on the test network. */
  static final Duration WAIT = Duration.ofSeconds(150);

  static final int BULK_BYTES = 4 * 1024 * 1024;

  static Tornet tornet;
  static Path work;
  static TestHttpServer http;
  static Process ctorHost;
  static Path ctorHostDir;
  static NativeNetwork net;
  static OnionService open;
  static OnionService authed;
  static ClientAuthKey clientKey;
  static Duration publishTime;

  public static boolean torInstalled() {
    return Files.isExecutable(Path.of("/usr/bin/tor"))
        || Files.isExecutable(Path.of("/usr/sbin/tor"));
  }

  @BeforeAll
  static void start() throws Exception {
    tornet = Tornet.startOrReuse("tornet-native-test");
    work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "native-on-tornet");
    http = new TestHttpServer();
    ctorHost = startCtorHost();
    SecureRandom random = new SecureRandom();
    Instant t0 = Instant.now();
    net =
        NativeNetwork.start(
            JoinConfig.read(tornet.joinTorrc()), work.resolve("data"), Clock.systemUTC(), random);
    open =
        new OnionService(
                net, ServiceConfig.of(HsIdentity.generate(random), 80, http.address()), random)
            .start();
    clientKey = ClientAuthKey.generate(random);
    authed =
        new OnionService(
                net,
                ServiceConfig.of(HsIdentity.generate(random), 80, http.address())
                    .withAuthorizedClients(List.of(clientKey.publicKey())),
                random)
            .start();
    open.published().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    authed.published().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    publishTime = Duration.between(t0, Instant.now());
    LOG.info("native: both services published " + publishTime.toMillis() + " ms after start");
  }

  @AfterAll
  static void stop() throws Exception {
    if (open != null) {
      open.close();
    }
    if (authed != null) {
      authed.close();
    }
    if (net != null) {
      net.close();
    }
    if (ctorHost != null) {
      ctorHost.destroy();
      ctorHost.waitFor(10, TimeUnit.SECONDS);
    }
    if (http != null) {
      http.close();
    }
    if (tornet != null) {
      tornet.close();
    }
  }

  @Test
  void cTorClientFetchesPageAndBulkBothWays() throws Exception {
    String host = open.address().toString();
    assertThat(httpThroughSocks(tornet.socksPort(), host, "GET / HTTP/1.0\r\n\r\n", null))
        .endsWith("hello from an onion service\n");

    String down =
        sha256Of(
            rawThroughSocks(
                tornet.socksPort(),
                host,
                ("GET /bytes?n=" + BULK_BYTES + "&seed=17 HTTP/1.0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
    assertThat(down).isEqualTo(TestHttpServer.sha256OfRandom(BULK_BYTES, 17));

    byte[] body = new byte[BULK_BYTES];
    new SecureRandom().nextBytes(body);
    String reply =
        httpThroughSocks(
            tornet.socksPort(),
            host,
            "POST /sha256 HTTP/1.0\r\nContent-Length: " + body.length + "\r\n\r\n",
            body);
    assertThat(reply).endsWith(TestHttpServer.sha256(new java.io.ByteArrayInputStream(body)));
  }

  @Test
  void authorizedServiceRefusesCTorClientWithoutKeyAndServesItWithOne() throws Exception {
    String host = authed.address().toString();
    Socks5TestClient.Result without = Socks5TestClient.connect(tornet.socksPort(), host, 80);
    without.socket().close();
    assertThat(without.reply()).isNotZero();

    try (TorControl control = TorControl.connect(tornet.controlTarget())) {
      control.authenticate(tornet.controlCookie(), null);
      String label = host.substring(0, host.length() - ".onion".length());
      TorControl.Reply r =
          control.command(
              "ONION_CLIENT_AUTH_ADD "
                  + label
                  + " x25519:"
                  + Base64.getEncoder().encodeToString(clientKey.secretKey()));
      // 250 OK, 251 replaced an existing key, 252 registered and decrypted a cached descriptor.
      assertThat(r.status()).as(r.first()).isBetween(250, 252);
    }
    assertThat(httpThroughSocks(tornet.socksPort(), host, "GET / HTTP/1.0\r\n\r\n", null))
        .endsWith("hello from an onion service\n");
  }

  @Test
  void restartOnTheSameDataDirKeepsAddressGuardsAndDirectoryCache() throws Exception {
    SecureRandom random = new SecureRandom();
    Path data = work.resolve("restart-data");
    Path keys = work.resolve("restart-keys");
    TorKeyFiles.write(keys, HsIdentity.generate(random));
    JoinConfig join = JoinConfig.read(tornet.joinTorrc());
    List<String> guards;
    String address;
    try (NativeNetwork n1 = NativeNetwork.start(join, data, Clock.systemUTC(), random);
        OnionService s1 =
            new OnionService(
                    n1, ServiceConfig.of(TorKeyFiles.read(keys), 80, http.address()), random)
                .start()) {
      assertThat(n1.directory().stats().microdescsFetched()).isPositive();
      guards = n1.guards().sampled();
      assertThat(guards).hasSize(GuardSet.PRIMARY);
      address = s1.address().toString();
      s1.published().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    Instant restart = Instant.now();
    try (NativeNetwork n2 = NativeNetwork.start(join, data, Clock.systemUTC(), random);
        OnionService s2 =
            new OnionService(
                    n2, ServiceConfig.of(TorKeyFiles.read(keys), 80, http.address()), random)
                .start()) {
      assertThat(n2.directory().stats().cacheLoads()).isEqualTo(1);
      assertThat(n2.directory().stats().microdescsFetched()).isZero();
      assertThat(n2.guards().sampled()).isEqualTo(guards);
      assertThat(s2.address().toString()).isEqualTo(address);
      s2.published().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      Duration published = Duration.between(restart, Instant.now());
      assertThat(httpThroughSocks(tornet.socksPort(), address, "GET / HTTP/1.0\r\n\r\n", null))
          .endsWith("hello from an onion service\n");
      LOG.info(
          "native restart: published "
              + published.toMillis()
              + " ms, C tor client fetched the page "
              + Duration.between(restart, Instant.now()).toMillis()
              + " ms after restart");
    }
  }

  /**
   * Issue 17's fallback directories: a join torrc whose authorities' DirPorts are closed ports but
   * which lists tornet's five relays as {@code FallbackDir} (their ORPorts and fingerprints). The
   * native backend fetches the consensus, the authority certificates and every microdescriptor over
   * CREATE_FAST + BEGIN_DIR from C tor relays, verifies the consensus against the authorities'
   * signatures, publishes, and tornet's C tor client fetches the page.
   */
  @Test
  void bootstrapsThroughFallbackDirectoriesWhenNoAuthorityDirPortAnswers() throws Exception {
    SecureRandom random = new SecureRandom();
    String join = Files.readString(tornet.joinTorrc());
    StringBuilder torrc = new StringBuilder();
    int closedDirPorts = 0;
    for (String line : join.split("\n")) {
      if (line.startsWith("DirAuthority ")) {
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        line = line.replace(m.group(), "127.0.0.1:" + closedPort());
        closedDirPorts++;
      }
      torrc.append(line).append('\n');
    }
    assertThat(closedDirPorts).isEqualTo(3);
    int fallbacks = 0;
    for (int i = 0; i < 5; i++) {
      Path node = tornet.dir.resolve("nodes/relay" + i);
      String fpr = Files.readString(node.resolve("fingerprint")).trim().split("\\s+")[1];
      String orPort =
          Files.readAllLines(node.resolve("torrc")).stream()
              .filter(l -> l.startsWith("ORPort "))
              .findFirst()
              .orElseThrow()
              .replaceAll(".*:", "");
      torrc.append("FallbackDir 127.0.0.1 orport=" + orPort + " id=" + fpr + "\n");
      fallbacks++;
    }
    JoinConfig config = JoinConfig.parse(torrc.toString());
    assertThat(config.fallbacks()).hasSize(fallbacks);
    awaitCachesWarm(config.fallbacks(), random);
    Instant t0 = Instant.now();
    try (NativeNetwork n =
            NativeNetwork.start(config, work.resolve("fallback-data"), Clock.systemUTC(), random);
        OnionService s =
            new OnionService(
                    n, ServiceConfig.of(HsIdentity.generate(random), 80, http.address()), random)
                .start()) {
      Duration bootstrapped = Duration.between(t0, Instant.now());
      var stats = n.directory().stats();
      // Every consensus came over BEGIN_DIR (the authorities' DirPorts are closed) and verified.
      assertThat(stats.fallbackConsensuses()).isPositive().isEqualTo(stats.consensusFetches());
      assertThat(stats.refusedConsensuses()).isZero();
      assertThat(stats.microdescsFetched())
          .isEqualTo(n.directory().snapshot().consensus().routers().size());
      assertThat(Files.exists(work.resolve("fallback-data/cached-certs"))).isTrue();
      // A refresh asks the directory caches the consensus lists first (over BEGIN_DIR too; the
      // authorities' DirPorts are still closed).
      int before = n.directory().stats().fallbackConsensuses();
      n.directory().refresh(true);
      assertThat(n.directory().stats().fallbackConsensuses()).isGreaterThan(before);
      assertThat(n.directory().stats().refusedConsensuses()).isZero();
      // A cache from the consensus must prove its microdescriptor's Ed25519 identity as well. A
      // relay that has not fetched the microdesc consensus itself yet answers 404 (dir-spec §6.2),
      // as C tor's caches do for a while after they join: try the listed caches in turn until
      // one has it.
      var snapshot = n.directory().snapshot();
      List<org.oniondrop.onion.dir.MicrodescConsensus.Router> caches =
          snapshot.consensus().routers().stream()
              .filter(r -> r.has("V2Dir") && r.nickname().startsWith("relay"))
              .toList();
      assertThat(caches).isNotEmpty();
      String addr = "127.0.0.1";
      BeginDirFetcher fetcher = new BeginDirFetcher(Clock.systemUTC(), random);
      org.oniondrop.onion.dir.MicrodescConsensus.Router router = null;
      byte[] ed = null;
      String micro = null;
      List<String> notYet = new ArrayList<>();
      Instant deadline = Instant.now().plus(WAIT);
      while (micro == null && Instant.now().isBefore(deadline)) {
        for (var candidate : caches) {
          byte[] candidateEd = snapshot.microdesc(candidate).ed25519Id();
          try {
            micro =
                fetcher.get(
                    new org.oniondrop.onion.dir.FallbackDir(
                        addr, 0, candidate.orPort(), candidate.rsaId(), candidateEd),
                    "/tor/status-vote/current/consensus-microdesc",
                    org.oniondrop.onion.dir.MicrodescConsensus.MAX_DOCUMENT_BYTES);
            router = candidate;
            ed = candidateEd;
            break;
          } catch (org.oniondrop.onion.dir.DirException e) {
            if (!e.getMessage().contains("HTTP 404")) {
              throw e;
            }
            notYet.add(candidate.nickname());
          }
        }
        if (micro == null) {
          TimeUnit.SECONDS.sleep(2);
        }
      }
      assertThat(micro).as("no cache had the consensus; 404 from " + notYet).isNotNull();
      assertThat(micro).startsWith("network-status-version 3 microdesc");
      var answered = router;
      byte[] otherEd = ed.clone();
      otherEd[0] ^= 1;
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  fetcher.get(
                      new org.oniondrop.onion.dir.FallbackDir(
                          addr, 0, answered.orPort(), answered.rsaId(), otherEd),
                      "/tor/status-vote/current/consensus-microdesc",
                      1 << 20))
          .isInstanceOf(org.oniondrop.onion.dir.DirException.class)
          .hasMessageContaining("link refused");
      s.published().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      Duration published = Duration.between(t0, Instant.now());
      assertThat(
              httpThroughSocks(
                  tornet.socksPort(), s.address().toString(), "GET / HTTP/1.0\r\n\r\n", null))
          .endsWith("hello from an onion service\n");
      LOG.info(
          "native via fallbacks: directory "
              + bootstrapped.toMillis()
              + " ms ("
              + stats
              + "), published "
              + published.toMillis()
              + " ms, page "
              + Duration.between(t0, Instant.now()).toMillis()
              + " ms after start");
    }
  }

  /**
   * Waits (bounded by {@link #WAIT}) until every fallback serves the microdesc consensus and all
   * the microdescriptors it lists over BEGIN_DIR. A C tor relay answers 404 for a while after it
   * joins (dir-spec §6.2: a cache serves what it has fetched itself), and this test is about our
   * bootstrap through caches, not about how fast tornet's relays fill theirs.
   */
  private static void awaitCachesWarm(
      List<org.oniondrop.onion.dir.FallbackDir> caches, SecureRandom random) throws Exception {
    BeginDirFetcher fetcher = new BeginDirFetcher(Clock.systemUTC(), random);
    Instant deadline = Instant.now().plus(WAIT);
    for (var cache : caches) {
      String lastError = null;
      while (true) {
        try {
          var consensus =
              org.oniondrop.onion.dir.MicrodescConsensus.parse(
                  fetcher.get(
                      cache,
                      "/tor/status-vote/current/consensus-microdesc",
                      org.oniondrop.onion.dir.MicrodescConsensus.MAX_DOCUMENT_BYTES));
          List<String> digests = new ArrayList<>();
          for (var r : consensus.routers()) {
            digests.add(Base64.getEncoder().withoutPadding().encodeToString(r.microdescDigest()));
          }
          int served =
              org.oniondrop.onion.dir.Microdescriptor.parseAll(
                      fetcher.get(
                          cache,
                          "/tor/micro/d/" + String.join("-", digests),
                          org.oniondrop.onion.dir.Microdescriptor.MAX_DOCUMENT_BYTES))
                  .size();
          if (served == digests.size()) {
            break;
          }
          lastError = served + " of " + digests.size() + " microdescriptors";
        } catch (org.oniondrop.onion.dir.DirException e) {
          lastError = e.getMessage();
        }
        assertThat(Instant.now()).as(cache + " not warm: " + lastError).isBefore(deadline);
        TimeUnit.SECONDS.sleep(1);
      }
    }
  }

  /** A loopback port nothing listens on (bound, then released). */
  static int closedPort() throws IOException {
    try (java.net.ServerSocket ss =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return ss.getLocalPort();
    }
  }

  @Test
  void nativeSocksReachesACTorHostedService() throws Exception {
    String host = Files.readString(ctorHostDir.resolve("hostname")).trim();
    try (OnionClient client = new OnionClient(net, new SecureRandom());
        SocksServer socks = SocksServer.start(client, 0)) {
      assertThat(httpThroughSocks(socks.port(), host, "GET / HTTP/1.0\r\n\r\n", null))
          .endsWith("hello from an onion service\n");
    }
  }

  @Test
  void cTorHsDirRefusalOfADescriptorIsReportedAsItsHttpStatus() throws Exception {
    SecureRandom random = new SecureRandom();
    org.oniondrop.onion.circuit.OriginNode node =
        new org.oniondrop.onion.circuit.OriginNode("upload-probe", net, random);
    try {
      org.oniondrop.onion.net.RelayInfo hsdir =
          net.consensus().relays().stream()
              .filter(org.oniondrop.onion.net.RelayInfo::hsDir)
              .findFirst()
              .orElseThrow();
      byte[] garbage = "hs-descriptor 3\nnot a descriptor\n".getBytes(StandardCharsets.US_ASCII);
      // A circuit that fails to build on a loaded machine is retried on a new path (bounded by
      // WAIT); the assertion is about the HSDir's answer, not about one circuit.
      Instant deadline = Instant.now().plus(WAIT);
      org.oniondrop.onion.circuit.DirClient.Response r;
      while (true) {
        try {
          r =
              org.oniondrop.onion.circuit.DirClient.post(
                      node,
                      net.consensus().path(3, hsdir, List.of(), random),
                      "/tor/hs/3/publish",
                      garbage)
                  .get(WAIT.toSeconds(), TimeUnit.SECONDS);
          break;
        } catch (java.util.concurrent.ExecutionException e) {
          if (Instant.now().isAfter(deadline)) {
            throw e;
          }
          TimeUnit.SECONDS.sleep(2);
        }
      }
      assertThat(r.status()).isEqualTo(400);
    } finally {
      node.close();
    }
  }

  /** A C tor on tornet hosting the same HTTP server (tornet's selftest host does the same). */
  private static Process startCtorHost() throws IOException {
    Path dir = work.resolve("ctor-host");
    ctorHostDir = dir.resolve("hs");
    Files.createDirectories(ctorHostDir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(ctorHostDir, PosixFilePermissions.fromString("rwx------"));
    Path torrc = dir.resolve("torrc");
    Files.writeString(
        torrc,
        Files.readString(tornet.joinTorrc())
            + "\nDataDirectory "
            + dir.resolve("data")
            + "\nSocksPort 0\nRunAsDaemon 0\nLog notice file "
            + dir.resolve("notice.log")
            + "\nHiddenServiceDir "
            + ctorHostDir
            + "\nHiddenServicePort 80 127.0.0.1:"
            + http.port()
            + "\n");
    return new ProcessBuilder("tor", "-f", torrc.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout").toFile())
        .start();
  }

  /** Retries until the service answers (a fresh descriptor takes a moment to be fetchable). */
  public static String httpThroughSocks(int socksPort, String host, String head, byte[] body)
      throws Exception {
    byte[] request = head.getBytes(StandardCharsets.US_ASCII);
    if (body != null) {
      byte[] both = new byte[request.length + body.length];
      System.arraycopy(request, 0, both, 0, request.length);
      System.arraycopy(body, 0, both, request.length, body.length);
      request = both;
    }
    return new String(rawThroughSocks(socksPort, host, request), StandardCharsets.ISO_8859_1);
  }

  static byte[] rawThroughSocks(int socksPort, String host, byte[] request) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    int lastReply = -1;
    while (Instant.now().isBefore(deadline)) {
      Socks5TestClient.Result r = Socks5TestClient.connect(socksPort, host, 80);
      lastReply = r.reply();
      if (r.reply() != 0) {
        r.socket().close();
        TimeUnit.SECONDS.sleep(2); // the next descriptor fetch; bounded by WAIT
        continue;
      }
      try (Socket s = r.socket()) {
        OutputStream out = s.getOutputStream();
        out.write(request);
        out.flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        in.transferTo(got);
        byte[] raw = got.toByteArray();
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        assertThat(text).startsWith("HTTP/1.1 200");
        return java.util.Arrays.copyOfRange(raw, headEnd + 4, raw.length);
      }
    }
    throw new AssertionError(
        host + " not reachable within " + WAIT + ", last SOCKS reply " + lastReply);
  }

  static String sha256Of(byte[] b) throws IOException {
    return TestHttpServer.sha256(new java.io.ByteArrayInputStream(b));
  }
}
