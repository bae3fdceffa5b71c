package org.oniondrop.onion.cell;

import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;

/** CREATED2 (cell command 11): {@code HLEN(2) | HDATA}; EXTENDED2 has the same body. */
public record Created2(byte[] handshakeData) {

  public static Created2 decode(ByteReader r) throws DecodeException {
    int len = r.u16("handshake length");
    if (len > Cell.PAYLOAD_LENGTH - 2) {
      throw new DecodeException("CREATED2 handshake length " + len + " does not fit a cell");
    }
    return new Created2(r.bytes(len, "handshake data"));
  }

  public void encode(ByteWriter w) {
    w.u16(handshakeData.length).bytes(handshakeData);
  }
}
