package org.oniondrop.onion.embedded;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;

/**
 * A local web app for the tests: {@code GET /bytes?n=N&seed=S} streams N pseudo-random bytes,
 * {@code POST /sha256} answers the SHA-256 hex of the body, {@code GET /} a short page.
 */
public final class TestHttpServer implements AutoCloseable {

  private final HttpServer server;

  public TestHttpServer() throws IOException {
    this(0);
  }

  /** On 127.0.0.1:{@code port} (0: a free one), for a benchmark whose other host needs it first. */
  public TestHttpServer(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    server.setExecutor(
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "test-http");
              t.setDaemon(true);
              return t;
            }));
    server.createContext(
        "/",
        exchange -> {
          byte[] page = "hello from an onion service\n".getBytes();
          exchange.sendResponseHeaders(200, page.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(page);
          }
        });
    server.createContext(
        "/bytes",
        exchange -> {
          String q = exchange.getRequestURI().getQuery();
          long n = Long.parseLong(q.replaceAll(".*n=(\\d+).*", "$1"));
          long seed = Long.parseLong(q.replaceAll(".*seed=(\\d+).*", "$1"));
          exchange.sendResponseHeaders(200, n);
          try (OutputStream out = exchange.getResponseBody()) {
            writeRandom(out, n, seed);
          }
        });
    server.createContext(
        "/sha256",
        exchange -> {
          String hex;
          try (InputStream in = exchange.getRequestBody()) {
            hex = sha256(in);
          }
          byte[] body = hex.getBytes();
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  /**
   * N pseudo-random bytes from {@code seed}, eight at a time from a {@link SplittableRandom}.
   * ({@code java.util.Random} makes its bytes four at a time behind an atomic compare-and-set:
   * serving a benchmark's download, it took a sixth of the machine's CPU from the path being
   * measured.)
   */
  public static void writeRandom(OutputStream out, long n, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] buf = new byte[65536];
    while (n > 0) {
      for (int i = 0; i < buf.length; i += Long.BYTES) {
        LONGS.set(buf, i, random.nextLong());
      }
      int k = (int) Math.min(buf.length, n);
      out.write(buf, 0, k);
      n -= k;
    }
  }

  public static String sha256OfRandom(long n, long seed) throws IOException {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      OutputStream sink =
          new OutputStream() {
            @Override
            public void write(int b) {
              d.update((byte) b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
              d.update(b, off, len);
            }
          };
      writeRandom(sink, n, seed);
      return HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sha256(InputStream in) throws IOException {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[65536];
      int k;
      while ((k = in.read(buf)) > 0) {
        d.update(buf, 0, k);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
