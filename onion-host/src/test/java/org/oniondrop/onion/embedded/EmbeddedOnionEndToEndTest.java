package org.oniondrop.onion.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.oniondrop.onion.client.OnionClient;
import org.oniondrop.onion.client.SocksServer;
import org.oniondrop.onion.keys.HsIdentity;
import org.oniondrop.onion.service.OnionService;
import org.oniondrop.onion.service.ServiceConfig;

/**
 * A local web app reached through the embedded onion network's SOCKS port, by a Java SOCKS client
 * and by real curl: bodies checksummed both ways, and many concurrent streams.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedOnionEndToEndTest {

  private static final long MIB = 1024 * 1024;

  private final SecureRandom random = new SecureRandom();
  private TestHttpServer http;
  private EmbeddedNetwork network;
  private final List<OnionService> services = new ArrayList<>();
  private OnionClient client;
  private SocksServer socks;

  @BeforeAll
  void start() throws Exception {
    http = new TestHttpServer();
    network = EmbeddedNetwork.start(EmbeddedNetwork.DEFAULT_RELAYS, Clock.systemUTC(), random);
    for (int i = 0; i < 3; i++) {
      services.add(
          new OnionService(
                  network,
                  ServiceConfig.of(HsIdentity.generate(random), 80, http.address()),
                  random)
              .start());
    }
    for (OnionService s : services) {
      s.published().get(60, TimeUnit.SECONDS);
    }
    client = new OnionClient(network, random);
    socks = SocksServer.start(client, 0);
  }

  @AfterAll
  void stop() {
    socks.close();
    client.close();
    services.forEach(OnionService::close);
    network.close();
    http.close();
  }

  private String host(int i) {
    return services.get(i).address().toString();
  }

  /** Sends an HTTP/1.0 request through SOCKS and returns the body's SHA-256 and length. */
  private String[] httpThroughSocks(String host, String requestLine, long uploadBytes, long seed)
      throws Exception {
    Socks5TestClient.Result r = Socks5TestClient.connect(socks.port(), host, 80);
    assertThat(r.reply()).isZero();
    try (Socket s = r.socket()) {
      OutputStream out = s.getOutputStream();
      String head = requestLine + " HTTP/1.0\r\nHost: " + host + "\r\n";
      if (uploadBytes > 0) {
        head += "Content-Length: " + uploadBytes + "\r\n";
      }
      out.write((head + "\r\n").getBytes(StandardCharsets.US_ASCII));
      if (uploadBytes > 0) {
        TestHttpServer.writeRandom(out, uploadBytes, seed);
      }
      out.flush();
      InputStream in = s.getInputStream();
      String status = readHead(in);
      String sha = TestHttpServer.sha256(in);
      return new String[] {status, sha};
    }
  }

  private static String readHead(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    int matched = 0;
    while (matched < 4) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      head.append((char) c);
      matched = (c == '\r' || c == '\n') ? matched + 1 : 0;
    }
    return head.toString().lines().findFirst().orElse("");
  }

  @Test
  void downloadsAndUploadsOf1MiBAnd100MiBArriveIntact() throws Exception {
    for (long size : new long[] {MIB, 100 * MIB}) {
      String[] down = httpThroughSocks(host(0), "GET /bytes?n=" + size + "&seed=7", 0, 0);
      assertThat(down[0]).contains("200");
      assertThat(down[1])
          .as("download of %d bytes", size)
          .isEqualTo(TestHttpServer.sha256OfRandom(size, 7));
    }
    for (long size : new long[] {MIB, 100 * MIB}) {
      Socks5TestClient.Result r = Socks5TestClient.connect(socks.port(), host(1), 80);
      try (Socket s = r.socket()) {
        OutputStream out = s.getOutputStream();
        out.write(
            ("POST /sha256 HTTP/1.0\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n")
                .getBytes());
        TestHttpServer.writeRandom(out, size, 11);
        out.flush();
        InputStream in = s.getInputStream();
        assertThat(readHead(in)).contains("200");
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII))
            .as("upload of %d bytes", size)
            .isEqualTo(TestHttpServer.sha256OfRandom(size, 11));
      }
    }
  }

  /**
   * A reader that stalls: the client's bridge fills the socket, its gathering writes are cut short
   * mid-cell, and the stream window stops the service. Every byte still arrives, in order.
   */
  @Test
  void aReaderThatStallsGetsEveryByteInOrder() throws Exception {
    long size = 12 * MIB;
    Socks5TestClient.Result r = Socks5TestClient.connect(socks.port(), host(2), 80);
    assertThat(r.reply()).isZero();
    try (Socket s = r.socket()) {
      s.getOutputStream()
          .write(
              ("GET /bytes?n=" + size + "&seed=5 HTTP/1.0\r\nHost: x\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      assertThat(readHead(in)).contains("200");
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[777]; // odd reads, never aligned with cells
      long got = 0;
      long nextStall = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
        got += n;
        if (got >= nextStall) {
          Thread.sleep(300); // the socket and then the windows fill meanwhile
          nextStall += 3 * MIB;
        }
      }
      assertThat(got).isEqualTo(size);
      assertThat(java.util.HexFormat.of().formatHex(sha.digest()))
          .isEqualTo(TestHttpServer.sha256OfRandom(size, 5));
    }
  }

  @Test
  void realCurlGetsAndPostsThroughTheSocksPort(@TempDir Path tmp) throws Exception {
    Path body = tmp.resolve("body.bin");
    Process get =
        new ProcessBuilder(
                "curl",
                "-sS",
                "--max-time",
                "120",
                "--socks5-hostname",
                "127.0.0.1:" + socks.port(),
                "-o",
                body.toString(),
                "http://" + host(2) + "/bytes?n=" + MIB + "&seed=3")
            .redirectErrorStream(true)
            .start();
    String out = new String(get.getInputStream().readAllBytes());
    assertThat(get.waitFor(150, TimeUnit.SECONDS)).isTrue();
    assertThat(get.exitValue()).as(out).isZero();
    try (InputStream in = Files.newInputStream(body)) {
      assertThat(TestHttpServer.sha256(in)).isEqualTo(TestHttpServer.sha256OfRandom(MIB, 3));
    }

    Path upload = tmp.resolve("upload.bin");
    try (OutputStream o = Files.newOutputStream(upload)) {
      TestHttpServer.writeRandom(o, MIB, 5);
    }
    Process post =
        new ProcessBuilder(
                "curl",
                "-sS",
                "--max-time",
                "120",
                "--socks5-hostname",
                "127.0.0.1:" + socks.port(),
                "--data-binary",
                "@" + upload,
                "http://" + host(2) + "/sha256")
            .start();
    String answer = new String(post.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    assertThat(post.waitFor(150, TimeUnit.SECONDS)).isTrue();
    assertThat(answer).isEqualTo(TestHttpServer.sha256OfRandom(MIB, 5));
  }

  @Test
  void aHundredConcurrentStreamsOverSeveralServices() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(100);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        int n = i;
        results.add(
            pool.submit(
                () -> {
                  long size = 64 * 1024 + n * 1000L;
                  String[] r =
                      httpThroughSocks(host(n % 3), "GET /bytes?n=" + size + "&seed=" + n, 0, 0);
                  return r[1].equals(TestHttpServer.sha256OfRandom(size, n));
                }));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get(180, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
