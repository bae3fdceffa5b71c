package org.oniondrop.onion.cell;

import java.util.ArrayList;
import java.util.List;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;

/**
 * A link specifier (tor-spec §5.1.2): {@code LSTYPE(1) | LSLEN(1) | LSPEC}. Known types: 00
 * IPv4+port (6 bytes), 01 IPv6+port (18), 02 legacy RSA identity (20), 03 ed25519 identity (32).
 * Unknown types are kept verbatim: clients must pass link specifiers on unchanged and in order.
 */
public record LinkSpecifier(int type, byte[] data) {

  public static final int IPV4 = 0;
  public static final int IPV6 = 1;
  public static final int LEGACY_ID = 2;
  public static final int ED25519_ID = 3;

  /** Link specifiers in one list; more is not a real relay. */
  public static final int MAX_COUNT = 16;

  public LinkSpecifier {
    int expected =
        switch (type) {
          case IPV4 -> 6;
          case IPV6 -> 18;
          case LEGACY_ID -> 20;
          case ED25519_ID -> 32;
          default -> -1;
        };
    if (expected >= 0 && data.length != expected) {
      throw new IllegalArgumentException(
          "link specifier type " + type + " must be " + expected + " bytes");
    }
    if (data.length > 255) {
      throw new IllegalArgumentException("link specifier longer than 255 bytes");
    }
    data = data.clone();
  }

  public static LinkSpecifier decode(ByteReader r) throws DecodeException {
    int type = r.u8("link specifier type");
    int len = r.u8("link specifier length");
    byte[] data = r.bytes(len, "link specifier");
    try {
      return new LinkSpecifier(type, data);
    } catch (IllegalArgumentException e) {
      throw new DecodeException(e.getMessage());
    }
  }

  public void encode(ByteWriter w) {
    w.u8(type).u8(data.length).bytes(data);
  }

  /** {@code NSPEC(1) | specifiers}. */
  public static List<LinkSpecifier> decodeList(ByteReader r) throws DecodeException {
    int n = r.u8("link specifier count");
    if (n > MAX_COUNT) {
      throw new DecodeException("more than " + MAX_COUNT + " link specifiers");
    }
    List<LinkSpecifier> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(decode(r));
    }
    return out;
  }

  public static void encodeList(ByteWriter w, List<LinkSpecifier> specs) {
    w.u8(specs.size());
    for (LinkSpecifier s : specs) {
      s.encode(w);
    }
  }

  public static LinkSpecifier ipv4(byte[] address, int port) {
    return new LinkSpecifier(
        IPV4,
        new byte[] {
          address[0], address[1], address[2], address[3], (byte) (port >> 8), (byte) port
        });
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LinkSpecifier other
        && type == other.type
        && java.util.Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return 31 * type + java.util.Arrays.hashCode(data);
  }

  @Override
  public byte[] data() {
    return data.clone();
  }
}
