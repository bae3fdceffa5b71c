package org.oniondrop.onion.cell;

import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;

/** CREATE2 (cell command 10, tor-spec §5.1): {@code HTYPE(2) | HLEN(2) | HDATA}. */
public record Create2(int handshakeType, byte[] handshakeData) {

  public static final int HTYPE_NTOR = 2;

  public static Create2 decode(ByteReader r) throws DecodeException {
    int type = r.u16("handshake type");
    int len = r.u16("handshake length");
    if (len > Cell.PAYLOAD_LENGTH - 4) {
      throw new DecodeException("CREATE2 handshake length " + len + " does not fit a cell");
    }
    return new Create2(type, r.bytes(len, "handshake data"));
  }

  public void encode(ByteWriter w) {
    w.u16(handshakeType).u16(handshakeData.length).bytes(handshakeData);
  }
}
