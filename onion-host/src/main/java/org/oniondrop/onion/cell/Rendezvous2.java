package org.oniondrop.onion.cell;

import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;

/** RENDEZVOUS2 (rendezvous point to client, relay command 37): {@code HANDSHAKE_INFO}. */
public record Rendezvous2(byte[] handshakeInfo) {

  public static Rendezvous2 decode(ByteReader r) {
    return new Rendezvous2(r.rest());
  }

  public void encode(ByteWriter w) {
    w.bytes(handshakeInfo);
  }
}
