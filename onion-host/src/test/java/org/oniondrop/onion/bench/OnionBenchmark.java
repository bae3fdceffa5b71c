package org.oniondrop.onion.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.oniondrop.onion.cell.Cell;
import org.oniondrop.onion.cell.RelayCell;
import org.oniondrop.onion.client.OnionClient;
import org.oniondrop.onion.client.SocksServer;
import org.oniondrop.onion.embedded.EmbeddedNetwork;
import org.oniondrop.onion.embedded.Socks5TestClient;
import org.oniondrop.onion.embedded.TestHttpServer;
import org.oniondrop.onion.keys.HsIdentity;
import org.oniondrop.onion.relaycrypto.RelayLayer;
import org.oniondrop.onion.service.OnionService;
import org.oniondrop.onion.service.ServiceConfig;

/**
 * For onion-host/bench/onion-vs-direct.sh (not a test): in one run, downloads SIZE MiB from a local
 * HTTP server directly over loopback and through the embedded onion network's SOCKS port, times
 * fresh onion connections (new rendezvous each) to the first byte, and then does the same through a
 * C tor client to the same server hosted by a C tor onion service on tools/tornet (started by the
 * script), printing the ratios embedded / C tor.
 *
 * <p>Usage: {@code OnionBenchmark [SIZE_MIB=32] [RUNS=3] [FRESH=50]}. System properties from the
 * script: {@code bench.http.port} (the server's port, which the C tor host already points at),
 * {@code bench.ctor.socks} (tornet's client SOCKS port) and {@code bench.ctor.onion} (the C tor
 * host's address), or {@code bench.ctor.skip} (why there is no C tor side).
 */
public final class OnionBenchmark {

  /** How long the C tor host may take to publish and be reached by the C tor client. */
  private static final long CTOR_REACH_TIMEOUT_MS = 120_000;

  /** New streams on an open circuit, timed for context. */
  private static final int WARM = 10;

  /**
   * Fresh connections the embedded side makes before its timed ones (property {@code
   * bench.fresh.warmup}), as JMH runs warm-up iterations: the JVM compiles the handshake paths
   * during the first hundred or so, which a server that has run for a while has long done. The
   * first FRESH of them are printed as the cold figure. C tor, compiled ahead of time, gets none:
   * 200 more isolated fresh connections within seconds slowed its later ones from a p50 of 0.21 s
   * to 0.8 s in a trial here, which would flatter the embedded side.
   */
  private static final int FRESH_WARMUP = Integer.getInteger("bench.fresh.warmup", 200);

  private static final String GET_ROOT = "GET / HTTP/1.0\r\n\r\n";

  /**
   * Bytes the embedded side downloads through the onion before its timed runs. With 16 MiB, the
   * JIT's compiler threads still had 14 % of the CPU samples of a 600 MiB run (async-profiler), and
   * in runs of 3 x 100 MiB the first timed run was often the slowest (42 MB/s against 49-50).
   */
  private static final long ONION_WARMUP_BYTES = 64L << 20;

  /** How long the digest and crypto bounds are measured, each after as long again to warm up. */
  private static final long DIGEST_BOUND_MS = 3_000;

  private OnionBenchmark() {}

  /** Bulk MB/s (median of the runs) and fresh-connection time to first byte, in ms, sorted. */
  private record Measured(double bulkMbS, List<Double> ttfbMs, double coldP50) {
    double p50() {
      return percentile(ttfbMs, 50);
    }

    double p95() {
      return percentile(ttfbMs, 95);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("--crypto-bound")) {
      // For dropbox-server/bench/upload-direct-vs-onion.sh: the onion's share of its bound.
      printCryptoBound();
      return;
    }
    long size = (args.length > 0 ? Long.parseLong(args[0]) : 32) * 1024 * 1024;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int fresh = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    String ctorSkip = System.getProperty("bench.ctor.skip");
    String ctorOnion = System.getProperty("bench.ctor.onion");
    if (ctorSkip == null && ctorOnion == null) {
      ctorSkip = "no C tor host given (run onion-host/bench/onion-vs-direct.sh)";
    }
    try (TestHttpServer http = new TestHttpServer(Integer.getInteger("bench.http.port", 0))) {
      String path = "/bytes?n=" + size + "&seed=1";
      Measured embedded = embedded(http, path, size, runs, fresh);
      if (ctorSkip != null) {
        System.out.println("ctor SKIPPED: " + ctorSkip);
        skipped("embedded bulk / C tor bulk >= 1.5", ctorSkip);
        skipped("embedded fresh TTFB p50 / C tor p50 < 1.0", ctorSkip);
        return;
      }
      Measured ctor =
          ctor(Integer.getInteger("bench.ctor.socks"), ctorOnion, path, size, runs, fresh);
      double bulk = embedded.bulkMbS() / ctor.bulkMbS();
      double p50 = embedded.p50() / ctor.p50();
      System.out.printf(
          "ratio embedded/ctor bulk=%.2f ttfb_p50=%.2f ttfb_p95=%.2f%n",
          bulk, p50, embedded.p95() / ctor.p95());
      System.out.printf(
          "ratio embedded cold/ctor ttfb_p50=%.2f (for context, no target)%n",
          embedded.coldP50() / ctor.p50());
      target("embedded bulk / C tor bulk >= 1.5", bulk, bulk >= 1.5);
      target("embedded fresh TTFB p50 / C tor p50 < 1.0", p50, p50 < 1.0);
    }
  }

