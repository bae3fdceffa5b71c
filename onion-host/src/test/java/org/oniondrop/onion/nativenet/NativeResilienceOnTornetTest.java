package org.oniondrop.onion.nativenet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.oniondrop.onion.dir.JoinConfig;
import org.oniondrop.onion.dir.NetworkDirectory;
import org.oniondrop.onion.embedded.TestHttpServer;
import org.oniondrop.onion.keys.HsIdentity;
import org.oniondrop.onion.keys.TorKeyFiles;
import org.oniondrop.onion.net.RelayInfo;
import org.oniondrop.onion.service.OnionService;
import org.oniondrop.onion.service.ServiceConfig;

/**
 * The native backend's resilience against unmodified C tor on tools/tornet: (1) a restart on the
 * same data dir keeps the onion address, the guard sample and the directory cache (no
 * microdescriptor is fetched again), and tornet's C tor client reaches the service again; (2)
 * churn: the tornet relay holding one of our introduction points is killed (SIGKILL, by the PID in
 * its PidFile, checked against its command line), the service replaces the point and republishes,
 * and the C tor client (after SIGNAL NEWNYM) connects again within {@link #WAIT}.
 *
 * <p>Not in the default suite (it kills a relay and takes 3-6 minutes with tornet's start). Run:
 *
 * <pre>
 * ONION_NATIVE_RESILIENCE=1 ./mvnw -o -pl onion-host -Dtest=NativeResilienceOnTornetTest test
 * </pre>
 *
 * (with {@code TORNET_DIR} set it reuses that tornet and restarts the killed relay afterwards). The
 * times are logged and appended to {@code target/native-resilience.txt}.
 */
