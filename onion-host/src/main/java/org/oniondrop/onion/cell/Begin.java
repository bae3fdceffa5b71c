package org.oniondrop.onion.cell;

import java.nio.charset.StandardCharsets;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;

/**
 * BEGIN (relay command 1, tor-spec §6.2): {@code ADDRPORT NUL [FLAGS(4)]}. C tor clients send an
 * empty host to onion services ({@code ":80"}); hosts may be names, IPv4, or bracketed IPv6.
 */
public record Begin(String host, int port, long flags) {

  /** Longest ADDRPORT accepted: a DNS name (255) plus port and brackets. */
  public static final int MAX_ADDRPORT = 300;

  public static Begin decode(ByteReader r) throws DecodeException {
    int nul = -1;
    byte[] rest = r.rest();
    for (int i = 0; i < rest.length && i <= MAX_ADDRPORT; i++) {
      if (rest[i] == 0) {
        nul = i;
        break;
      }
    }
    if (nul < 0) {
      throw new DecodeException(
          "BEGIN address is not NUL-terminated within " + MAX_ADDRPORT + " bytes");
    }
    String addrPort = new String(rest, 0, nul, StandardCharsets.US_ASCII);
    int colon = addrPort.lastIndexOf(':');
    if (colon < 0) {
      throw new DecodeException("BEGIN address has no port");
    }
    String host = addrPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(addrPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new DecodeException("BEGIN port is not a number");
    }
    if (port < 1 || port > 65535) {
      throw new DecodeException("BEGIN port " + port + " outside 1..65535");
    }
    long flags = 0;
    if (rest.length - nul - 1 >= 4) {
      flags = ByteReader.of(rest, nul + 1, 4).u32("flags");
    }
    return new Begin(host, port, flags);
  }

  public void encode(ByteWriter w) {
    String h = host.contains(":") ? "[" + host + "]" : host;
    w.bytes((h + ":" + port).getBytes(StandardCharsets.US_ASCII)).u8(0);
    if (flags != 0) {
      w.u32(flags);
    }
  }
}
