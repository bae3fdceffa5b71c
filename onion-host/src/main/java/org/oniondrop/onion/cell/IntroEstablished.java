package org.oniondrop.onion.cell;

import java.util.List;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;

/** INTRO_ESTABLISHED (relay command 38): {@code N_EXTENSIONS(1) | extensions}. */
public record IntroEstablished(List<Extension> extensions) {

  public IntroEstablished {
    extensions = List.copyOf(extensions);
  }

  public static IntroEstablished decode(ByteReader r) throws DecodeException {
    return new IntroEstablished(Extension.decodeList(r));
  }

  public void encode(ByteWriter w) {
    Extension.encodeList(w, extensions);
  }
}
