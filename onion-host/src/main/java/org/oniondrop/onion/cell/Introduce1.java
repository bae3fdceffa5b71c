package org.oniondrop.onion.cell;

import java.util.List;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;

/**
 * INTRODUCE1 (client to intro point, relay command 34) and INTRODUCE2 (intro point to service, 35)
 * have the same body (rend-spec-v3 §3.2, §3.3):
 *
 * <pre>
 * LEGACY_KEY_ID(20)=0 | AUTH_KEY_TYPE(1)=02 | AUTH_KEY_LEN(2) | AUTH_KEY | N_EXTENSIONS(1)
 * | extensions | ENCRYPTED = CLIENT_PK(32) | ENCRYPTED_DATA | MAC(32)
 * </pre>
 */
public record Introduce1(
    int authKeyType, byte[] authKey, List<Extension> extensions, byte[] encrypted) {

  /** The smallest ENCRYPTED part: CLIENT_PK and MAC. */
  public static final int MIN_ENCRYPTED = 64;

  public Introduce1 {
    extensions = List.copyOf(extensions);
  }

  public static Introduce1 decode(ByteReader r) throws DecodeException {
    byte[] legacy = r.bytes(20, "legacy key id");
    for (byte b : legacy) {
      if (b != 0) {
        throw new DecodeException("INTRODUCE1 legacy key id is not zero");
      }
    }
    int type = r.u8("auth key type");
    if (type != EstablishIntro.AUTH_KEY_TYPE_ED25519) {
      throw new DecodeException("INTRODUCE1 auth key type " + type + " is not ed25519 (2)");
    }
    int len = r.u16("auth key length");
    byte[] key = r.bytes(len, "auth key");
    List<Extension> ext = Extension.decodeList(r);
    return new Introduce1(type, key, ext, r.rest());
  }

  public void encode(ByteWriter w) {
    w.zeros(20).u8(authKeyType).u16(authKey.length).bytes(authKey);
    Extension.encodeList(w, extensions);
    w.bytes(encrypted);
  }

  /** The header the hs-ntor MAC covers with the encrypted part: everything before ENCRYPTED. */
  public byte[] header() {
    ByteWriter w = new ByteWriter();
    w.zeros(20).u8(authKeyType).u16(authKey.length).bytes(authKey);
    Extension.encodeList(w, extensions);
    return w.toByteArray();
  }

  public byte[] toBytes() {
    ByteWriter w = new ByteWriter();
    encode(w);
    return w.toByteArray();
  }
}
