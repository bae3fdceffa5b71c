package org.oniondrop.onion.cell;

import java.util.List;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;

/**
 * EXTEND2 (relay command 14, sent in RELAY_EARLY; tor-spec §5.1.2): {@code NSPEC | link specifiers
 * | HTYPE(2) | HLEN(2) | HDATA}. EXTENDED2 is a {@link Created2} body.
 */
public record Extend2(List<LinkSpecifier> linkSpecifiers, Create2 create) {

  public Extend2 {
    linkSpecifiers = List.copyOf(linkSpecifiers);
  }

  public static Extend2 decode(ByteReader r) throws DecodeException {
    List<LinkSpecifier> specs = LinkSpecifier.decodeList(r);
    return new Extend2(specs, Create2.decode(r));
  }

  public void encode(ByteWriter w) {
    LinkSpecifier.encodeList(w, linkSpecifiers);
    create.encode(w);
  }
}
