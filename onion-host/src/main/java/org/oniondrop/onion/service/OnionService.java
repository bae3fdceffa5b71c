package org.oniondrop.onion.service;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;
import org.oniondrop.onion.cell.Begin;
import org.oniondrop.onion.cell.End;
import org.oniondrop.onion.cell.EstablishIntro;
import org.oniondrop.onion.cell.Introduce1;
import org.oniondrop.onion.cell.RelayCell;
import org.oniondrop.onion.cell.RelayCommand;
import org.oniondrop.onion.cell.Rendezvous1;
import org.oniondrop.onion.circuit.CircuitListener;
import org.oniondrop.onion.circuit.DirClient;
import org.oniondrop.onion.circuit.OnionStream;
import org.oniondrop.onion.circuit.OriginCircuit;
import org.oniondrop.onion.circuit.OriginNode;
import org.oniondrop.onion.circuit.StreamBridge;
import org.oniondrop.onion.circuit.StreamMux;
import org.oniondrop.onion.crypto.CryptoException;
import org.oniondrop.onion.crypto.ExpandedEd25519Key;
import org.oniondrop.onion.crypto.HsCrypto;
import org.oniondrop.onion.descriptor.DescriptorException;
import org.oniondrop.onion.descriptor.HsDescriptor;
import org.oniondrop.onion.descriptor.InnerLayer;
import org.oniondrop.onion.descriptor.IntroPoint;
import org.oniondrop.onion.handshake.HsNtor;
import org.oniondrop.onion.handshake.X25519Keys;
import org.oniondrop.onion.hsdir.HsDirParams;
import org.oniondrop.onion.hsdir.HsDirRing;
import org.oniondrop.onion.hsdir.TimePeriod;
import org.oniondrop.onion.keys.BlindedIdentity;
import org.oniondrop.onion.keys.OnionAddress;
import org.oniondrop.onion.net.Consensus;
import org.oniondrop.onion.net.OnionNetwork;
import org.oniondrop.onion.net.RelayInfo;
import org.oniondrop.onion.relaycrypto.RelayLayer;

/**
 * One onion service: keeps its introduction points alive, publishes descriptors for both current
 * time-period descriptors (rend-spec-v3 §2.2.4), answers introductions with rendezvous, and
 * forwards streams to local targets.
 *
 * <p>All state changes run on the service's loop; {@link #maintainNow()} runs one maintenance pass
 * (also scheduled every {@value #MAINTENANCE_SECONDS} s): replace lost introduction points, and
 * republish when they changed, when the time-period pair changed, or every 60-120 minutes.
 */
