package org.oniondrop.onion.cell;

import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;

/**
 * A cell on a channel (tor-spec §3), link protocol 4 or later: {@code CircID(4) | Command(1) |
 * Payload(509)}, or for variable-length commands (7 and >= 128) {@code CircID(4) | Command(1) |
 * Length(2) | Payload}.
 */
public record Cell(long circId, int command, byte[] payload) {

  public static final int PAYLOAD_LENGTH = 509;

  /** Fixed-length cells on link protocol 4+. */
  public static final int LENGTH = 4 + 1 + PAYLOAD_LENGTH;

  /** The largest variable-length payload accepted (a CERTS cell is a few KB). */
  public static final int MAX_VAR_PAYLOAD = 8192;

  public static final int PADDING = 0;
  public static final int RELAY = 3;
  public static final int DESTROY = 4;
  public static final int CREATE_FAST = 5;
  public static final int CREATED_FAST = 6;
  public static final int VERSIONS = 7;
  public static final int NETINFO = 8;
  public static final int RELAY_EARLY = 9;
  public static final int CREATE2 = 10;
  public static final int CREATED2 = 11;
  public static final int VPADDING = 128;

  public Cell {
    if (!isVariable(command) && payload.length != PAYLOAD_LENGTH) {
      throw new IllegalArgumentException("fixed cell payload must be 509 bytes");
    }
  }

  public static boolean isVariable(int command) {
    return command == VERSIONS || command >= 128;
  }

  /** A fixed-length cell whose payload is {@code body} zero-padded to 509 bytes. */
  public static Cell fixed(long circId, int command, byte[] body) {
    if (body.length > PAYLOAD_LENGTH) {
      throw new IllegalArgumentException("cell body longer than 509 bytes");
    }
    return new Cell(circId, command, java.util.Arrays.copyOf(body, PAYLOAD_LENGTH));
  }

  public static Cell decode(ByteReader r) throws DecodeException {
    long circId = r.u32("circuit id");
    int command = r.u8("command");
    if (isVariable(command)) {
      int len = r.u16("variable cell length");
      if (len > MAX_VAR_PAYLOAD) {
        throw new DecodeException("variable cell longer than " + MAX_VAR_PAYLOAD + " bytes");
      }
      return new Cell(circId, command, r.bytes(len, "variable cell payload"));
    }
    return new Cell(circId, command, r.bytes(PAYLOAD_LENGTH, "cell payload"));
  }

  public void encode(ByteWriter w) {
    w.u32(circId).u8(command);
    if (isVariable(command)) {
      w.u16(payload.length);
    }
    w.bytes(payload);
  }
}
