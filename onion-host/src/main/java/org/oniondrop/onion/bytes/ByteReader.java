package org.oniondrop.onion.bytes;

import java.util.Arrays;

/** Reads big-endian fields from a byte range, refusing to read past its end. */
public final class ByteReader {

  private final byte[] bytes;
  private final int end;
  private int position;

  private ByteReader(byte[] bytes, int offset, int length) {
    this.bytes = bytes;
    this.position = offset;
    this.end = offset + length;
  }

  /** A reader over all of {@code bytes} (not copied: do not change them while reading). */
  public static ByteReader of(byte[] bytes) {
    return new ByteReader(bytes, 0, bytes.length);
  }

  /** A reader over {@code bytes[offset, offset + length)}. */
  public static ByteReader of(byte[] bytes, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > bytes.length) {
      throw new IndexOutOfBoundsException("range outside the array");
    }
    return new ByteReader(bytes, offset, length);
  }

  public int remaining() {
    return end - position;
  }

  /** Offset from the start of the underlying array. */
  public int position() {
    return position;
  }

  private void need(int n, String what) throws DecodeException {
    if (n < 0 || n > remaining()) {
      throw new DecodeException(
          "truncated: " + what + " needs " + n + " bytes, " + remaining() + " left");
    }
  }

  public int u8(String what) throws DecodeException {
    need(1, what);
    return bytes[position++] & 0xff;
  }

  public int u16(String what) throws DecodeException {
    need(2, what);
    int v = ((bytes[position] & 0xff) << 8) | (bytes[position + 1] & 0xff);
    position += 2;
    return v;
  }

  public long u32(String what) throws DecodeException {
    need(4, what);
    long v = 0;
    for (int i = 0; i < 4; i++) {
      v = (v << 8) | (bytes[position + i] & 0xff);
    }
    position += 4;
    return v;
  }

  public long u64(String what) throws DecodeException {
    need(8, what);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (bytes[position + i] & 0xff);
    }
    position += 8;
    return v;
  }

  /** Exactly {@code n} bytes, copied. */
  public byte[] bytes(int n, String what) throws DecodeException {
    need(n, what);
    byte[] out = Arrays.copyOfRange(bytes, position, position + n);
    position += n;
    return out;
  }

  /** A copy of {@code [from, to)} of the underlying array, for already-read fields. */
  public byte[] copyRange(int from, int to) {
    if (from < 0 || to > end || from > to) {
      throw new IndexOutOfBoundsException("range outside the reader");
    }
    return Arrays.copyOfRange(bytes, from, to);
  }

  /** Everything left, copied. */
  public byte[] rest() {
    byte[] out = Arrays.copyOfRange(bytes, position, end);
    position = end;
    return out;
  }

  public void skip(int n, String what) throws DecodeException {
    need(n, what);
    position += n;
  }

  /** Fails unless the input was read to its end. */
  public void expectEnd(String what) throws DecodeException {
    if (remaining() != 0) {
      throw new DecodeException(remaining() + " unexpected trailing bytes after " + what);
    }
  }
}
