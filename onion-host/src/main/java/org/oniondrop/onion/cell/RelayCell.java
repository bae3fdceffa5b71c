package org.oniondrop.onion.cell;

import java.security.SecureRandom;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.DecodeException;

/**
 * A relay cell's plaintext (tor-spec §6.1): {@code command(1) | recognized(2) | stream_id(2) |
 * digest(4) | length(2) | data(length) | padding} in 509 bytes. Padding is 4 zero bytes, then
 * random (proposal 289 relies on the randomness for authenticated SENDMEs).
 */
public record RelayCell(int command, int streamId, byte[] data) {

  public static final int HEADER_LENGTH = 11;

  /** The most data one relay cell carries. */
  public static final int MAX_DATA = Cell.PAYLOAD_LENGTH - HEADER_LENGTH;

  /** Offset of the digest field in the body. */
  public static final int DIGEST_OFFSET = 5;

  public RelayCell {
    if (data.length > MAX_DATA) {
      throw new IllegalArgumentException("relay data longer than " + MAX_DATA + " bytes");
    }
    if (streamId < 0 || streamId > 0xffff || command < 0 || command > 0xff) {
      throw new IllegalArgumentException("bad relay header field");
    }
    data = data.clone();
  }

  /** The 509-byte body with recognized = 0 and digest = 0, padded as tor-spec §6.1 says. */
  public byte[] encode(SecureRandom random) {
    // Written straight into the 509-byte body: this runs once per DATA cell sent.
    byte[] body = new byte[Cell.PAYLOAD_LENGTH];
    body[0] = (byte) command;
    // recognized (2 bytes) stays 0
    body[3] = (byte) (streamId >>> 8);
    body[4] = (byte) streamId;
    // digest (4 bytes) stays 0
    body[9] = (byte) (data.length >>> 8);
    body[10] = (byte) data.length;
    System.arraycopy(data, 0, body, HEADER_LENGTH, data.length);
    int padStart = HEADER_LENGTH + data.length + 4;
    if (padStart < Cell.PAYLOAD_LENGTH && random != null) {
      byte[] pad = new byte[Cell.PAYLOAD_LENGTH - padStart];
      random.nextBytes(pad);
      System.arraycopy(pad, 0, body, padStart, pad.length);
    }
    return body;
  }

  /** Parses a body already recognized as ours (recognized and digest checked by the caller). */
  public static RelayCell decode(byte[] body) throws DecodeException {
    if (body.length != Cell.PAYLOAD_LENGTH) {
      throw new DecodeException("relay cell body must be 509 bytes, is " + body.length);
    }
    ByteReader r = ByteReader.of(body);
    int command = r.u8("relay command");
    r.u16("recognized");
    int stream = r.u16("stream id");
    r.u32("digest");
    int length = r.u16("relay length");
    if (length > MAX_DATA) {
      throw new DecodeException("relay length " + length + " exceeds " + MAX_DATA);
    }
    return new RelayCell(command, stream, r.bytes(length, "relay data"));
  }

  @Override
  public byte[] data() {
    return data.clone();
  }
}
