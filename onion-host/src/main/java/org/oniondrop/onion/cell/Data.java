package org.oniondrop.onion.cell;

import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;

/** DATA (relay command 2): up to {@value RelayCell#MAX_DATA} bytes of stream data. */
public record Data(byte[] bytes) {

  public static Data decode(ByteReader r) throws DecodeException {
    if (r.remaining() > RelayCell.MAX_DATA) {
      throw new DecodeException("DATA longer than " + RelayCell.MAX_DATA + " bytes");
    }
    return new Data(r.rest());
  }

  public void encode(ByteWriter w) {
    w.bytes(bytes);
  }
}
