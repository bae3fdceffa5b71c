package org.oniondrop.onion.client;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.Arrays;

/**
 * Fuzz target for the SOCKS5 handshake (RFC 1928, RFC 1929) as the SOCKS port parses it. The input
 * is framed as {@code LEN(1) greeting LEN(2) password-message command}, each part as the client
 * sends it after our answer. Nothing but a null (refused) result may come out.
 */
class SocksFuzzTest {

  @FuzzTest
  void handshake(byte[] input) throws IOException {
    int pos = 0;
    if (input.length < 3) {
      return;
    }
    int greetingLen = input[pos++] & 0xff;
    byte[] greeting = Arrays.copyOfRange(input, pos, Math.min(input.length, pos + greetingLen));
    pos = Math.min(input.length, pos + greetingLen);
    int passwordLen = 0;
    if (pos + 2 <= input.length) {
      passwordLen = ((input[pos] & 0xff) << 8) | (input[pos + 1] & 0xff);
      pos += 2;
    }
    byte[] password = Arrays.copyOfRange(input, pos, Math.min(input.length, pos + passwordLen));
    pos = Math.min(input.length, pos + passwordLen);
    byte[] command = Arrays.copyOfRange(input, pos, input.length);
    SocksServer.Handshake h = SocksServer.parseHandshake(greeting, password, command);
    if (h != null && h.request().dstAddr() == null) {
      throw new IllegalStateException("a request without an address");
    }
  }
}
