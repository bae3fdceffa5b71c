package org.oniondrop.onion.bytes;

import java.util.Arrays;

/** Appends big-endian fields to a growing buffer. */
public final class ByteWriter {

  private byte[] buffer;
  private int size;

  public ByteWriter() {
    this(64);
  }

  public ByteWriter(int capacity) {
    buffer = new byte[Math.max(capacity, 16)];
  }

  private void ensure(int n) {
    if (size + n > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + n));
    }
  }

  public ByteWriter u8(int v) {
    if (v < 0 || v > 0xff) {
      throw new IllegalArgumentException("u8 out of range: " + v);
    }
    ensure(1);
    buffer[size++] = (byte) v;
    return this;
  }

  public ByteWriter u16(int v) {
    if (v < 0 || v > 0xffff) {
      throw new IllegalArgumentException("u16 out of range: " + v);
    }
    ensure(2);
    buffer[size++] = (byte) (v >>> 8);
    buffer[size++] = (byte) v;
    return this;
  }

  public ByteWriter u32(long v) {
    if (v < 0 || v > 0xffffffffL) {
      throw new IllegalArgumentException("u32 out of range: " + v);
    }
    ensure(4);
    for (int i = 3; i >= 0; i--) {
      buffer[size++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  public ByteWriter u64(long v) {
    ensure(8);
    for (int i = 7; i >= 0; i--) {
      buffer[size++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  public ByteWriter bytes(byte[] b) {
    return bytes(b, 0, b.length);
  }

  public ByteWriter bytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buffer, size, len);
    size += len;
    return this;
  }

  public ByteWriter zeros(int n) {
    ensure(n);
    size += n;
    return this;
  }

  /** Overwrites a u16 at {@code offset} (for lengths known only after writing the body). */
  public void setU16(int offset, int v) {
    if (offset + 2 > size || v < 0 || v > 0xffff) {
      throw new IllegalArgumentException("bad u16 patch");
    }
    buffer[offset] = (byte) (v >>> 8);
    buffer[offset + 1] = (byte) v;
  }

  public int size() {
    return size;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }
}
