package org.oniondrop.onion.relaycrypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.util.Memoable;

/**
 * SHA3-256 (FIPS 202) for the onion-service virtual hop's running digests (rend-spec-v3 §4.2.1),
 * built for the per-cell path: input is XORed straight into the state lanes (8 bytes at a time once
 * lane-aligned) instead of through a block queue, the permutation keeps its 25 lanes in locals, and
 * {@link #reset(Memoable)} copies another instance's state without allocating. Checked against
 * Bouncy Castle's SHA3-256 in {@code RunningSha3Test}. Not thread-safe.
 */
final class RunningSha3 implements Digest, Memoable {

  /** SHA3-256's rate in bytes: (1600 - 2 * 256) / 8. */
  static final int RATE = 136;

  static final int DIGEST_LENGTH = 32;

  private static final VarHandle LE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final long[] s = new long[25];

  /** Bytes absorbed into the current block, 0..RATE-1. */
  private int pos;

  RunningSha3() {}

  @Override
  public String getAlgorithmName() {
    return "SHA3-256";
  }

  @Override
  public int getDigestSize() {
    return DIGEST_LENGTH;
  }

  @Override
  public void update(byte in) {
    s[pos >>> 3] ^= (in & 0xffL) << ((pos & 7) << 3);
    if (++pos == RATE) {
      permute(s);
      pos = 0;
    }
  }

  @Override
  public void update(byte[] in, int off, int len) {
    if (off < 0 || len < 0 || off > in.length - len) {
      throw new IndexOutOfBoundsException("bad offset or length");
    }
    // Up to a lane boundary byte by byte, then whole lanes, then the tail.
    while (len > 0 && (pos & 7) != 0) {
      update(in[off++]);
      len--;
    }
    while (len >= 8) {
      s[pos >>> 3] ^= (long) LE_LONG.get(in, off);
      off += 8;
      len -= 8;
      pos += 8;
      if (pos == RATE) {
        permute(s);
        pos = 0;
      }
    }
    while (len > 0) {
      update(in[off++]);
      len--;
    }
  }

  @Override
  public int doFinal(byte[] out, int outOff) {
    if (outOff < 0 || outOff > out.length - DIGEST_LENGTH) {
      throw new IndexOutOfBoundsException("output too short");
    }
    // SHA-3 domain bits 01, then pad10*1 (FIPS 202 §6.1, §5.1).
    s[pos >>> 3] ^= 0x06L << ((pos & 7) << 3);
    s[(RATE - 1) >>> 3] ^= 0x80L << (((RATE - 1) & 7) << 3);
    permute(s);
    for (int i = 0; i < DIGEST_LENGTH / 8; i++) {
      LE_LONG.set(out, outOff + 8 * i, s[i]);
    }
    reset();
    return DIGEST_LENGTH;
  }

  @Override
  public void reset() {
    java.util.Arrays.fill(s, 0L);
    pos = 0;
  }

  @Override
  public Memoable copy() {
    RunningSha3 c = new RunningSha3();
    c.reset(this);
    return c;
  }

  @Override
  public void reset(Memoable other) {
    RunningSha3 o = (RunningSha3) other;
    System.arraycopy(o.s, 0, s, 0, 25);
    pos = o.pos;
  }

  private static final long[] RC = {
    0x0000000000000001L,
    0x0000000000008082L,
    0x800000000000808aL,
    0x8000000080008000L,
    0x000000000000808bL,
    0x0000000080000001L,
    0x8000000080008081L,
    0x8000000000008009L,
    0x000000000000008aL,
    0x0000000000000088L,
    0x0000000080008009L,
    0x000000008000000aL,
    0x000000008000808bL,
    0x800000000000008bL,
    0x8000000000008089L,
    0x8000000000008003L,
    0x8000000000008002L,
    0x8000000000000080L,
    0x000000000000800aL,
    0x800000008000000aL,
    0x8000000080008081L,
    0x8000000000008080L,
    0x0000000080000001L,
    0x8000000080008008L
  };

