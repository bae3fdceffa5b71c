package org.oniondrop.onion.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.oniondrop.onion.circuit.OnionStream;
import org.oniondrop.onion.circuit.StreamBridge;
import org.oniondrop.onion.client.ConnectError;
import org.oniondrop.onion.client.OnionClient;
import org.oniondrop.onion.client.OnionConnectException;
import org.oniondrop.onion.client.SocksServer;
import org.oniondrop.onion.keys.HsIdentity;
import org.oniondrop.onion.service.CircuitIdExport;
import org.oniondrop.onion.service.OnionService;
import org.oniondrop.onion.service.ServiceConfig;
import org.oniondrop.onion.service.ServiceLimits;

/**
 * onion-host under abuse, through the embedded network: each test sends one kind of abuse and
 * asserts the bound that holds it (issue 15, onion part). Flow-control abuse on the virtual hop is
 * in {@code StreamMuxAbuseTest}.
 */
class OnionHostAbuseTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private static final Pattern PROXY_LINE =
      Pattern.compile(
          "PROXY TCP6 (fc00:dead:beef:4dad::[0-9a-f]{1,4}:[0-9a-f]{1,4}) ::1 (\\d+) 80\r\n");

  private final SecureRandom random = new SecureRandom();
  private final MutableClock clock = new MutableClock();
  private EmbeddedNetwork network;

  @BeforeEach
  void start() {
    network = EmbeddedNetwork.start(EmbeddedNetwork.DEFAULT_RELAYS, clock, random);
  }

  @AfterEach
  void stop() {
    network.close();
  }

  private OnionService service(ServiceConfig config) throws Exception {
    OnionService s = new OnionService(network, config, random).start();
    s.published().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return s;
  }

  private static ServiceConfig config(HoldingTarget target, int introPoints) {
    return new ServiceConfig(
        HsIdentity.generate(random()), Map.of(80, target.address()), List.of(), introPoints);
  }

  private static SecureRandom random() {
    return new SecureRandom();
  }

  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  private static int onionThreads() {
    int n = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("onion-stream") || t.getName().startsWith("onion-bridge")) {
        n++;
      }
    }
    return n;
  }

  @Test
  void aHundredAndTwentyBridgedStreamsCostAFixedNumberOfThreads() throws Exception {
    try (HoldingTarget target = new HoldingTarget(false);
        OnionService svc = service(config(target, 3));
        OnionClient client = new OnionClient(network, random);
        SocksServer socks = SocksServer.start(client, 0)) {
      String host = svc.address().toString();
      int threadsBefore = Thread.activeCount();
      int bridgesBefore = StreamBridge.open();
      // When 120 streams are open at once (each bridged at the client and at the service: 240
      // bridges, which used to take 480 threads)
      List<Socket> sockets = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        Socks5TestClient.Result r = Socks5TestClient.connect(socks.port(), host, 80);
        assertThat(r.reply()).isZero();
        sockets.add(r.socket());
      }
      awaitTrue(() -> target.held.size() == 120, "120 connections at the target");
      awaitTrue(() -> StreamBridge.open() >= bridgesBefore + 240, "240 bridges");
      // Then bridging runs on its fixed selector thread(s), not two threads per stream
      assertThat(onionThreads()).isEqualTo(StreamBridge.threads());
      assertThat(Thread.activeCount() - threadsBefore).isLessThan(100);
      for (Socket s : sockets) {
        s.close();
      }
      awaitTrue(() -> StreamBridge.open() <= bridgesBefore, "every bridge to end");
      assertThat(socks.activeConnections()).isZero();
    }
  }

  @Test
  void socksConnectionsAreBoundedAndASlotIsHeldUntilItsBridgeEnds() throws Exception {
    try (HoldingTarget target = new HoldingTarget(false);
        OnionService svc = service(config(target, 3));
        OnionClient client = new OnionClient(network, random);
        SocksServer socks = SocksServer.start(client, 0, 2)) {
      String host = svc.address().toString();
      Socket first = Socks5TestClient.connect(socks.port(), host, 80).socket();
      Socket second = Socks5TestClient.connect(socks.port(), host, 80).socket();
      assertThat(socks.activeConnections()).isEqualTo(2);
      // A third connection while two are bridged is closed without an answer.
      try (Socket third = new Socket(InetAddress.getLoopbackAddress(), socks.port())) {
        third.setSoTimeout(10_000);
        third.getOutputStream().write(new byte[] {5, 1, 0});
        assertThat(readOrReset(third)).isEqualTo(-1);
      }
      // Once a bridged stream ends, its slot comes back.
      first.close();
      awaitTrue(() -> socks.activeConnections() == 1, "the slot to be released");
      Socks5TestClient.Result again = Socks5TestClient.connect(socks.port(), host, 80);
      assertThat(again.reply()).isZero();
      again.socket().close();
      second.close();
    }
  }

  @Test
  void aBeginFloodOnOneCircuitReachesTheTargetOnlyUpToTheStreamCap() throws Exception {
    ServiceLimits limits =
        new ServiceLimits(
            ServiceLimits.DEFAULT_MAX_RENDEZVOUS_CIRCUITS,
            4,
            ServiceLimits.DEFAULT_MIN_INTRODUCTIONS,
            ServiceLimits.DEFAULT_MAX_INTRODUCTIONS,
            Duration.ofHours(18),
            Duration.ofHours(24));
    try (HoldingTarget target = new HoldingTarget(false);
        OnionService svc = service(config(target, 3).withLimits(limits));
        OnionClient client = new OnionClient(network, random)) {
      String host = svc.address().toString();
      List<OnionStream> open = new ArrayList<>();
      int refused = 0;
      for (int i = 0; i < 20; i++) {
        try {
          open.add(client.connect(host, 80)); // all on one rendezvous circuit
        } catch (OnionConnectException e) {
          assertThat(e.error()).isEqualTo(ConnectError.GENERAL_FAILURE);
          refused++;
        }
      }
      assertThat(open).hasSize(4);
      assertThat(refused).isEqualTo(16);
      assertThat(client.cachedCircuits()).isEqualTo(1);
      // CONNECTED follows the service's connect, but the target's acceptor thread may record the
      // socket a moment later: wait for it, then the count must be exactly the cap.
      for (int i = 0; i < 200 && target.held.size() < 4; i++) {
        Thread.sleep(25);
      }
      assertThat(target.held).hasSize(4);
    }
  }

  @Test
  void rendezvousCircuitsPerServiceAreCappedAndFreedWhenClosed() throws Exception {
    ServiceLimits limits =
        new ServiceLimits(
            2,
            ServiceLimits.DEFAULT.maxStreamsPerCircuit(),
            ServiceLimits.DEFAULT_MIN_INTRODUCTIONS,
            ServiceLimits.DEFAULT_MAX_INTRODUCTIONS,
            Duration.ofHours(18),
            Duration.ofHours(24));
    try (HoldingTarget target = new HoldingTarget(false);
        OnionService svc = service(config(target, 3).withLimits(limits));
        OnionClient client = new OnionClient(network, random)) {
      String host = svc.address().toString();
      client.connect(host, 80, "a");
      client.connect(host, 80, "b");
      assertThat(svc.stats().rendezvousCircuits()).isEqualTo(2);
      // A third circuit's introduction is dropped before any hs-ntor work.
      CompletableFuture<Void> third =
          CompletableFuture.runAsync(
              () -> {
                try {
                  client.connect(host, 80, "c");
                } catch (OnionConnectException e) {
                  // expected: no RENDEZVOUS2 comes
                }
              });
      awaitTrue(() -> svc.stats().introductionsDropped() == 1, "the third introduction dropped");
      assertThat(svc.stats().rendezvousCircuits()).isEqualTo(2);
      assertThat(third).isNotDone();
      // Closing circuits frees room.
      client.forgetCircuits();
      awaitTrue(() -> svc.stats().rendezvousCircuits() == 0, "the service to see them closed");
      assertThat(client.connect(host, 80, "d")).isNotNull();
      assertThat(svc.stats().rendezvousCircuits()).isEqualTo(1);
    }
  }

  @Test
  void aClientKeepsAtMostItsCapOfIsolatedCircuits() throws Exception {
    try (HoldingTarget target = new HoldingTarget(false);
        OnionService svc = service(config(target, 3));
        OnionClient client = new OnionClient(network, random, 2)) {
      String host = svc.address().toString();
      client.connect(host, 80, "a");
      client.connect(host, 80, "b");
      assertThatThrownBy(() -> client.connect(host, 80, "c"))
          .isInstanceOfSatisfying(
              OnionConnectException.class,
              e -> assertThat(e.error()).isEqualTo(ConnectError.GENERAL_FAILURE));
      assertThat(client.cachedCircuits()).isEqualTo(2);
      // Reusing an isolation key costs no new circuit.
      client.connect(host, 80, "a");
      assertThat(client.cachedCircuits()).isEqualTo(2);
      client.forgetCircuits();
      assertThat(client.connect(host, 80, "c")).isNotNull();
    }
  }

  @Test
  void manyUnknownAddressesLeaveNoStateBehindInTheClient() throws Exception {
    try (OnionClient client = new OnionClient(network, random)) {
      for (int i = 0; i < 20; i++) {
        String host = HsIdentity.generate(random).address().toString();
        String isolation = "k" + i;
        assertThatThrownBy(() -> client.connect(host, 80, isolation))
            .isInstanceOfSatisfying(
                OnionConnectException.class,
                e -> assertThat(e.error()).isEqualTo(ConnectError.DESCRIPTOR_NOT_FOUND));
      }
      assertThat(client.cachedCircuits()).isZero();
      assertThat(client.cachedDescriptors()).isZero();
    }
  }

  @Test
  void anIntroductionPointIsRotatedAfterItsIntroductionsAndClientsFollow() throws Exception {
    ServiceLimits limits =
        new ServiceLimits(
            ServiceLimits.DEFAULT_MAX_RENDEZVOUS_CIRCUITS,
            ServiceLimits.DEFAULT.maxStreamsPerCircuit(),
            3,
            3,
            Duration.ofHours(18),
            Duration.ofHours(24));
    try (HoldingTarget target = new HoldingTarget(false);
        OnionService svc = service(config(target, 1).withLimits(limits));
        OnionClient client = new OnionClient(network, random)) {
      String host = svc.address().toString();
      byte[] firstKey = svc.introAuthKeys().get(0);
      int uploads = svc.descriptorsUploaded();
      for (String k : List.of("a", "b", "c")) {
        client.connect(host, 80, k);
      }
      // Three introductions wore the point out: a fresh one (new keys, empty replay cache) is
      // established and published.
      awaitTrue(() -> svc.stats().introPointsRotated() == 1, "the intro point to rotate");
      awaitTrue(
          () ->
              svc.introAuthKeys().size() == 1
                  && !java.util.Arrays.equals(svc.introAuthKeys().get(0), firstKey)
                  && svc.descriptorsUploaded() > uploads,
          "a new introduction point published");
      svc.lastPublish().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      // A client holding the old descriptor fails at the old point, refetches, and connects.
      assertThat(client.connect(host, 80, "d")).isNotNull();
    }
  }

  @Test
  void isolateSocksAuthGivesEachCredentialItsOwnCircuitAndTheTargetSeesIt() throws Exception {
    try (HoldingTarget target = new HoldingTarget(true);
        OnionService svc = service(config(target, 3).withExportCircuitId(true));
        OnionClient client = new OnionClient(network, random);
        SocksServer socks = SocksServer.start(client, 0)) {
      String host = svc.address().toString();
      String alice1 = exportedCircuit(socks, host, "alice", "pw", target);
      String alice2 = exportedCircuit(socks, host, "alice", "pw", target);
      String bob = exportedCircuit(socks, host, "bob", "pw", target);
      String aliceOtherPassword = exportedCircuit(socks, host, "alice", "pw2", target);
      String anonymous = exportedCircuit(socks, host, null, null, target);
      // Same credentials share a rendezvous circuit; any difference gives another one.
      assertThat(alice2).isEqualTo(alice1);
      Set<String> distinct = new HashSet<>(List.of(alice1, bob, aliceOtherPassword, anonymous));
      assertThat(distinct).hasSize(4);
      assertThat(client.cachedCircuits()).isEqualTo(4);
      for (String address : distinct) {
        assertThat(CircuitIdExport.circuitIdOf(address)).isPresent();
      }
    }
  }

  /** The first byte read, or -1 at EOF or when the peer reset the connection. */
  private static int readOrReset(Socket s) throws IOException {
    try {
      return s.getInputStream().read();
    } catch (java.net.SocketException e) {
      return -1; // closed with our bytes unread: an RST instead of a FIN
    }
  }

  /** Connects through SOCKS and returns the source address of the PROXY line the target got. */
  private static String exportedCircuit(
      SocksServer socks, String host, String user, String password, HoldingTarget target)
      throws IOException, InterruptedException {
    int before = target.firstLines.size();
    Socks5TestClient.Result r = Socks5TestClient.connect(socks.port(), host, 80, user, password);
    assertThat(r.reply()).isZero();
    try (Socket s = r.socket()) {
      InputStream in = s.getInputStream();
      byte[] ok = in.readNBytes(3);
      assertThat(new String(ok, StandardCharsets.US_ASCII)).isEqualTo("ok\n");
    }
    awaitTrue(() -> target.firstLines.size() == before + 1, "the PROXY line");
    String line = target.firstLines.get(before);
    Matcher m = PROXY_LINE.matcher(line);
    assertThat(m.matches()).as(line).isTrue();
    long id = CircuitIdExport.circuitIdOf(m.group(1)).orElseThrow();
    assertThat(Long.parseLong(m.group(2))).isEqualTo(id & 0xffff);
    return m.group(1);
  }
}
