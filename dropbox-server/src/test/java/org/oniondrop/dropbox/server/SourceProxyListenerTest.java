package org.oniondrop.dropbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The PROXY-protocol source listener (the contract with onion-host and tor's {@code
 * HiddenServiceExportCircuitID haproxy}): the circuit id in the header's source address is the
 * client identity source-side limits use; a connection without the header gets nothing; the plain
 * listener never reads a header, so a circuit cannot be spoofed there.
 */
@QuarkusTest
class SourceProxyListenerTest {

  @Inject Listeners listeners;

  @TestHTTPResource("/")
  URL base;

  /** tor's line: fc00:dead:beef:4dad::XXXX:YYYY carries the global circuit id. */
  private static String proxyLine(long circuit) {
    return "PROXY TCP6 fc00:dead:beef:4dad::"
        + Long.toHexString(circuit >>> 16)
        + ":"
        + Long.toHexString(circuit & 0xffff)
        + " ::1 "
        + (40000 + circuit % 1000)
        + " 80\r\n";
  }

  /** One request on a fresh connection; returns the status line, or "" if the server closed. */
  private static String exchange(int port, String prefix, String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(15_000);
      OutputStream out = s.getOutputStream();
      out.write((prefix + request).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] all = in.readAllBytes();
      String text = new String(all, StandardCharsets.ISO_8859_1);
      int eol = text.indexOf("\r\n");
      return eol < 0 ? text : text.substring(0, eol);
    } catch (SocketTimeoutException e) {
      return "timeout";
    }
  }

  private static final String GENERATE =
      "GET /generate HTTP/1.1\r\nHost: x.onion\r\nConnection: close\r\n\r\n";

  @Test
  void sessionCreationIsLimitedPerExportedCircuit() throws IOException {
    // Given the PROXY listener, and 20 session creations allowed per circuit per minute
    int port = listeners.sourceProxyPort();
    assertThat(port).isPositive();
    long flooder = 0x1_0002L;
    // When one circuit opens sessions on 25 connections
    int ok = 0;
    int limited = 0;
    for (int i = 0; i < 25; i++) {
      String status = exchange(port, proxyLine(flooder), GENERATE);
      if (status.startsWith("HTTP/1.1 200")) {
        ok++;
      } else if (status.startsWith("HTTP/1.1 429")) {
        limited++;
      }
    }
    // Then the first 20 got a session, the rest 429, and another circuit is not affected
    assertThat(ok).isEqualTo(20);
    assertThat(limited).isEqualTo(5);
    assertThat(exchange(port, proxyLine(7), GENERATE)).startsWith("HTTP/1.1 200");
  }

  @Test
  void aConnectionWithoutTheHeaderGetsNoAnswer() throws IOException {
    assertThat(exchange(listeners.sourceProxyPort(), "", GENERATE)).doesNotStartWith("HTTP/1.1 2");
    assertThat(exchange(listeners.sourceProxyPort(), "", GENERATE)).isIn("", "timeout");
  }

  @Test
  void thePlainListenerNeverReadsAHeader() throws IOException {
    // A PROXY line sent to the plain source listener is not HTTP: refused, never trusted
    assertThat(exchange(base.getPort(), proxyLine(9), GENERATE)).matches("HTTP/1\\.[01] 400 .*");
    assertThat(exchange(base.getPort(), "", GENERATE)).startsWith("HTTP/1.1 200");
  }
}