  /** The embedded network's measurement and issue 16's targets for it (unchanged). */
  private static Measured embedded(TestHttpServer http, String path, long size, int runs, int fresh)
      throws Exception {
    SecureRandom random = new SecureRandom();
    try (EmbeddedNetwork network =
            EmbeddedNetwork.start(EmbeddedNetwork.DEFAULT_RELAYS, Clock.systemUTC(), random);
        OnionService service =
            new OnionService(
                    network,
                    ServiceConfig.of(HsIdentity.generate(random), 80, http.address()),
                    random)
                .start();
        OnionClient client = new OnionClient(network, random);
        SocksServer socks = SocksServer.start(client, 0)) {
      service.published().get(60, TimeUnit.SECONDS);
      String host = service.address().toString();

      download(
          () -> new Socket(InetAddress.getLoopbackAddress(), http.port()),
          path,
          16L << 20); // warm-up
      download(
          () -> Socks5TestClient.connect(socks.port(), host, 80).socket(),
          path,
          ONION_WARMUP_BYTES);
      List<Double> direct = new ArrayList<>();
      List<Double> onion = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        direct.add(
            download(() -> new Socket(InetAddress.getLoopbackAddress(), http.port()), path, size));
        onion.add(
            download(() -> Socks5TestClient.connect(socks.port(), host, 80).socket(), path, size));
      }
      double d = median(direct);
      double o = median(onion);
      System.out.printf("direct_mb_s=%.1f runs=%s%n", d, direct);
      System.out.printf("onion_mb_s=%.1f runs=%s%n", o, onion);
      System.out.printf("ratio onion/direct=%.3f%n", o / d);
      double bound = digestBound();
      System.out.printf(
          "digest_bound_mb_s=%.1f (the virtual hop's SHA3-256 running digests alone, as this"
              + " process runs them: every relay cell stamped by the end that sends it and"
              + " recognized by the end that gets it, one pair of ends per core on %d cores; no"
              + " AES, no relays, no sockets)%n",
          bound, Runtime.getRuntime().availableProcessors());
      System.out.printf("ratio onion/digest_bound=%.2f%n", o / bound);
      double crypto = printCryptoBound();
      System.out.printf("ratio onion/crypto_bound=%.2f%n", o / crypto);
      target("onion bulk MB/s >= 100", o, o >= 100);
      target("onion/direct loopback >= 0.20", o / d, o / d >= 0.2);

      // Fresh: the client drops its rendezvous circuits (keeping the cached descriptor), so each
      // connection builds a new rendezvous circuit and introduces itself again.
      FreshConnector connector = i -> Socks5TestClient.connect(socks.port(), host, 80).socket();
      double coldP50 = warmUp(fresh, client::forgetCircuits, connector);
      List<Double> ttfb = ttfb(fresh, client::forgetCircuits, connector);
      System.out.printf(
          "fresh_connections=%d ttfb_ms p50=%.1f p95=%.1f max=%.1f%n",
          fresh, percentile(ttfb, 50), percentile(ttfb, 95), ttfb.get(ttfb.size() - 1));
      double p50 = percentile(ttfb, 50);
      double p95 = percentile(ttfb, 95);
      target("fresh-connection TTFB p50 ms <= 20", p50, p50 <= 20);
      target("fresh-connection TTFB p95 ms <= 40", p95, p95 <= 40);
      warm("", i -> Socks5TestClient.connect(socks.port(), host, 80).socket());
      return new Measured(o, ttfb, coldP50);
    }
  }

  /**
   * The same through tornet's C tor client to the C tor onion service. Bulk runs share one SOCKS
   * username (one rendezvous circuit, as the embedded client reuses its own); each fresh connection
   * has a SOCKS username of its own, and C tor's IsolateSOCKSAuth (on by default) gives it a new
   * rendezvous circuit and a new introduction, with the descriptor from C tor's cache: the same
   * work as the embedded client's fresh connection. (SIGNAL NEWNYM would also purge C tor's
   * descriptor cache, and C tor delays a NEWNYM sent within 10 s of the previous one: a fetch right
   * after it reuses the open circuit, a warm fetch, not a fresh one.)
   */
  private static Measured ctor(
      int socksPort, String onion, String path, long size, int runs, int fresh) throws Exception {
    String run = Long.toString(System.nanoTime(), 36);
    long t0 = System.nanoTime();
    int attempts = 0;
    while (true) {
      attempts++;
      try (Socket s =
          connectChecked(socksPort, onion, "bench-reach-" + run + "-" + attempts, "reach")) {
        firstByte(s);
        break;
      } catch (java.io.IOException e) {
        if ((System.nanoTime() - t0) / 1_000_000 > CTOR_REACH_TIMEOUT_MS) {
          throw new IllegalStateException(
              "C tor host not reachable after " + attempts + " attempts", e);
        }
        Thread.sleep(1000);
      }
    }
    System.out.printf(
        "ctor host reachable after %.1f s (%d attempts)%n",
        (System.nanoTime() - t0) / 1e9, attempts);
    String bulkUser = "bench-bulk-" + run;
    Connector bulk = () -> connectChecked(socksPort, onion, bulkUser, "x");
    download(bulk, path, 16L << 20); // warm-up (C tor has no JIT to warm: 16 MiB is enough)
    List<Double> mbs = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      mbs.add(download(bulk, path, size));
    }
    double c = median(mbs);
    System.out.printf("ctor_mb_s=%.1f runs=%s%n", c, mbs);
    List<Double> ttfb =
        ttfb(
            fresh,
            () -> {},
            i -> connectChecked(socksPort, onion, "bench-fresh-" + run + "-" + i, "x"));
    System.out.printf(
        "ctor fresh_connections=%d ttfb_ms p50=%.1f p95=%.1f max=%.1f (SOCKS username isolation)%n",
        fresh, percentile(ttfb, 50), percentile(ttfb, 95), ttfb.get(ttfb.size() - 1));
    warm("ctor ", i -> connectChecked(socksPort, onion, bulkUser, "x"));
    return new Measured(c, ttfb, Double.NaN);
  }

  /**
   * For context, not a target: time to first byte of a new stream on an open rendezvous circuit
   * (what a fetch after a rate-limited, so delayed, NEWNYM measures).
   */
  private static void warm(String prefix, FreshConnector connector) throws Exception {
    List<Double> warm = ttfb(WARM, () -> {}, connector);
    System.out.printf(
        "%swarm_streams=%d ttfb_ms p50=%.1f (open circuit; for context, no target)%n",
        prefix, WARM, percentile(warm, 50));
  }

  /**
   * FRESH_WARMUP fresh connections, untimed as far as the targets go; prints the time to first byte
   * of the first {@code fresh} of them (the cold figure) and returns its p50.
   */
  private static double warmUp(int fresh, Runnable before, FreshConnector connector)
      throws Exception {
    if (FRESH_WARMUP <= 0) {
      return Double.NaN;
    }
    List<Double> cold = ttfb(Math.min(fresh, FRESH_WARMUP), before, connector);
    if (FRESH_WARMUP > fresh) {
      ttfb(FRESH_WARMUP - fresh, before, connector);
    }
    System.out.printf(
        "cold_fresh_connections=%d ttfb_ms p50=%.1f p95=%.1f (the first fresh connections of the"
            + " run; then %d more before the timed ones, for context, no target)%n",
        cold.size(), percentile(cold, 50), percentile(cold, 95), Math.max(0, FRESH_WARMUP - fresh));
    return percentile(cold, 50);
  }

  private static Socket connectChecked(int socksPort, String host, String user, String password)
      throws java.io.IOException {
    Socks5TestClient.Result r = Socks5TestClient.connect(socksPort, host, 80, user, password);
    if (r.reply() != 0) {
      r.socket().close();
      throw new java.io.IOException("SOCKS reply " + r.reply());
    }
    return r.socket();
  }

  interface FreshConnector {
    Socket open(int i) throws Exception;
  }

  /**
   * Times FRESH connections from opening to the first byte of {@code GET /}, each after {@code
   * before} (not timed); sorted, in ms.
   */
  private static List<Double> ttfb(int fresh, Runnable before, FreshConnector connector)
      throws Exception {
    List<Double> ttfb = new ArrayList<>();
    for (int i = 0; i < fresh; i++) {
      before.run();
      long t0 = System.nanoTime();
      try (Socket s = connector.open(i)) {
        firstByte(s);
      }
      ttfb.add((System.nanoTime() - t0) / 1e6);
    }
    Collections.sort(ttfb);
    return ttfb;
  }

  private static void firstByte(Socket s) throws java.io.IOException {
    OutputStream out = s.getOutputStream();
    out.write(GET_ROOT.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    if (s.getInputStream().read() < 0) {
      throw new java.io.IOException("no first byte");
    }
  }

  /**
   * A ceiling on the embedded onion's bulk MB/s that the protocol itself puts on this machine: the
   * MB/s of relay data whose onion-service digests (rend-spec-v3 §4.2.1: a SHA3-256 running digest
   * per direction, updated with every relay cell and finalized for the cell's digest field,
   * tor-spec §6.1) both ends can compute with every core busy. The embedded network runs the client
   * and the service in one process, so each cell costs its sender's stamp and its receiver's
   * recognize here, about 2 x (509 / 136 + 1) Keccak permutations for {@value RelayCell#MAX_DATA}
   * bytes.
   */
  private static double digestBound() throws InterruptedException {
    return perCore(
        "digest-bound-",
        () -> {
          byte[] keys = new byte[128];
          new SecureRandom().nextBytes(keys);
          RelayLayer sender = RelayLayer.hsVirtualHop(keys, RelayLayer.Side.ORIGIN);
          RelayLayer receiver = RelayLayer.hsVirtualHop(keys, RelayLayer.Side.RESPONDER);
          return (body, n) -> {
            body[0] = 2; // RELAY_DATA; recognized (bytes 1-2) stays 0
            body[20] = (byte) n;
            sender.stamp(body);
            if (receiver.recognize(body) == null) {
              throw new IllegalStateException("a stamped cell was not recognized");
            }
          };
        });
  }

  /**
   * What one core does to each cell. {@code n} is the number of cells measured so far (0 during the
   * warm-up), which the work writes into the cell so that no two measured cells are alike.
   */
  private interface CellWork {
    void cell(byte[] body, long n);
  }

  /**
   * Runs the work {@code perThread} makes on one thread per core for {@link #DIGEST_BOUND_MS} after
   * as long again to warm up, and returns the MB/s of relay data (RelayCell.MAX_DATA bytes a cell)
   * all of them got through.
   */
  private static double perCore(String name, java.util.function.Supplier<CellWork> perThread)
      throws InterruptedException {
    int cores = Runtime.getRuntime().availableProcessors();
    long[] cells = new long[cores];
    Thread[] threads = new Thread[cores];
    long measureFrom = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DIGEST_BOUND_MS);
    long end = measureFrom + TimeUnit.MILLISECONDS.toNanos(DIGEST_BOUND_MS);
    for (int t = 0; t < cores; t++) {
      int slot = t;
      threads[t] =
          new Thread(
              () -> {
                CellWork work = perThread.get();
                byte[] body = new byte[Cell.PAYLOAD_LENGTH];
                long n = 0;
                long now;
                while ((now = System.nanoTime()) < end) {
                  work.cell(body, n);
                  if (now >= measureFrom) {
                    n++;
                  }
                }
                cells[slot] = n;
              },
              name + t);
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    long total = 0;
    for (long n : cells) {
      total += n;
    }
    return total * RelayCell.MAX_DATA / (DIGEST_BOUND_MS / 1000.0) / 1e6;
  }

  /**
   * Prints and returns {@link #cryptoBound()} with the CPU it means per MB: the floor under any
   * onion path that carries the same cells in one process on these cores.
   */
  private static double printCryptoBound() throws InterruptedException {
    int cores = Runtime.getRuntime().availableProcessors();
    double bound = cryptoBound();
    System.out.printf(
        "crypto_bound_mb_s=%.1f crypto_cpu_ms_per_mb=%.2f (all the relay crypto a cell of the"
            + " embedded path gets, one path per core on %d cores: the virtual hop's stamp and"
            + " recognition, %d AES-CTR layers; no queues, no sockets, no HTTP)%n",
        bound, cores * 1000 / bound, cores, CELL_AES_LAYERS);
    return bound;
  }

  /**
   * AES-CTR layers a cell of the embedded path goes through from the service to the client: the
   * service's virtual hop and its three hops, each of those three relays, the rendezvous point
   * again for the client's circuit, the client circuit's middle and guard, the client's three hops
   * and its virtual hop (circuits of three hops, as {@code PrebuiltCircuits} extends them).
   */
  static final int CELL_AES_LAYERS = 14;

  private static final int HOPS = 3;

  /**
   * Relay data MB/s when every core does nothing but the relay crypto of the embedded path, one
   * path per core, with the same calls in the same order as {@code OriginCircuit} and {@code Relay}
   * make them: the service stamps and encrypts with the virtual hop, then encrypts for its three
   * hops; each relay of the service's circuit decrypts and finds the cell is not for it; the
   * rendezvous point and the client circuit's relays encrypt; the client decrypts and tries to
   * recognize at each of its hops, then at the virtual hop. Measured for {@link #DIGEST_BOUND_MS}
   * after as long again to warm up.
   */
  private static double cryptoBound() throws InterruptedException {
    return perCore(
        "crypto-bound-",
        () -> {
          SecureRandom random = new SecureRandom();
          byte[] hsKeys = new byte[128];
          random.nextBytes(hsKeys);
          RelayLayer serviceEnd = RelayLayer.hsVirtualHop(hsKeys, RelayLayer.Side.RESPONDER);
          RelayLayer clientEnd = RelayLayer.hsVirtualHop(hsKeys, RelayLayer.Side.ORIGIN);
          RelayLayer[] serviceHops = new RelayLayer[HOPS];
          RelayLayer[] serviceRelays = new RelayLayer[HOPS];
          RelayLayer[] clientHops = new RelayLayer[HOPS];
          RelayLayer[] clientRelays = new RelayLayer[HOPS];
          for (int h = 0; h < HOPS; h++) {
            byte[] k = new byte[72];
            random.nextBytes(k);
            serviceHops[h] = RelayLayer.tor1(k, RelayLayer.Side.ORIGIN);
            serviceRelays[h] = RelayLayer.tor1(k, RelayLayer.Side.RESPONDER);
            random.nextBytes(k);
            clientHops[h] = RelayLayer.tor1(k, RelayLayer.Side.ORIGIN);
            clientRelays[h] = RelayLayer.tor1(k, RelayLayer.Side.RESPONDER);
          }
          return (body, n) -> {
            java.util.Arrays.fill(body, 1, 11, (byte) 0); // recognized, stream, digest, length
            body[0] = 2; // RELAY_DATA
            body[20] = (byte) n;
            serviceEnd.stamp(body);
            serviceEnd.encrypt(body);
            for (int h = HOPS - 1; h >= 0; h--) {
              serviceHops[h].encrypt(body);
            }
            for (int h = 0; h < HOPS; h++) {
              serviceRelays[h].decrypt(body);
              serviceRelays[h].recognize(body);
            }
            for (int h = HOPS - 1; h >= 0; h--) {
              clientRelays[h].encrypt(body);
            }
            for (int h = 0; h < HOPS; h++) {
              clientHops[h].decrypt(body);
              clientHops[h].recognize(body);
            }
            clientEnd.decrypt(body);
            if (clientEnd.recognize(body) == null || body[20] != (byte) n) {
              throw new IllegalStateException("a cell did not arrive as it was sent");
            }
          };
        });
  }

  /** Issue 16's targets, one line each, for the script's reader. */
  private static void target(String what, double value, boolean met) {
    System.out.printf("TARGET %s: %.2f %s%n", what, value, met ? "PASS" : "FAIL");
  }

  private static void skipped(String what, String why) {
    System.out.printf("TARGET %s: n/a SKIPPED (%s)%n", what, why);
  }

  interface Connector {
    Socket open() throws Exception;
  }

  private static double download(Connector connector, String path, long size) throws Exception {
    long t0 = System.nanoTime();
    try (Socket s = connector.open()) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET " + path.replaceFirst("n=\\d+", "n=" + size) + " HTTP/1.0\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[65536];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
      }
      if (total < size) {
        throw new IllegalStateException("short download: " + total);
      }
    }
    return size / ((System.nanoTime() - t0) / 1e9) / 1e6;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static double percentile(List<Double> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
