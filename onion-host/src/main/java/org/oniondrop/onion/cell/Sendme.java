package org.oniondrop.onion.cell;

import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;

/**
 * SENDME (relay command 5, tor-spec §7.4, proposal 289): empty (version 0) or {@code VERSION(1) |
 * DATA_LEN(2) | DATA}, where version 1 carries the first 20 bytes of the running digest after the
 * cell that triggered it.
 */
public record Sendme(int version, byte[] digest) {

  public static final int DIGEST_LENGTH = 20;

  public static Sendme v0() {
    return new Sendme(0, new byte[0]);
  }

  public static Sendme v1(byte[] digest20) {
    if (digest20.length != DIGEST_LENGTH) {
      throw new IllegalArgumentException("SENDME v1 digest is 20 bytes");
    }
    return new Sendme(1, digest20.clone());
  }

  public static Sendme decode(ByteReader r) throws DecodeException {
    if (r.remaining() == 0) {
      return v0();
    }
    int version = r.u8("sendme version");
    int len = r.u16("sendme data length");
    byte[] data = r.bytes(len, "sendme data");
    if (version == 0) {
      return v0();
    }
    if (version != 1) {
      throw new DecodeException("unsupported SENDME version " + version);
    }
    if (len != DIGEST_LENGTH) {
      throw new DecodeException("SENDME v1 digest length " + len + " is not 20");
    }
    return new Sendme(1, data);
  }

  public void encode(ByteWriter w) {
    if (version == 0) {
      return;
    }
    w.u8(version).u16(digest.length).bytes(digest);
  }
}
