package org.oniondrop.onion.nativenet;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.oniondrop.onion.dir.DirException;
import org.oniondrop.onion.dir.DirectoryFetcher;
import org.oniondrop.onion.dir.JoinConfig;
import org.oniondrop.onion.dir.MicrodescConsensus;
import org.oniondrop.onion.dir.Microdescriptor;
import org.oniondrop.onion.dir.NetworkDirectory;
import org.oniondrop.onion.hsdir.HsDirParams;
import org.oniondrop.onion.link.LinkException;
import org.oniondrop.onion.link.LinkTarget;
import org.oniondrop.onion.link.TlsChannel;
import org.oniondrop.onion.net.Channel;
import org.oniondrop.onion.net.Consensus;
import org.oniondrop.onion.net.DaemonThreads;
import org.oniondrop.onion.net.Node;
import org.oniondrop.onion.net.OnionNetwork;
import org.oniondrop.onion.net.RelayInfo;

/**
 * A real Tor network as an {@link OnionNetwork}: the consensus is the verified microdesc consensus
 * (refreshed on tor's schedule, with backoff when no authority answers), and channels are TLS links
 * whose relay certificates are checked against the consensus identities.
 *
 * <p>Paths come from a {@link WeightedPathSelector}: a persistent {@link GuardSet} in the data dir
 * for the first hop, bandwidth-weighted middle hops, family and /16 rules.
 *
 * <p>The directory comes from fallback directories over one-hop BEGIN_DIR circuits ({@link
 * BeginDirFetcher}) and from the authorities' DirPorts ({@link NetworkDirectory} orders them).
 *
 * <p>Not yet done (stated in the README): vanguards, congestion control, PoW, guard reachability
 * tracking, and fetching from the consensus's own directory caches once we have one.
 */
