package org.oniondrop.onion.dir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP/1.0 GETs to an authority's DirPort (dir-spec §4, §6.2), uncompressed. Tor clients fetch from
 * directory caches over BEGIN_DIR instead; a DirPort is what a private network's authorities offer
 * and what the public ones still answer. Every answer is bounded by the caller's limit.
 */
public final class DirectoryFetcher {

  /** Connect and read timeout for one request. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Response headers longer than this are refused. */
  static final int MAX_HEADER_BYTES = 16 * 1024;

  /** Fetches {@code path} from {@code authority}; returns the body of a 200 answer. */
  public String get(DirAuthority authority, String path, int maxBytes) throws DirException {
    try (Socket s = new Socket()) {
      s.connect(
          new InetSocketAddress(authority.address(), authority.dirPort()),
          (int) TIMEOUT.toMillis());
      s.setSoTimeout((int) TIMEOUT.toMillis());
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.0\r\nHost: " + authority.address() + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      byte[] chunk = new byte[16 * 1024];
      int limit = maxBytes + MAX_HEADER_BYTES;
      int n;
      while ((n = in.read(chunk)) > 0) {
        if (buf.size() + n > limit) {
          throw new DirException(authority + path + ": answer larger than " + maxBytes + " bytes");
        }
        buf.write(chunk, 0, n);
      }
      String raw = buf.toString(StandardCharsets.ISO_8859_1);
      int headEnd = raw.indexOf("\r\n\r\n");
      if (!raw.startsWith("HTTP/1.") || headEnd < 0 || headEnd > MAX_HEADER_BYTES) {
        throw new DirException(authority + path + ": not an HTTP answer");
      }
      String[] status = raw.substring(0, raw.indexOf("\r\n")).split(" ", 3);
      if (status.length < 2 || !status[1].equals("200")) {
        throw new DirException(
            authority + path + ": HTTP " + (status.length > 1 ? status[1] : "?"));
      }
      return raw.substring(headEnd + 4);
    } catch (IOException e) {
      throw new DirException(
          authority + path + ": " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
    }
  }
}
