package org.oniondrop.onion.cell;

import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;

/**
 * CONNECTED (relay command 4, tor-spec §6.2): empty (what onion services send), or {@code IPv4(4) |
 * TTL(4)}, or {@code 00000000 | 06 | IPv6(16) | TTL(4)}.
 */
public record Connected(byte[] address, long ttl) {

  /** The empty CONNECTED of a rendezvous stream. */
  public static Connected empty() {
    return new Connected(new byte[0], 0);
  }

  public static Connected decode(ByteReader r) throws DecodeException {
    if (r.remaining() == 0) {
      return empty();
    }
    byte[] v4 = r.bytes(4, "address");
    if (v4[0] == 0 && v4[1] == 0 && v4[2] == 0 && v4[3] == 0) {
      int type = r.u8("address type");
      if (type != 6) {
        throw new DecodeException("CONNECTED address type " + type + " is not IPv6 (6)");
      }
      byte[] v6 = r.bytes(16, "IPv6 address");
      return new Connected(v6, r.u32("ttl"));
    }
    return new Connected(v4, r.u32("ttl"));
  }

  public void encode(ByteWriter w) {
    if (address.length == 0) {
      return;
    }
    if (address.length == 16) {
      w.u32(0).u8(6);
    }
    w.bytes(address).u32(ttl);
  }
}