public final class NativeNetwork implements OnionNetwork, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(NativeNetwork.class.getName());

  /** How long one link handshake (TCP, TLS, VERSIONS .. NETINFO) may take. */
  public static final Duration LINK_TIMEOUT = Duration.ofSeconds(15);

  /**
   * Fetch rounds at start before giving up (each round tries fallbacks and every authority; the
   * waits between them follow the backoff below).
   */
  static final int START_ROUNDS = 3;

  /** Retry after a failed consensus fetch: doubling from this ... */
  static final Duration MIN_BACKOFF = Duration.ofSeconds(5);

  /** ... up to this. */
  static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

  private final NetworkDirectory directory;
  private final GuardSet guards;
  private final Clock clock;
  private final SecureRandom random;
  private final ScheduledExecutorService refresher =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("native-directory"));
  private final Map<Node, Map<String, TlsChannel>> channels = new IdentityHashMap<>();
  private volatile Consensus consensus;
  private volatile boolean closed;
  private int failures;

  private NativeNetwork(
      NetworkDirectory directory, GuardSet guards, Clock clock, SecureRandom random) {
    this.directory = directory;
    this.guards = guards;
    this.clock = clock;
    this.random = random;
  }

  /**
   * Loads or fetches a verified consensus, then keeps it fresh in the background.
   *
   * @throws DirException if no usable consensus could be had
   */
  public static NativeNetwork start(
      JoinConfig config, Path dataDir, Clock clock, SecureRandom random) throws DirException {
    NetworkDirectory dir =
        new NetworkDirectory(
            config,
            dataDir,
            clock,
            new DirectoryFetcher(),
            new BeginDirFetcher(clock, random),
            random);
    NativeNetwork net =
        new NativeNetwork(dir, GuardSet.load(dataDir.resolve(GuardSet.FILE)), clock, random);
    NetworkDirectory.Snapshot s = null;
    for (int round = 1; s == null; round++) {
      try {
        s = dir.refresh(false);
      } catch (DirException e) {
        if (round >= START_ROUNDS) {
          throw new DirException(
              "no directory source answered in " + round + " rounds: " + e.getMessage(), e);
        }
        long backoff = net.backoffMillis(round);
        LOG.warning(
            "directory bootstrap round "
                + round
                + " of "
                + START_ROUNDS
                + " failed, retrying in "
                + backoff / 1000
                + " s: "
                + e.getMessage());
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new DirException("interrupted while bootstrapping", e);
        }
      }
    }
    net.install(s);
    net.scheduleAfter(s);
    return net;
  }

  private void scheduleAfter(NetworkDirectory.Snapshot s) {
    Instant next = directory.nextFetch(s);
    long delay = Math.max(1000, Duration.between(clock.instant(), next).toMillis());
    schedule(delay);
  }

  private void schedule(long delayMillis) {
    if (closed) {
      return;
    }
    refresher.schedule(this::refreshNow, delayMillis, TimeUnit.MILLISECONDS);
  }

  private void refreshNow() {
    try {
      NetworkDirectory.Snapshot s = directory.refresh(true);
      install(s);
      failures = 0;
      scheduleAfter(s);
    } catch (DirException | RuntimeException e) {
      failures++;
      long jittered = backoffMillis(failures);
      LOG.warning(
          "directory refresh failed ("
              + failures
              + " in a row), retrying in "
              + jittered / 1000
              + " s: "
              + e.getMessage());
      schedule(jittered);
    }
  }

  /** After {@code failures} failed rounds: doubling from MIN_BACKOFF to MAX_BACKOFF, jittered. */
  long backoffMillis(int failures) {
    long backoff =
        Math.min(MAX_BACKOFF.toMillis(), MIN_BACKOFF.toMillis() << Math.min(failures - 1, 16));
    return backoff / 2 + (long) (random.nextDouble() * backoff / 2);
  }

  private void install(NetworkDirectory.Snapshot s) {
    consensus = toConsensus(s, directory.config().testingNetwork(), guards, clock, random);
  }

  /**
   * The relays a client may use: Running and Valid, with a microdescriptor giving an ntor key and
   * an Ed25519 identity (needed for the HSDir ring and for EXTEND2's link specifiers).
   */
  static Consensus toConsensus(
      NetworkDirectory.Snapshot s,
      boolean testingNetwork,
      GuardSet guards,
      Clock clock,
      Random random) {
    Instant now = clock.instant();
    MicrodescConsensus c = s.consensus();
    List<RelayInfo> relays = new ArrayList<>();
    for (MicrodescConsensus.Router r : c.routers()) {
      if (!r.has("Running") || !r.has("Valid")) {
        continue;
      }
      Microdescriptor md = s.microdesc(r);
      if (md == null || md.ed25519Id() == null) {
        continue;
      }
      relays.add(
          new RelayInfo(
              r.nickname(),
              r.rsaId(),
              md.ed25519Id(),
              md.ntorKey(),
              r.ipv4(),
              r.orPort(),
              r.has("HSDir"),
              r.has("Guard"),
              r.has("Exit") && !r.has("BadExit"),
              r.bandwidth(),
              md.family()));
    }
    HsDirParams params =
        testingNetwork
            ? HsDirParams.testingNetwork(c.votingInterval().toSeconds())
            : new HsDirParams(
                c.param("hsdir-interval", 1440), c.param("hsdir-interval", 1440) / 2, 86_400);
    BandwidthWeights weights = new BandwidthWeights(c.bandwidthWeights());
    Consensus unweighted =
        new Consensus(c.validAfter(), relays, c.currentSrv(), c.previousSrv(), params);
    guards.update(unweighted, weights, now, random);
    return new Consensus(
        c.validAfter(),
        relays,
        c.currentSrv(),
        c.previousSrv(),
        params,
        new WeightedPathSelector(guards, weights, !testingNetwork, clock));
  }

  /** The guard sample (status and tests). */
  public GuardSet guards() {
    return guards;
  }

  public NetworkDirectory directory() {
    return directory;
  }

  @Override
  public Consensus consensus() {
    return consensus;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Channel connect(Node from, RelayInfo relay) throws IOException {
    String key = HexFormat.of().formatHex(relay.rsaId());
    synchronized (this) {
      if (closed) {
        throw new IOException("network closed");
      }
      TlsChannel existing = channels.getOrDefault(from, Map.of()).get(key);
      if (existing != null && existing.isOpen()) {
        return existing;
      }
    }
    TlsChannel channel;
    try {
      channel = TlsChannel.open(LinkTarget.of(relay), clock, LINK_TIMEOUT);
    } catch (LinkException e) {
      LOG.warning("link refused: " + e.getMessage());
      guards.markUnreachable(relay, clock.instant());
      throw new IOException(e.getMessage(), e);
    } catch (IOException e) {
      guards.markUnreachable(relay, clock.instant());
      throw e;
    }
    synchronized (this) {
      channels.computeIfAbsent(from, n -> new HashMap<>()).put(key, channel);
    }
    channel.start(from, c -> forget(from, key, c));
    return channel;
  }

  private synchronized void forget(Node from, String key, TlsChannel c) {
    Map<String, TlsChannel> mine = channels.get(from);
    if (mine != null && mine.get(key) == c) {
      mine.remove(key);
    }
  }

  /** Open channels (for status and tests). */
  public synchronized int openChannels() {
    return channels.values().stream().mapToInt(Map::size).sum();
  }

  @Override
  public void close() {
    List<TlsChannel> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      channels.values().forEach(m -> all.addAll(m.values()));
      channels.clear();
    }
    refresher.shutdownNow();
    all.forEach(TlsChannel::close);
  }
}
