package org.oniondrop.onion.cell;

import java.util.List;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;

/**
 * The decrypted ENCRYPTED_DATA of INTRODUCE1/2 (rend-spec-v3 §3.3):
 *
 * <pre>
 * RENDEZVOUS_COOKIE(20) | N_EXTENSIONS(1) | extensions | ONION_KEY_TYPE(1)=01 | ONION_KEY_LEN(2)
 * | ONION_KEY | NSPEC(1) | link specifiers | PAD (zeros)
 * </pre>
 */
public record IntroducePlaintext(
    byte[] rendezvousCookie,
    List<Extension> extensions,
    byte[] onionKey,
    List<LinkSpecifier> linkSpecifiers) {

  public static final int COOKIE_LENGTH = 20;
  public static final int ONION_KEY_TYPE_NTOR = 1;

  /** C tor pads INTRODUCE1 to at least this size, hiding the plaintext's length. */
  public static final int MIN_INTRODUCE1_LENGTH = 246;

  public IntroducePlaintext {
    extensions = List.copyOf(extensions);
    linkSpecifiers = List.copyOf(linkSpecifiers);
  }

  public static IntroducePlaintext decode(ByteReader r) throws DecodeException {
    byte[] cookie = r.bytes(COOKIE_LENGTH, "rendezvous cookie");
    List<Extension> ext = Extension.decodeList(r);
    int type = r.u8("onion key type");
    if (type != ONION_KEY_TYPE_NTOR) {
      throw new DecodeException("onion key type " + type + " is not ntor (1)");
    }
    int len = r.u16("onion key length");
    if (len != 32) {
      throw new DecodeException("ntor onion key length " + len + " is not 32");
    }
    byte[] key = r.bytes(32, "onion key");
    List<LinkSpecifier> specs = LinkSpecifier.decodeList(r);
    r.rest(); // padding
    return new IntroducePlaintext(cookie, ext, key, specs);
  }

  /** Encodes with {@code padTo} total bytes of zero padding at the end (0 for none). */
  public void encode(ByteWriter w, int padTo) {
    int start = w.size();
    w.bytes(rendezvousCookie);
    Extension.encodeList(w, extensions);
    w.u8(ONION_KEY_TYPE_NTOR).u16(onionKey.length).bytes(onionKey);
    LinkSpecifier.encodeList(w, linkSpecifiers);
    int written = w.size() - start;
    if (padTo > written) {
      w.zeros(padTo - written);
    }
  }
}
