package org.oniondrop.onion.link;

import java.util.ArrayList;
import java.util.List;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;

/**
 * A NETINFO cell body (tor-spec §4.5): {@code TIME(4) | OTHERADDR | NMYADDR(1) | MYADDR*}, each
 * address {@code ATYPE(1) | ALEN(1) | AVAL}. A client that does not authenticate sends TIME 0 and
 * no addresses of its own.
 */
public record Netinfo(long time, Address other, List<Address> mine) {

  /** NETINFO is fixed-length cell command 8. */
  public static final int COMMAND = 8;

  /** Addresses a NETINFO may list for its sender; tor sends one or two. */
  public static final int MAX_ADDRESSES = 8;

  /** An address: type 4 (IPv4, 4 bytes) or 6 (IPv6, 16 bytes); other types are kept as bytes. */
  public record Address(int type, byte[] value) {}

  public Netinfo {
    mine = List.copyOf(mine);
  }

  /** What a non-authenticating client sends to a relay at {@code relayIpv4}. */
  public static Netinfo fromClient(byte[] relayIpv4) {
    return new Netinfo(0, new Address(4, relayIpv4.clone()), List.of());
  }

  public static Netinfo decode(byte[] payload) throws DecodeException {
    ByteReader r = ByteReader.of(payload);
    long time = r.u32("time");
    Address other = address(r);
    int n = r.u8("address count");
    if (n > MAX_ADDRESSES) {
      throw new DecodeException("NETINFO lists " + n + " addresses, more than " + MAX_ADDRESSES);
    }
    List<Address> mine = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      mine.add(address(r));
    }
    // The rest of the 509 bytes is padding.
    return new Netinfo(time, other, mine);
  }

  private static Address address(ByteReader r) throws DecodeException {
    int type = r.u8("address type");
    int len = r.u8("address length");
    return new Address(type, r.bytes(len, "address"));
  }

  public byte[] encode() {
    ByteWriter w = new ByteWriter(64);
    w.u32(time);
    w.u8(other.type()).u8(other.value().length).bytes(other.value());
    w.u8(mine.size());
    for (Address a : mine) {
      w.u8(a.type()).u8(a.value().length).bytes(a.value());
    }
    return w.toByteArray();
  }
}
