package org.oniondrop.onion.cell;

import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;

/**
 * RENDEZVOUS1 (service to rendezvous point, relay command 36): {@code RENDEZVOUS_COOKIE(20) |
 * HANDSHAKE_INFO}, where HANDSHAKE_INFO = SERVER_PK Y(32) | AUTH(32) for hs-ntor.
 */
public record Rendezvous1(byte[] cookie, byte[] handshakeInfo) {

  /** HANDSHAKE_INFO is at most what fits in a cell. */
  public static final int MAX_HANDSHAKE_INFO =
      RelayCell.MAX_DATA - IntroducePlaintext.COOKIE_LENGTH;

  public static Rendezvous1 decode(ByteReader r) throws DecodeException {
    byte[] cookie = r.bytes(IntroducePlaintext.COOKIE_LENGTH, "rendezvous cookie");
    return new Rendezvous1(cookie, r.rest());
  }

  public void encode(ByteWriter w) {
    w.bytes(cookie).bytes(handshakeInfo);
  }
}
