package org.oniondrop.onion.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.cell.EstablishIntro;
import org.oniondrop.onion.cell.Introduce1;
import org.oniondrop.onion.cell.IntroduceAck;
import org.oniondrop.onion.cell.RelayCell;
import org.oniondrop.onion.cell.RelayCommand;
import org.oniondrop.onion.circuit.CircuitListener;
import org.oniondrop.onion.circuit.DirClient;
import org.oniondrop.onion.circuit.OriginCircuit;
import org.oniondrop.onion.circuit.OriginNode;
import org.oniondrop.onion.client.ConnectError;
import org.oniondrop.onion.client.OnionClient;
import org.oniondrop.onion.client.SocksServer;
import org.oniondrop.onion.crypto.ExpandedEd25519Key;
import org.oniondrop.onion.hsdir.HsDirParams;
import org.oniondrop.onion.hsdir.HsDirRing;
import org.oniondrop.onion.keys.ClientAuthKey;
import org.oniondrop.onion.keys.HsIdentity;
import org.oniondrop.onion.net.Consensus;
import org.oniondrop.onion.net.RelayInfo;
import org.oniondrop.onion.service.OnionService;
import org.oniondrop.onion.service.ServiceConfig;

/**
 * Client authorization, lost introduction points, time-period rotation, refused targets, hostile
 * input.
 */
class EmbeddedOnionFailureTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final SecureRandom random = new SecureRandom();
  private final MutableClock clock = new MutableClock();
  private TestHttpServer http;
  private EmbeddedNetwork network;

  @BeforeEach
  void start() throws Exception {
    http = new TestHttpServer();
    network = EmbeddedNetwork.start(EmbeddedNetwork.DEFAULT_RELAYS, clock, random);
  }

  @AfterEach
  void stop() {
    network.close();
    http.close();
  }

  private OnionService service(List<byte[]> authorized, InetSocketAddress target) throws Exception {
    OnionService s =
        new OnionService(
                network,
                new ServiceConfig(HsIdentity.generate(random), Map.of(80, target), authorized, 3),
                random)
            .start();
    s.published().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return s;
  }

  private static String get(Socket socket) throws Exception {
    try (socket) {
      OutputStream out = socket.getOutputStream();
      out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void clientAuthorizationAdmitsOnlyTheRightKey() throws Exception {
    ClientAuthKey alice = ClientAuthKey.generate(random);
    try (OnionService svc = service(List.of(alice.publicKey()), http.address());
        OnionClient withKey = new OnionClient(network, random);
        OnionClient without = new OnionClient(network, random);
        OnionClient wrong = new OnionClient(network, random);
        SocksServer s1 = SocksServer.start(withKey, 0);
        SocksServer s2 = SocksServer.start(without, 0);
        SocksServer s3 = SocksServer.start(wrong, 0)) {
      withKey.addClientAuth(svc.address(), alice);
      wrong.addClientAuth(svc.address(), ClientAuthKey.generate(random));
      String host = svc.address().toString();

      Socks5TestClient.Result ok = Socks5TestClient.connect(s1.port(), host, 80);
      assertThat(ok.reply()).isZero();
      assertThat(get(ok.socket())).contains("hello from an onion service");
      assertThat(Socks5TestClient.connect(s2.port(), host, 80).reply())
          .isEqualTo(ConnectError.CLIENT_AUTH_MISSING.socksCode())
          .isEqualTo(0xF4);
      assertThat(Socks5TestClient.connect(s3.port(), host, 80).reply())
          .isEqualTo(ConnectError.CLIENT_AUTH_WRONG.socksCode())
          .isEqualTo(0xF5);
    }
  }

  @Test
  void anHsDirThatRefusesAnUploadGetsItOnRetryAndTheOthersOnTheFirstTry() throws Exception {
    HsIdentity identity = HsIdentity.generate(random);
    Consensus c = network.consensus();
    Map<RelayInfo, Integer> uploadsTo = new java.util.HashMap<>();
    for (HsDirParams.PeriodAndSrv pair :
        c.params().forService(c.validAfter(), c.currentSrv(), c.previousSrv())) {
      for (HsDirRing.Node<RelayInfo> n :
          HsDirRing.responsible(
              c.hsDirRing(),
              identity.blind(pair.period()).publicKey(),
              pair.period(),
              pair.srv(),
              HsDirRing.SPREAD_STORE)) {
        uploadsTo.merge(n.handle(), 1, Integer::sum);
      }
    }
    RelayInfo refuser = uploadsTo.keySet().iterator().next();
    int k = uploadsTo.get(refuser);
    try (OnionService svc =
        new OnionService(
                network,
                new ServiceConfig(identity, Map.of(80, http.address()), List.of(), 3),
                random)
            .start()) {
      svc.published().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      awaitTrue(() -> svc.introRelays().size() == 3, "three introduction points");
      svc.maintainNow().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      svc.lastPublish().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      // One round: the descriptor waited for all 3 introduction points (no early 1- or 2-point
      // descriptors superseded seconds later).
      assertThat(svc.descriptorsUploaded())
          .isEqualTo(uploadsTo.values().stream().mapToInt(Integer::intValue).sum());
      Map<RelayInfo, Integer> before = new java.util.HashMap<>();
      uploadsTo.keySet().forEach(r -> before.put(r, network.acceptedUploads(r)));
      int retriesBefore = svc.uploadRetries();

      // The first two attempts of each upload to the refuser are answered 503.
      network.refuseUploads(refuser, 2 * k);
      svc.republishNow().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      // The round's first attempts are over: every other responsible HSDir has its descriptors,
      // the refuser none; the refusal did not hold the others up.
      for (Map.Entry<RelayInfo, Integer> e : uploadsTo.entrySet()) {
        int expected = e.getKey().equals(refuser) ? 0 : e.getValue();
        assertThat(network.acceptedUploads(e.getKey()) - before.get(e.getKey()))
            .as("%s", e.getKey())
            .isEqualTo(expected);
      }
      // Retried on new circuits with backoff (1-2 s, then 2-4 s), it is accepted on the third try.
      awaitTrue(
          () -> network.acceptedUploads(refuser) - before.get(refuser) == k,
          "the refused upload to be retried");
      assertThat(svc.uploadRetries() - retriesBefore).isEqualTo(2 * k);
    }
  }

  @Test
  void aLostIntroductionPointIsReplacedAndRepublished() throws Exception {
    try (OnionService svc = service(List.of(), http.address());
        OnionClient before = new OnionClient(network, random);
        SocksServer socksBefore = SocksServer.start(before, 0)) {
      String host = svc.address().toString();
      assertThat(get(Socks5TestClient.connect(socksBefore.port(), host, 80).socket()))
          .contains("hello");
      int uploads = svc.descriptorsUploaded();
      RelayInfo lost = svc.introRelays().get(0);

      network.stopRelay(lost);
      awaitTrue(
          () -> !svc.introRelays().contains(lost) && svc.introRelays().size() < 3,
          "the service to notice");
      svc.maintainNow().join();
      awaitTrue(
          () ->
              svc.introRelays().size() == 3
                  && !svc.introRelays().contains(lost)
                  && svc.descriptorsUploaded() > uploads,
          "a new introduction point and a republished descriptor");
      svc.lastPublish().get(WAIT.toSeconds(), TimeUnit.SECONDS);

      try (OnionClient after = new OnionClient(network, random);
          SocksServer socksAfter = SocksServer.start(after, 0)) {
        assertThat(get(Socks5TestClient.connect(socksAfter.port(), host, 80).socket()))
            .contains("hello");
      }
      before.forgetCircuits();
      assertThat(get(Socks5TestClient.connect(socksBefore.port(), host, 80).socket()))
          .contains("hello");
    }
  }

  @Test
  void aTimePeriodBoundaryBringsNewDescriptorsAndBothOldAndNewClientsConnect() throws Exception {
    try (OnionService svc = service(List.of(), http.address());
        OnionClient old = new OnionClient(network, random);
        SocksServer oldSocks = SocksServer.start(old, 0)) {
      String host = svc.address().toString();
      assertThat(get(Socks5TestClient.connect(oldSocks.port(), host, 80).socket()))
          .contains("hello");
      long periodBefore =
          network.consensus().params().periodAt(network.consensus().validAfter()).number();
      int uploads = svc.descriptorsUploaded();

      clock.advance(Duration.ofHours(25));
      assertThat(network.consensus().params().periodAt(network.consensus().validAfter()).number())
          .isGreaterThan(periodBefore);
      svc.maintainNow().join();
      awaitTrue(() -> svc.descriptorsUploaded() > uploads, "descriptors for the new time period");

      try (OnionClient fresh = new OnionClient(network, random);
          SocksServer freshSocks = SocksServer.start(fresh, 0)) {
        assertThat(get(Socks5TestClient.connect(freshSocks.port(), host, 80).socket()))
            .contains("hello");
      }
      assertThat(get(Socks5TestClient.connect(oldSocks.port(), host, 80).socket()))
          .contains("hello");
    }
  }

  @Test
  void aRefusingLocalTargetGivesConnectionRefusedAndNothingHangs() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    try (OnionService svc =
            service(
                List.of(), new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort));
        OnionClient client = new OnionClient(network, random);
        SocksServer socks = SocksServer.start(client, 0)) {
      long t0 = System.nanoTime();
      Socks5TestClient.Result r =
          Socks5TestClient.connect(socks.port(), svc.address().toString(), 80);
      assertThat(r.reply()).isEqualTo(ConnectError.CONNECTION_REFUSED.socksCode());
      assertThat(r.socket().getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(WAIT);
      // An unknown virtual port is refused too, and a non-onion host is unreachable.
      assertThat(Socks5TestClient.connect(socks.port(), svc.address().toString(), 81).reply())
          .isNotZero();
      assertThat(Socks5TestClient.connect(socks.port(), "example.com", 80).reply())
          .isEqualTo(ConnectError.HOST_UNREACHABLE.socksCode());
      assertThat(Socks5TestClient.connect(socks.port(), "nonsense.onion", 80).reply())
          .isEqualTo(ConnectError.BAD_ADDRESS.socksCode());
    }
  }

  @Test
  void hostileInputIsRefusedAndEverythingElseKeepsWorking() throws Exception {
    try (OnionService svc = service(List.of(), http.address());
        OnionClient client = new OnionClient(network, random);
        SocksServer socks = SocksServer.start(client, 0);
        OriginNode attacker = new OriginNode("attacker", network, random)) {
      String host = svc.address().toString();

      // Garbage, truncated requests and other protocols on the SOCKS port: each connection closes.
      Random r = new Random(42);
      for (int i = 0; i < 40; i++) {
        byte[] junk = new byte[1 + r.nextInt(300)];
        r.nextBytes(junk);
        if (i % 4 == 0) {
          junk = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        } else if (i % 4 == 1) {
          junk = new byte[] {5, 1};
        } else if (i % 4 == 2) {
          junk = new byte[] {4, 1, 0, 80, 127, 0, 0, 1, 0};
        }
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), socks.port())) {
          s.setSoTimeout(40_000);
          s.getOutputStream().write(junk);
          s.shutdownOutput();
          InputStream in = s.getInputStream();
          byte[] buf = new byte[64];
          int n;
          int total = 0;
          while ((n = in.read(buf)) > 0) {
            total += n;
          }
          assertThat(total).isLessThanOrEqualTo(12);
        }
      }

      Consensus consensus = network.consensus();
      RelayInfo introRelay = svc.introRelays().get(0);
      byte[] authKey = svc.introAuthKeys().stream().findFirst().orElseThrow();

      // A replayed INTRODUCE1: the intro point forwards the first and refuses the copy.
      CompletableFuture<Integer> first = new CompletableFuture<>();
      CompletableFuture<Integer> second = new CompletableFuture<>();
      CircuitListener acks =
          new CircuitListener() {
            @Override
            public void onRelayCell(OriginCircuit c, int hop, RelayCell cell, byte[] digest) {
              if (cell.command() == RelayCommand.INTRODUCE_ACK) {
                try {
                  int status = IntroduceAck.decode(ByteReader.of(cell.data())).status();
                  if (!first.complete(status)) {
                    second.complete(status);
                  }
                } catch (Exception e) {
                  first.completeExceptionally(e);
                }
              }
            }

            @Override
            public void onDestroyed(OriginCircuit c) {}
          };
      OriginCircuit circuit =
          attacker
              .build(consensus.path(3, introRelay, List.of(), random), acks)
              .get(30, TimeUnit.SECONDS);
      byte[] encrypted = new byte[200];
      random.nextBytes(encrypted);
      byte[] intro1 = new Introduce1(2, authKey, List.of(), encrypted).toBytes();
      circuit.execute(() -> circuit.sendToLast(new RelayCell(RelayCommand.INTRODUCE1, 0, intro1)));
      assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(IntroduceAck.SUCCESS);
      circuit.execute(() -> circuit.sendToLast(new RelayCell(RelayCommand.INTRODUCE1, 0, intro1)));
      assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(IntroduceAck.BAD_FORMAT);

      // An ESTABLISH_INTRO with a bad signature: the intro point closes that circuit.
      CompletableFuture<Boolean> closed = new CompletableFuture<>();
      CompletableFuture<Boolean> established = new CompletableFuture<>();
      CircuitListener watch =
          new CircuitListener() {
            @Override
            public void onRelayCell(OriginCircuit c, int hop, RelayCell cell, byte[] digest) {
              if (cell.command() == RelayCommand.INTRO_ESTABLISHED) {
                established.complete(true);
              }
            }

            @Override
            public void onDestroyed(OriginCircuit c) {
              closed.complete(true);
            }
          };
      OriginCircuit bad =
          attacker
              .build(consensus.path(3, introRelay, List.of(), random), watch)
              .get(30, TimeUnit.SECONDS);
      bad.execute(
          () -> {
            EstablishIntro cell =
                EstablishIntro.create(
                    ExpandedEd25519Key.generate(random), bad.lastHopKh(), List.of());
            byte[] sig = cell.signature().clone();
            sig[0] ^= 1;
            ByteWriter w = new ByteWriter();
            new EstablishIntro(
                    cell.authKey(), cell.extensions(), cell.handshakeAuth(), sig, cell.signedPart())
                .encode(w);
            bad.sendToLast(new RelayCell(RelayCommand.ESTABLISH_INTRO, 0, w.toByteArray()));
          });
      assertThat(closed.get(30, TimeUnit.SECONDS)).isTrue();
      assertThat(established).isNotDone();

      // An oversized descriptor upload: refused, and the HSDir keeps serving.
      RelayInfo hsdir = consensus.relays().get(0);
      byte[] huge = new byte[60_000];
      DirClient.Response refused =
          DirClient.post(
                  attacker, consensus.path(3, hsdir, List.of(), random), "/tor/hs/3/publish", huge)
              .get(30, TimeUnit.SECONDS);
      assertThat(refused.status()).isEqualTo(413);
      DirClient.Response garbage =
          DirClient.post(
                  attacker,
                  consensus.path(3, hsdir, List.of(), random),
                  "/tor/hs/3/publish",
                  "hs-descriptor 3\n".getBytes())
              .get(30, TimeUnit.SECONDS);
      assertThat(garbage.status()).isEqualTo(400);

      // Everything else still works.
      assertThat(get(Socks5TestClient.connect(socks.port(), host, 80).socket())).contains("hello");
    }
  }
}
