package org.oniondrop.onion.cell;

import java.util.List;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;

/** INTRODUCE_ACK (relay command 40): {@code STATUS(2) | N_EXTENSIONS(1) | extensions}. */
public record IntroduceAck(int status, List<Extension> extensions) {

  public static final int SUCCESS = 0;
  public static final int UNKNOWN_SERVICE = 1;
  public static final int BAD_FORMAT = 2;
  public static final int CANT_RELAY = 3;

  public IntroduceAck {
    extensions = List.copyOf(extensions);
  }

  public static IntroduceAck decode(ByteReader r) throws DecodeException {
    return new IntroduceAck(r.u16("status"), Extension.decodeList(r));
  }

  public void encode(ByteWriter w) {
    w.u16(status);
    Extension.encodeList(w, extensions);
  }
}
