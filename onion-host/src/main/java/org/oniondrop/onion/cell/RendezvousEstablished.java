package org.oniondrop.onion.cell;

import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;

/** RENDEZVOUS_ESTABLISHED (relay command 39): empty; extra bytes are ignored. */
public record RendezvousEstablished() {

  public static RendezvousEstablished decode(ByteReader r) {
    r.rest();
    return new RendezvousEstablished();
  }

  public void encode(ByteWriter w) {
    // empty body
  }
}
