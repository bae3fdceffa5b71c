package org.oniondrop.onion.cell;

import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;

/** END (relay command 3, tor-spec §6.3): {@code REASON(1)} and reason-specific data, kept raw. */
public record End(int reason, byte[] extra) {

  public static final int MISC = 1;
  public static final int RESOLVEFAILED = 2;
  public static final int CONNECTREFUSED = 3;
  public static final int EXITPOLICY = 4;
  public static final int DESTROY = 5;
  public static final int DONE = 6;
  public static final int TIMEOUT = 7;
  public static final int NOROUTE = 8;
  public static final int HIBERNATING = 9;
  public static final int INTERNAL = 10;
  public static final int RESOURCELIMIT = 11;
  public static final int CONNRESET = 12;
  public static final int TORPROTOCOL = 13;

  public static End of(int reason) {
    return new End(reason, new byte[0]);
  }

  public static End decode(ByteReader r) throws DecodeException {
    if (r.remaining() == 0) {
      return of(MISC); // tor-spec: an empty END is treated as MISC
    }
    return new End(r.u8("reason"), r.rest());
  }

  public void encode(ByteWriter w) {
    w.u8(reason).bytes(extra);
  }
}