  /** Keccak-f[1600] (FIPS 202 §3.3, 24 rounds) on {@code s}, lanes kept in locals. */
  static void permute(long[] s) {
    long a00 = s[0];
    long a01 = s[1];
    long a02 = s[2];
    long a03 = s[3];
    long a04 = s[4];
    long a05 = s[5];
    long a06 = s[6];
    long a07 = s[7];
    long a08 = s[8];
    long a09 = s[9];
    long a10 = s[10];
    long a11 = s[11];
    long a12 = s[12];
    long a13 = s[13];
    long a14 = s[14];
    long a15 = s[15];
    long a16 = s[16];
    long a17 = s[17];
    long a18 = s[18];
    long a19 = s[19];
    long a20 = s[20];
    long a21 = s[21];
    long a22 = s[22];
    long a23 = s[23];
    long a24 = s[24];
    for (int round = 0; round < 24; round++) {
      long c0 = a00 ^ a05 ^ a10 ^ a15 ^ a20;
      long c1 = a01 ^ a06 ^ a11 ^ a16 ^ a21;
      long c2 = a02 ^ a07 ^ a12 ^ a17 ^ a22;
      long c3 = a03 ^ a08 ^ a13 ^ a18 ^ a23;
      long c4 = a04 ^ a09 ^ a14 ^ a19 ^ a24;
      long d0 = c4 ^ Long.rotateLeft(c1, 1);
      long d1 = c0 ^ Long.rotateLeft(c2, 1);
      long d2 = c1 ^ Long.rotateLeft(c3, 1);
      long d3 = c2 ^ Long.rotateLeft(c4, 1);
      long d4 = c3 ^ Long.rotateLeft(c0, 1);
      long b00 = Long.rotateLeft(a00 ^ d0, 0);
      long b16 = Long.rotateLeft(a05 ^ d0, 36);
      long b07 = Long.rotateLeft(a10 ^ d0, 3);
      long b23 = Long.rotateLeft(a15 ^ d0, 41);
      long b14 = Long.rotateLeft(a20 ^ d0, 18);
      long b10 = Long.rotateLeft(a01 ^ d1, 1);
      long b01 = Long.rotateLeft(a06 ^ d1, 44);
      long b17 = Long.rotateLeft(a11 ^ d1, 10);
      long b08 = Long.rotateLeft(a16 ^ d1, 45);
      long b24 = Long.rotateLeft(a21 ^ d1, 2);
      long b20 = Long.rotateLeft(a02 ^ d2, 62);
      long b11 = Long.rotateLeft(a07 ^ d2, 6);
      long b02 = Long.rotateLeft(a12 ^ d2, 43);
      long b18 = Long.rotateLeft(a17 ^ d2, 15);
      long b09 = Long.rotateLeft(a22 ^ d2, 61);
      long b05 = Long.rotateLeft(a03 ^ d3, 28);
      long b21 = Long.rotateLeft(a08 ^ d3, 55);
      long b12 = Long.rotateLeft(a13 ^ d3, 25);
      long b03 = Long.rotateLeft(a18 ^ d3, 21);
      long b19 = Long.rotateLeft(a23 ^ d3, 56);
      long b15 = Long.rotateLeft(a04 ^ d4, 27);
      long b06 = Long.rotateLeft(a09 ^ d4, 20);
      long b22 = Long.rotateLeft(a14 ^ d4, 39);
      long b13 = Long.rotateLeft(a19 ^ d4, 8);
      long b04 = Long.rotateLeft(a24 ^ d4, 14);
      a00 = b00 ^ (~b01 & b02);
      a05 = b05 ^ (~b06 & b07);
      a10 = b10 ^ (~b11 & b12);
      a15 = b15 ^ (~b16 & b17);
      a20 = b20 ^ (~b21 & b22);
      a01 = b01 ^ (~b02 & b03);
      a06 = b06 ^ (~b07 & b08);
      a11 = b11 ^ (~b12 & b13);
      a16 = b16 ^ (~b17 & b18);
      a21 = b21 ^ (~b22 & b23);
      a02 = b02 ^ (~b03 & b04);
      a07 = b07 ^ (~b08 & b09);
      a12 = b12 ^ (~b13 & b14);
      a17 = b17 ^ (~b18 & b19);
      a22 = b22 ^ (~b23 & b24);
      a03 = b03 ^ (~b04 & b00);
      a08 = b08 ^ (~b09 & b05);
      a13 = b13 ^ (~b14 & b10);
      a18 = b18 ^ (~b19 & b15);
      a23 = b23 ^ (~b24 & b20);
      a04 = b04 ^ (~b00 & b01);
      a09 = b09 ^ (~b05 & b06);
      a14 = b14 ^ (~b10 & b11);
      a19 = b19 ^ (~b15 & b16);
      a24 = b24 ^ (~b20 & b21);
      a00 ^= RC[round];
    }
    s[0] = a00;
    s[1] = a01;
    s[2] = a02;
    s[3] = a03;
    s[4] = a04;
    s[5] = a05;
    s[6] = a06;
    s[7] = a07;
    s[8] = a08;
    s[9] = a09;
    s[10] = a10;
    s[11] = a11;
    s[12] = a12;
    s[13] = a13;
    s[14] = a14;
    s[15] = a15;
    s[16] = a16;
    s[17] = a17;
    s[18] = a18;
    s[19] = a19;
    s[20] = a20;
    s[21] = a21;
    s[22] = a22;
    s[23] = a23;
    s[24] = a24;
  }
}
