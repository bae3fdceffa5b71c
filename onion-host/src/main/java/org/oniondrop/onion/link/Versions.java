package org.oniondrop.onion.link;

import java.util.ArrayList;
import java.util.List;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;

/**
 * A VERSIONS cell (tor-spec §4.1): always sent with a 2-byte CircID of 0 and a 2-byte length, then
 * a list of 2-byte link protocol versions. It is the only cell framed this way, because it is sent
 * before the version (and so the CircID width) is known.
 */
public record Versions(List<Integer> versions) {

  /** The link protocols we speak: 4 (4-byte CircIDs) and 5 (link padding negotiation). */
  public static final List<Integer> OURS = List.of(4, 5);

  /** A relay lists a handful of versions; more than this is not a VERSIONS cell we accept. */
  public static final int MAX_VERSIONS = 64;

  /** Command byte of VERSIONS. */
  public static final int COMMAND = 7;

  public Versions {
    versions = List.copyOf(versions);
  }

  /** Encodes the whole cell, header included: {@code 0000 07 LEN versions...}. */
  public byte[] encodeCell() {
    ByteWriter w = new ByteWriter(5 + 2 * versions.size());
    w.u16(0).u8(COMMAND).u16(2 * versions.size());
    for (int v : versions) {
      w.u16(v);
    }
    return w.toByteArray();
  }

  /** Decodes the payload of a VERSIONS cell (the bytes after its 5-byte header). */
  public static Versions decodePayload(byte[] payload) throws DecodeException {
    if (payload.length % 2 != 0) {
      throw new DecodeException("VERSIONS payload has odd length " + payload.length);
    }
    if (payload.length / 2 > MAX_VERSIONS) {
      throw new DecodeException("VERSIONS lists more than " + MAX_VERSIONS + " versions");
    }
    ByteReader r = ByteReader.of(payload);
    List<Integer> out = new ArrayList<>();
    while (r.remaining() > 0) {
      out.add(r.u16("version"));
    }
    return new Versions(out);
  }

  /** The highest version both lists contain. */
  public int negotiate(List<Integer> ours) throws LinkException {
    int best = -1;
    for (int v : versions) {
      if (ours.contains(v) && v > best) {
        best = v;
      }
    }
    if (best < 0) {
      throw new LinkException("no common link protocol: relay offers " + versions);
    }
    return best;
  }
}
