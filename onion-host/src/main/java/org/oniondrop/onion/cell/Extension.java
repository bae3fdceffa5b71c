package org.oniondrop.onion.cell;

import java.util.ArrayList;
import java.util.List;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;

/**
 * An extension in onion-service cells: {@code TYPE(1) | LEN(1) | DATA}, in lists prefixed by {@code
 * N_EXTENSIONS(1)}. Unknown extensions are kept so that they round-trip.
 */
public record Extension(int type, byte[] data) {

  public Extension {
    if (data.length > 255) {
      throw new IllegalArgumentException("extension longer than 255 bytes");
    }
    data = data.clone();
  }

  public static List<Extension> decodeList(ByteReader r) throws DecodeException {
    int n = r.u8("extension count");
    List<Extension> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int type = r.u8("extension type");
      int len = r.u8("extension length");
      out.add(new Extension(type, r.bytes(len, "extension data")));
    }
    return out;
  }

  public static void encodeList(ByteWriter w, List<Extension> extensions) {
    w.u8(extensions.size());
    for (Extension e : extensions) {
      w.u8(e.type()).u8(e.data().length).bytes(e.data());
    }
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Extension e && e.type == type && java.util.Arrays.equals(e.data, data);
  }

  @Override
  public int hashCode() {
    return type * 31 + java.util.Arrays.hashCode(data);
  }
}
