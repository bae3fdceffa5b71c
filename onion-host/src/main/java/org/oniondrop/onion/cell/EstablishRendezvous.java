package org.oniondrop.onion.cell;

import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;

/**
 * ESTABLISH_RENDEZVOUS (relay command 33): {@code RENDEZVOUS_COOKIE(20)}; trailing bytes are
 * ignored (rend-spec-v3 §4.1).
 */
public record EstablishRendezvous(byte[] cookie) {

  public static EstablishRendezvous decode(ByteReader r) throws DecodeException {
    byte[] cookie = r.bytes(IntroducePlaintext.COOKIE_LENGTH, "rendezvous cookie");
    r.rest();
    return new EstablishRendezvous(cookie);
  }

  public void encode(ByteWriter w) {
    w.bytes(cookie);
  }
}