@EnabledIf("enabled")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NativeResilienceOnTornetTest {

  private static final Logger LOG = Logger.getLogger(NativeResilienceOnTornetTest.class.getName());

  /** Bounds each wait: publication, the C tor client's reconnect. */
  static final Duration WAIT = NativeOnTornetTest.WAIT;

  static Tornet tornet;
  static Path work;
  static TestHttpServer http;
  static NativeNetwork net;
  static OnionService service;
  static String address;
  static Path killedRelayDir;

  static boolean enabled() {
    return NativeOnTornetTest.torInstalled()
        && ("1".equals(System.getenv("ONION_NATIVE_RESILIENCE"))
            || Boolean.getBoolean("onion.native.resilience"));
  }

  @BeforeAll
  static void start() throws Exception {
    tornet = Tornet.startOrReuse("tornet-resilience-test");
    work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "native-resilience");
    http = new TestHttpServer();
    TorKeyFiles.write(work.resolve("keys"), HsIdentity.generate(new SecureRandom()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    if (net != null) {
      net.close();
    }
    if (killedRelayDir != null && tornet != null && !tornet.ours()) {
      restartNode(killedRelayDir); // leave a reused tornet as we found it
    }
    if (http != null) {
      http.close();
    }
    if (tornet != null) {
      tornet.close();
    }
  }

  static NativeNetwork startNetwork() throws Exception {
    return NativeNetwork.start(
        JoinConfig.read(tornet.joinTorrc()),
        work.resolve("data"),
        Clock.systemUTC(),
        new SecureRandom());
  }

  static OnionService startService(NativeNetwork n) throws Exception {
    HsIdentity id = TorKeyFiles.read(work.resolve("keys"));
    return new OnionService(n, ServiceConfig.of(id, 80, http.address()), new SecureRandom())
        .start();
  }

  @Test
  @Order(1)
  void restartKeepsAddressGuardsAndDirectoryCacheAndCTorReconnects() throws Exception {
    net = startNetwork();
    NetworkDirectory.Stats first = net.directory().stats();
    int routers = net.directory().snapshot().consensus().routers().size();
    assertThat(first.cacheLoads()).isZero();
    assertThat(first.microdescsFetched()).isEqualTo(routers);
    List<String> guards = net.guards().sampled();
    assertThat(guards).hasSize(GuardSet.PRIMARY);
    service = startService(net);
    address = service.address().toString();
    service.published().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    fetchPage();

    service.close();
    net.close();
    Instant restart = Instant.now();
    net = startNetwork();
    Duration directoryReady = Duration.between(restart, Instant.now());
    NetworkDirectory.Stats second = net.directory().stats();
    assertThat(second.cacheLoads()).isEqualTo(1);
    assertThat(second.microdescsFetched()).as("microdescriptors fetched after restart").isZero();
    assertThat(net.guards().sampled()).isEqualTo(guards);
    service = startService(net);
    assertThat(service.address().toString()).isEqualTo(address);
    service.published().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    Duration published = Duration.between(restart, Instant.now());
    tornet.newnym();
    fetchPage();
    Duration reached = Duration.between(restart, Instant.now());
    report(
        "restart: directory ready "
            + directoryReady.toMillis()
            + " ms (consensus fetches "
            + second.consensusFetches()
            + ", microdescs fetched 0 of "
            + routers
            + "), published "
            + published.toMillis()
            + " ms, C tor client fetched the page "
            + reached.toMillis()
            + " ms after restart");
  }

  @Test
  @Order(2)
  void killedIntroRelayIsReplacedAndCTorReconnects() throws Exception {
    assertThat(service).as("runs after the restart test").isNotNull();
    await(() -> service.introRelays().size() == 3, "three introduction points");
    String guard = net.guards().sampled().get(0);
    RelayInfo victim =
        service.introRelays().stream()
            .filter(r -> !r.rsaHex().equals(guard) && r.nickname().startsWith("relay"))
            .findFirst()
            .orElseThrow();
    int uploadsBefore = service.descriptorsUploaded();
    killedRelayDir = tornet.dir.resolve("nodes").resolve(victim.nickname());
    Instant kill = Instant.now();
    killNode(killedRelayDir);

    await(
        () -> service.introRelays().size() == 3 && !service.introRelays().contains(victim),
        "the lost introduction point to be replaced");
    Duration replaced = Duration.between(kill, Instant.now());
    await(() -> service.descriptorsUploaded() > uploadsBefore, "a republished descriptor");
    service.lastPublish().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    Duration republished = Duration.between(kill, Instant.now());
    tornet.newnym();
    fetchPage();
    Duration reached = Duration.between(kill, Instant.now());
    assertThat(reached).isLessThan(WAIT.multipliedBy(3));
    report(
        "churn: killed "
            + victim.nickname()
            + "; intro point replaced "
            + replaced.toMillis()
            + " ms, republished "
            + republished.toMillis()
            + " ms, C tor client fetched the page "
            + reached.toMillis()
            + " ms after the kill");
  }

  // ---- helpers ----

  static void fetchPage() throws Exception {
    assertThat(
            NativeOnTornetTest.httpThroughSocks(
                tornet.socksPort(), address, "GET / HTTP/1.0\r\n\r\n", null))
        .endsWith("hello from an onion service\n");
  }

  /** SIGKILL to the tor of one tornet node, by its PidFile, after checking its command line. */
  static void killNode(Path nodeDir) throws Exception {
    long pid = Long.parseLong(Files.readString(nodeDir.resolve("tor.pid")).trim());
    String cmdline =
        Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8)
            .replace('\0', ' ');
    assertThat(cmdline).contains(nodeDir.resolve("torrc").toString());
    ProcessHandle p = ProcessHandle.of(pid).orElseThrow();
    p.destroyForcibly();
    p.onExit().get(10, TimeUnit.SECONDS);
  }

  /** Starts a node's tor again as tornet does (setsid, its torrc and the shared defaults). */
  static void restartNode(Path nodeDir) throws IOException {
    new ProcessBuilder(
            "setsid",
            "tor",
            "-f",
            nodeDir.resolve("torrc").toString(),
            "--defaults-torrc",
            tornet.dir.resolve("torrc-defaults").toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(nodeDir.resolve("stdout.log").toFile()))
        .start();
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
      }
      Thread.sleep(200);
    }
  }

  static void report(String line) throws IOException {
    LOG.info(line);
    Files.writeString(
        Path.of("target", "native-resilience.txt"),
        Instant.now() + " " + line + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