public final class OnionService implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(OnionService.class.getName());

  /** Seconds between maintenance passes. */
  public static final long MAINTENANCE_SECONDS = 5;

  /** Republish at a random time in this window even when nothing changed (C tor: 60-120 min). */
  static final Duration REPUBLISH_MIN = Duration.ofMinutes(60);

  static final Duration REPUBLISH_MAX = Duration.ofMinutes(120);

  /** Attempts to reach a rendezvous point per introduction (C tor hs_service_max_rdv_failures). */
  static final int MAX_RENDEZVOUS_ATTEMPTS = 2;

  /** Entries in each replay cache before the oldest are forgotten. */
  static final int REPLAY_CACHE_MAX = 16_384;

  /** Time-period subcredentials kept for INTRODUCE2 after their descriptor was replaced. */
  static final int SUBCREDENTIALS_KEPT = 4;

  /** How long connecting to a local target may take. */
  static final int CONNECT_TIMEOUT_MILLIS = 10_000;

  private final OriginNode node;
  private final ServiceConfig config;
  private final SecureRandom random;
  private final OnionNetwork network;
  private final ExecutorService connector;
  private final List<IntroPointState> introPoints = new ArrayList<>();
  private final LinkedHashMap<Long, byte[]> subcredentials = new LinkedHashMap<>();
  private final Map<Long, Long> lastRevision = new HashMap<>();
  private final Set<ByteBuffer> cookieReplay = new LinkedHashSet<>();
  private final CompletableFuture<Void> firstPublished = new CompletableFuture<>();
  private List<Long> publishedPeriods = List.of();
  private Instant nextRepublish = Instant.MIN;
  private boolean introSetChanged;
  private boolean closed;
  private ScheduledFuture<?> timer;
  private volatile int descriptorsUploaded;
  private volatile CompletableFuture<Void> lastPublish = new CompletableFuture<>();

  /** One introduction point and its keys (rend-spec-v3 §3.1). */
  private static final class IntroPointState {
    final RelayInfo relay;
    final ExpandedEd25519Key authKey;
    final X25519Keys encKey;
    final Set<ByteBuffer> replay = new LinkedHashSet<>();
    OriginCircuit circuit;
    boolean established;
    boolean dead;

    IntroPointState(RelayInfo relay, SecureRandom random) {
      this.relay = relay;
      this.authKey = ExpandedEd25519Key.generate(random);
      this.encKey = X25519Keys.generate(random);
    }
  }

  public OnionService(OnionNetwork network, ServiceConfig config, SecureRandom random) {
    this.network = network;
    this.config = config;
    this.random = random;
    this.node =
        new OriginNode(
            "service-" + config.identity().address().label().substring(0, 8), network, random);
    this.connector =
        Executors.newCachedThreadPool(
            org.oniondrop.onion.net.DaemonThreads.named("onion-service-connect"));
  }

  public OnionAddress address() {
    return config.identity().address();
  }

  /** Starts maintenance: intro points, then descriptors. */
  public OnionService start() {
    if (!config.publishable()) {
      // Fail closed: a service that requires client authorization is never published without a
      // client key (it would be open to anyone with the address).
      throw new IllegalStateException(
          "client authorization is required but no client is authorized");
    }
    node.loop().execute(this::maintain);
    timer =
        node.loop()
            .scheduleAtFixedRate(
                this::maintain, MAINTENANCE_SECONDS, MAINTENANCE_SECONDS, TimeUnit.SECONDS);
    return this;
  }

  /** Completes when descriptors were first uploaded. */
  public CompletableFuture<Void> published() {
    return firstPublished;
  }

  public boolean isPublished() {
    return firstPublished.isDone() && !firstPublished.isCompletedExceptionally();
  }

  /** The uploads of the most recent publication (completes when all have finished). */
  public CompletableFuture<Void> lastPublish() {
    return lastPublish;
  }

  /** Descriptor uploads the HSDirs accepted so far. */
  public int descriptorsUploaded() {
    return descriptorsUploaded;
  }

  /**
   * Runs a maintenance pass now (tests drive time with their clock and call this); completes when
   * the uploads it started, if any, have finished.
   */
  public CompletableFuture<Void> maintainNow() {
    return node.loop().call(this::maintainAndPublish).thenCompose(f -> f);
  }

  /** The relays currently serving as established introduction points. */
  public List<RelayInfo> introRelays() {
    return node.loop()
        .call(
            () ->
                introPoints.stream()
                    .filter(p -> p.established && !p.dead)
                    .map(p -> p.relay)
                    .toList())
        .join();
  }

  /** KP_hs_ipt_sid of each established introduction point (status and tests). */
  public List<byte[]> introAuthKeys() {
    return node.loop()
        .call(
            () ->
                introPoints.stream()
                    .filter(p -> p.established && !p.dead)
                    .map(p -> p.authKey.publicKey())
                    .toList())
        .join();
  }

  // ---- maintenance (on the loop) ----

  private void maintain() {
    maintainAndPublish();
  }

  /** One maintenance pass; completes when any uploads it started have finished. */
  private CompletableFuture<Void> maintainAndPublish() {
    if (closed) {
      return CompletableFuture.completedFuture(null);
    }
    if (introPoints.removeIf(p -> p.dead)) {
      introSetChanged = true;
    }
    Consensus consensus = network.consensus();
    Set<RelayInfo> used = new HashSet<>();
    introPoints.forEach(p -> used.add(p.relay));
    while (introPoints.size() < config.introPoints()) {
      List<RelayInfo> candidates = new ArrayList<>(consensus.relays());
      candidates.removeAll(used);
      if (candidates.isEmpty()) {
        break;
      }
      RelayInfo relay = candidates.get(random.nextInt(candidates.size()));
      used.add(relay);
      establish(new IntroPointState(relay, random), consensus);
    }
    boolean anyEstablished = introPoints.stream().anyMatch(p -> p.established);
    List<Long> periods = periodsFor(consensus);
    Instant now = network.clock().instant();
    if (anyEstablished
        && (introSetChanged || !periods.equals(publishedPeriods) || !now.isBefore(nextRepublish))) {
      return publish(consensus, now);
    }
    return CompletableFuture.completedFuture(null);
  }

  private List<Long> periodsFor(Consensus consensus) {
    List<Long> out = new ArrayList<>();
    for (HsDirParams.PeriodAndSrv p :
        consensus
            .params()
            .forService(consensus.validAfter(), consensus.currentSrv(), consensus.previousSrv())) {
      out.add(p.period().number());
    }
    return out;
  }

  private void establish(IntroPointState point, Consensus consensus) {
    introPoints.add(point);
    List<RelayInfo> path = consensus.path(3, point.relay, List.of(), random);
    CircuitListener listener =
        new CircuitListener() {
          @Override
          public void onRelayCell(OriginCircuit c, int hop, RelayCell cell, byte[] digest) {
            if (hop != c.path().size() - 1) {
              return;
            }
            if (cell.command() == RelayCommand.INTRO_ESTABLISHED) {
              point.established = true;
              introSetChanged = true;
              maintain();
            } else if (cell.command() == RelayCommand.INTRODUCE2 && point.established) {
              onIntroduce2(point, cell.data());
            }
          }

          @Override
          public void onDestroyed(OriginCircuit c) {
            point.dead = true;
            if (point.established) {
              LOG.info("an introduction point was lost; replacing it");
            }
          }
        };
    node.build(path, listener)
        .whenComplete(
            (circuit, error) -> {
              if (error != null) {
                node.loop().execute(() -> point.dead = true);
                return;
              }
              circuit.execute(
                  () -> {
                    point.circuit = circuit;
                    EstablishIntro cell =
                        EstablishIntro.create(point.authKey, circuit.lastHopKh(), List.of());
                    ByteWriter w = new ByteWriter(200);
                    cell.encode(w);
                    circuit.sendToLast(
                        new RelayCell(RelayCommand.ESTABLISH_INTRO, 0, w.toByteArray()));
                  });
            });
  }

  private CompletableFuture<Void> publish(Consensus consensus, Instant now) {
    List<IntroPointState> live =
        introPoints.stream().filter(p -> p.established && !p.dead).toList();
    HsDirParams.PeriodAndSrv[] pairs =
        consensus
            .params()
            .forService(consensus.validAfter(), consensus.currentSrv(), consensus.previousSrv());
    List<CompletableFuture<Boolean>> uploads = new ArrayList<>();
    List<Long> periods = new ArrayList<>();
    for (HsDirParams.PeriodAndSrv pair : pairs) {
      TimePeriod tp = pair.period();
      periods.add(tp.number());
      BlindedIdentity blinded = config.identity().blind(tp);
      subcredentials.put(tp.number(), blinded.subcredential());
      while (subcredentials.size() > SUBCREDENTIALS_KEPT) {
        subcredentials.remove(subcredentials.keySet().iterator().next());
      }
      ExpandedEd25519Key signing = ExpandedEd25519Key.generate(random);
      Instant expires = HsDescriptor.certExpiry(now);
      List<IntroPoint> entries = new ArrayList<>();
      for (IntroPointState p : live) {
        entries.add(
            HsDescriptor.introPoint(
                p.relay.linkSpecifiers(),
                p.relay.ntorKey(),
                p.authKey.publicKey(),
                p.encKey.publicKey(),
                signing,
                expires));
      }
      String text;
      try {
        text =
            HsDescriptor.build(
                blinded,
                signing,
                nextRevision(tp, now),
                InnerLayer.of(entries),
                config.authorizedClients(),
                now,
                random);
      } catch (DescriptorException e) {
        LOG.warning("could not build a descriptor: " + e.reason());
        continue;
      }
      byte[] body = HsDescriptor.bytes(text);
      for (HsDirRing.Node<RelayInfo> hsdir :
          HsDirRing.responsible(
              consensus.hsDirRing(), blinded.publicKey(), tp, pair.srv(), HsDirRing.SPREAD_STORE)) {
        List<RelayInfo> path = consensus.path(3, hsdir.handle(), List.of(), random);
        uploads.add(
            DirClient.post(node, path, "/tor/hs/3/publish", body)
                .handle(
                    (r, e) -> {
                      if (e == null && r.status() != 200) {
                        // The HSDir answered and refused (rend-spec-v3 §2.2.6): say which.
                        LOG.warning(
                            "HSDir "
                                + hsdir.handle()
                                + " refused a descriptor: HTTP "
                                + r.status());
                      }
                      return e == null && r.status() == 200;
                    }));
      }
    }
    publishedPeriods = periods;
    introSetChanged = false;
    long spread = REPUBLISH_MAX.minus(REPUBLISH_MIN).toSeconds();
    nextRepublish = now.plus(REPUBLISH_MIN).plusSeconds(random.nextInt((int) spread + 1));
    CompletableFuture<Void> round =
        CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new));
    lastPublish = round;
    return round.whenComplete(
        (v, e) -> {
          int ok = (int) uploads.stream().filter(f -> f.getNow(false)).count();
          descriptorsUploaded += ok;
          if (ok > 0) {
            firstPublished.complete(null);
            LOG.fine(() -> "descriptors uploaded to " + ok + " HSDirs");
          } else {
            node.loop().execute(() -> publishedPeriods = List.of());
          }
        });
  }

  /**
   * The revision counter for a descriptor of {@code tp}: milliseconds since the period began, so it
   * grows with time and across restarts, and strictly above the last one we used.
   */
  private long nextRevision(TimePeriod tp, Instant now) {
    long fromTime = Math.max(0, Duration.between(tp.start(), now).toMillis());
    long revision = Math.max(fromTime, lastRevision.getOrDefault(tp.number(), -1L) + 1);
    lastRevision.put(tp.number(), revision);
    return revision;
  }

  // ---- introductions (on the loop) ----

  private void onIntroduce2(IntroPointState point, byte[] body) {
    Introduce1 cell;
    try {
      cell = Introduce1.decode(ByteReader.of(body));
    } catch (DecodeException e) {
      return;
    }
    if (!remember(point.replay, ByteBuffer.wrap(HsCrypto.sha3(cell.encrypted())))) {
      LOG.fine("dropped a replayed INTRODUCE2");
      return;
    }
    HsNtor.ServiceResult result;
    try {
      result =
          HsNtor.service(
              cell, point.encKey, subcredentials.values().toArray(byte[][]::new), random);
    } catch (CryptoException | DecodeException e) {
      return;
    }
    if (!remember(cookieReplay, ByteBuffer.wrap(result.plaintext().rendezvousCookie()))) {
      return;
    }
    Consensus consensus = network.consensus();
    RelayInfo listed = consensus.find(result.plaintext().linkSpecifiers()).orElse(null);
    if (listed == null) {
      return;
    }
    // Use the onion key the client gave, verbatim: a wrong one just fails the handshake.
    RelayInfo rp =
        new RelayInfo(
            listed.nickname(),
            listed.rsaId(),
            listed.ed25519Id(),
            result.plaintext().onionKey(),
            listed.ipv4(),
            listed.orPort(),
            listed.hsDir());
    rendezvous(rp, result, consensus, 1);
  }

  private static boolean remember(Set<ByteBuffer> cache, ByteBuffer key) {
    if (!cache.add(key)) {
      return false;
    }
    if (cache.size() > REPLAY_CACHE_MAX) {
      var it = cache.iterator();
      it.next();
      it.remove();
    }
    return true;
  }

  private void rendezvous(
      RelayInfo rp, HsNtor.ServiceResult result, Consensus consensus, int attempt) {
    List<RelayInfo> path = consensus.path(3, rp, List.of(), random);
    node.build(path, null)
        .whenComplete(
            (circuit, error) -> {
              if (error != null) {
                if (attempt < MAX_RENDEZVOUS_ATTEMPTS) {
                  node.loop()
                      .execute(() -> rendezvous(rp, result, network.consensus(), attempt + 1));
                }
                return;
              }
              circuit.execute(
                  () -> {
                    StreamMux mux = new StreamMux(circuit, this::onBegin, null);
                    circuit.listener(mux);
                    ByteWriter w = new ByteWriter(90);
                    new Rendezvous1(result.plaintext().rendezvousCookie(), result.handshakeInfo())
                        .encode(w);
                    circuit.sendToLast(new RelayCell(RelayCommand.RENDEZVOUS1, 0, w.toByteArray()));
                    circuit.addVirtualHop(result.keyMaterial(), RelayLayer.Side.RESPONDER);
                  });
            });
  }

  private void onBegin(StreamMux mux, int streamId, Begin begin) {
    InetSocketAddress target = config.ports().get(begin.port());
    if (target == null) {
      mux.refuse(streamId, End.DONE);
      return;
    }
    connector.execute(
        () -> {
          Socket socket = new Socket();
          try {
            socket.connect(target, CONNECT_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
          } catch (IOException e) {
            closeQuietly(socket);
            mux.circuit().execute(() -> mux.refuse(streamId, End.CONNECTREFUSED));
            return;
          }
          mux.circuit()
              .execute(
                  () -> {
                    if (!mux.circuit().isOpen()) {
                      closeQuietly(socket);
                      return;
                    }
                    OnionStream stream = mux.accept(streamId);
                    StreamBridge.start(stream, socket);
                  });
        });
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // the socket is being discarded anyway
    }
  }

  @Override
  public void close() {
    node.loop()
        .call(
            () -> {
              closed = true;
              if (timer != null) {
                timer.cancel(false);
              }
              return null;
            })
        .completeOnTimeout(null, 2, TimeUnit.SECONDS)
        .join();
    node.close();
    connector.shutdownNow();
  }
}
