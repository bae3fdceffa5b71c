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
import org.oniondrop.onion.client.OnionClient;
import org.oniondrop.onion.client.SocksServer;
import org.oniondrop.onion.embedded.EmbeddedNetwork;
import org.oniondrop.onion.embedded.Socks5TestClient;
import org.oniondrop.onion.embedded.TestHttpServer;
import org.oniondrop.onion.keys.HsIdentity;
import org.oniondrop.onion.service.OnionService;
import org.oniondrop.onion.service.ServiceConfig;

/**
 * For onion-host/bench/onion-vs-direct.sh (not a test): downloads SIZE MiB from a local HTTP server
 * directly over loopback and through the embedded onion network's SOCKS port, in the same run, and
 * times fresh onion connections (new rendezvous each) to the first byte.
 *
 * <p>Usage: {@code OnionBenchmark [SIZE_MIB=100] [RUNS=3] [FRESH=50]}.
 */
public final class OnionBenchmark {

  private OnionBenchmark() {}

  public static void main(String[] args) throws Exception {
    long size = (args.length > 0 ? Long.parseLong(args[0]) : 100) * 1024 * 1024;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int fresh = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    SecureRandom random = new SecureRandom();
    try (TestHttpServer http = new TestHttpServer();
        EmbeddedNetwork network =
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
      String path = "/bytes?n=" + size + "&seed=1";

      download(
          () -> new Socket(InetAddress.getLoopbackAddress(), http.port()),
          path,
          16L << 20); // warm-up
      download(() -> Socks5TestClient.connect(socks.port(), host, 80).socket(), path, 16L << 20);
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
      target("onion bulk MB/s >= 100", o, o >= 100);
      target("onion/direct loopback >= 0.20", o / d, o / d >= 0.2);

      List<Double> ttfb = new ArrayList<>();
      for (int i = 0; i < fresh; i++) {
        client.forgetCircuits();
        long t0 = System.nanoTime();
        try (Socket s = Socks5TestClient.connect(socks.port(), host, 80).socket()) {
          OutputStream out = s.getOutputStream();
          out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          if (s.getInputStream().read() < 0) {
            throw new IllegalStateException("no first byte");
          }
        }
        ttfb.add((System.nanoTime() - t0) / 1e6);
      }
      Collections.sort(ttfb);
      System.out.printf(
          "fresh_connections=%d ttfb_ms p50=%.1f p95=%.1f max=%.1f%n",
          fresh, percentile(ttfb, 50), percentile(ttfb, 95), ttfb.get(ttfb.size() - 1));
      double p50 = percentile(ttfb, 50);
      double p95 = percentile(ttfb, 95);
      target("fresh-connection TTFB p50 ms <= 20", p50, p50 <= 20);
      target("fresh-connection TTFB p95 ms <= 40", p95, p95 <= 40);
    }
  }

  /** Issue 16's targets, one line each, for the script's reader. */
  private static void target(String what, double value, boolean met) {
    System.out.printf("TARGET %s: %.2f %s%n", what, value, met ? "PASS" : "FAIL");
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
