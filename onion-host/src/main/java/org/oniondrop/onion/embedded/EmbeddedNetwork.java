package org.oniondrop.onion.embedded;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import org.oniondrop.onion.crypto.ExpandedEd25519Key;
import org.oniondrop.onion.crypto.HsCrypto;
import org.oniondrop.onion.handshake.X25519Keys;
import org.oniondrop.onion.hsdir.HsDirParams;
import org.oniondrop.onion.net.Channel;
import org.oniondrop.onion.net.Consensus;
import org.oniondrop.onion.net.InMemoryChannel;
import org.oniondrop.onion.net.Node;
import org.oniondrop.onion.net.NodeLoop;
import org.oniondrop.onion.net.OnionNetwork;
import org.oniondrop.onion.net.RelayInfo;

/**
 * An onion network inside this JVM: {@code n} relays with fresh keys, a directory computed on
 * demand from the clock (valid-after on the hour, shared random values per SRV run), and in-memory
 * channels. <b>No anonymity</b>: see the package documentation.
 */
public final class EmbeddedNetwork implements OnionNetwork, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(EmbeddedNetwork.class.getName());

  /** Relays by default: enough for 3-hop circuits, 3 intro points and the HSDir spread. */
  public static final int DEFAULT_RELAYS = 10;

  /** Fewer relays cannot build distinct 3-hop paths to intro and rendezvous points. */
  public static final int MIN_RELAYS = 5;

  /** Voting interval of the embedded directory: consensus valid-after is on the hour. */
  public static final long VOTING_INTERVAL_SECONDS = 3600;

  private final Clock clock;
  private final HsDirParams params;
  private final byte[] srvSecret = new byte[32];
  private final List<Relay> running = new CopyOnWriteArrayList<>();

  /**
   * The one thread all relays run on. Each relay's state is still touched only on its loop, but a
   * cell crossing three relays is three queued tasks on one busy thread instead of three thread
   * wake-ups: on a machine with few cores the wake-ups, not the relays' AES, were what a fresh
   * connection's round trips waited for.
   */
  private final NodeLoop relayLoop = new NodeLoop("relays");

  /**
   * Threads running the relays' CREATE2 handshakes (C tor's cpuworkers, cpuworker.c): the x25519
   * work of circuits being built does not hold up the cells the relay loop forwards meanwhile.
   */
  static final int HANDSHAKE_WORKERS =
      Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  /**
   * Handshakes queued for the workers at most; beyond it a CREATE2 is refused with a DESTROY, as C
   * tor drops onionskins that waited too long (onion_queue.c).
   */
  static final int MAX_QUEUED_HANDSHAKES = 1024;

  private final java.util.concurrent.ThreadPoolExecutor handshakes =
      new java.util.concurrent.ThreadPoolExecutor(
          HANDSHAKE_WORKERS,
          HANDSHAKE_WORKERS,
          0,
          java.util.concurrent.TimeUnit.MILLISECONDS,
          new java.util.concurrent.LinkedBlockingQueue<>(MAX_QUEUED_HANDSHAKES),
          org.oniondrop.onion.net.DaemonThreads.named("onion-cpuworker"));

  /** Open channels by originating node (by identity: two clients may share a name) and relay. */
  private final Map<Node, Map<String, Channel>> channels = new java.util.IdentityHashMap<>();

  private EmbeddedNetwork(Clock clock, HsDirParams params) {
    this.clock = clock;
    this.params = params;
  }

  /** Starts {@code relays} relays on the live network's HSDir schedule. */
  public static EmbeddedNetwork start(int relays, Clock clock, SecureRandom random) {
    if (relays < MIN_RELAYS) {
      throw new IllegalArgumentException(
          "the embedded network needs at least " + MIN_RELAYS + " relays");
    }
    EmbeddedNetwork network = new EmbeddedNetwork(clock, HsDirParams.LIVE);
    random.nextBytes(network.srvSecret);
    for (int i = 0; i < relays; i++) {
      byte[] rsaId = new byte[20];
      random.nextBytes(rsaId);
      X25519Keys ntor = X25519Keys.generate(random);
      RelayInfo info =
          new RelayInfo(
              "relay" + i,
              rsaId,
              ExpandedEd25519Key.generate(random).publicKey(),
              ntor.publicKey(),
              new byte[] {127, 0, 0, 1},
              10_000 + i,
              true);
      network.running.add(
          new Relay(info, ntor, network.relayLoop, network.handshakes, network, random, clock));
    }
    LOG.info(
        "embedded onion network started with "
            + relays
            + " in-process relays: it gives NO anonymity (development, demos and tests only)");
    return network;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Consensus consensus() {
    Instant now = clock.instant();
    long va =
        Math.floorDiv(now.getEpochSecond(), VOTING_INTERVAL_SECONDS) * VOTING_INTERVAL_SECONDS;
    long run = Math.floorDiv(va, params.srvRunSeconds());
    List<RelayInfo> infos = new ArrayList<>();
    for (Relay r : running) {
      infos.add(r.info());
    }
    return new Consensus(Instant.ofEpochSecond(va), infos, srv(run), srv(run - 1), params);
  }

  private byte[] srv(long run) {
    return HsCrypto.sha3(HsCrypto.ascii("oniondrop-embedded-srv"), srvSecret, HsCrypto.int8(run));
  }

  @Override
  public synchronized Channel connect(Node from, RelayInfo relay) throws IOException {
    Map<String, Channel> mine = channels.computeIfAbsent(from, n -> new HashMap<>());
    Channel existing = mine.get(relay.nickname());
    if (existing != null && existing.isOpen()) {
      return existing;
    }
    Relay target = running.stream().filter(r -> r.info().equals(relay)).findFirst().orElse(null);
    if (target == null) {
      throw new IOException("relay " + relay.nickname() + " is not running");
    }
    InMemoryChannel[] pair =
        InMemoryChannel.pair(
            from.name(), from.loop(), from.handler(), target.name(), target.loop(), target);
    mine.put(relay.nickname(), pair[0]);
    return pair[0];
  }

  /** The running relay with this consensus entry (tests). */
  Relay relay(RelayInfo info) {
    return running.stream().filter(r -> r.info().equals(info)).findFirst().orElseThrow();
  }

  /** The running relays' consensus entries. */
  public List<RelayInfo> relays() {
    return consensus().relays();
  }

  /**
   * Stops a relay: its channels close, circuits through it are torn down, it leaves the consensus.
   */
  public void stopRelay(RelayInfo info) {
    Relay relay = running.stream().filter(r -> r.info().equals(info)).findFirst().orElse(null);
    if (relay == null) {
      return;
    }
    running.remove(relay);
    List<Channel> toClose = new ArrayList<>();
    synchronized (this) {
      Map<String, Channel> own = channels.remove(relay);
      if (own != null) {
        toClose.addAll(own.values());
      }
      for (Map<String, Channel> map : channels.values()) {
        Channel c = map.remove(info.nickname());
        if (c != null) {
          toClose.add(c);
        }
      }
    }
    toClose.forEach(Channel::close);
    relay.loop().execute(relay::close);
  }

  /** Makes {@code relay}'s HSDir refuse the next {@code count} descriptor uploads (tests). */
  public void refuseUploads(RelayInfo relay, int count) {
    running.stream().filter(r -> r.info().equals(relay)).forEach(r -> r.refuseUploads(count));
  }

  /** Descriptor uploads {@code relay}'s HSDir accepted (0 if it is not running). */
  public int acceptedUploads(RelayInfo relay) {
    return running.stream()
        .filter(r -> r.info().equals(relay))
        .mapToInt(Relay::acceptedUploads)
        .sum();
  }

  /** Descriptors stored on each running HSDir (for tests and status). */
  public int storedDescriptors() {
    return running.stream().mapToInt(Relay::storedDescriptors).sum();
  }

  /** Introduction circuits registered at {@code relay}. */
  public int introCircuitsAt(RelayInfo relay) {
    return running.stream()
        .filter(r -> r.info().equals(relay))
        .mapToInt(Relay::introCircuits)
        .sum();
  }

  @Override
  public void close() {
    List<Channel> all;
    synchronized (this) {
      all = new ArrayList<>();
      channels.values().forEach(m -> all.addAll(m.values()));
      channels.clear();
    }
    all.forEach(Channel::close);
    running.forEach(r -> relayLoop.execute(r::close));
    running.clear();
    relayLoop.close();
    handshakes.shutdownNow();
  }
}
