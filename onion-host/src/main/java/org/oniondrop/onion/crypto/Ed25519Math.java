package org.oniondrop.onion.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Edwards25519 arithmetic (RFC 8032 §5.1) in extended coordinates over {@link BigInteger}: what Tor
 * needs beyond a seed-based signer, namely scalar multiplication by arbitrary scalars (expanded and
 * blinded keys), point decoding and validation (the torsion check of onion addresses), and the
 * curve25519 → ed25519 conversion of proposal 228.
 */
public final class Ed25519Math {

  /** The field prime 2^255 - 19. */
  public static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

  /** The prime order of the base point, 2^252 + 27742317777372353535851937790883648493. */
  public static final BigInteger L =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

  private static final BigInteger TWO = BigInteger.valueOf(2);
  private static final BigInteger D =
      BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
  private static final BigInteger D2 = D.multiply(TWO).mod(P);
  private static final BigInteger SQRT_M1 = TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);

  /** The base point. */
  public static final Point BASE;

  static {
    BigInteger y = BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P);
    BigInteger x = recoverX(y, 0);
    BASE = new Point(x, y, BigInteger.ONE, x.multiply(y).mod(P));
  }

  /** The neutral element. */
  public static final Point IDENTITY =
      new Point(BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO);

  private Ed25519Math() {}

  /** A point (X:Y:Z:T) with x = X/Z, y = Y/Z, x*y = T/Z. */
  public record Point(BigInteger x, BigInteger y, BigInteger z, BigInteger t) {

    public Point add(Point q) {
      BigInteger a = y.subtract(x).multiply(q.y.subtract(q.x)).mod(P);
      BigInteger b = y.add(x).multiply(q.y.add(q.x)).mod(P);
      BigInteger c = t.multiply(D2).multiply(q.t).mod(P);
      BigInteger d = z.multiply(TWO).multiply(q.z).mod(P);
      BigInteger e = b.subtract(a);
      BigInteger f = d.subtract(c);
      BigInteger g = d.add(c);
      BigInteger h = b.add(a);
      return new Point(
          e.multiply(f).mod(P), g.multiply(h).mod(P), f.multiply(g).mod(P), e.multiply(h).mod(P));
    }

    /** Projective equality. */
    public boolean sameAs(Point q) {
      return x.multiply(q.z).subtract(q.x.multiply(z)).mod(P).signum() == 0
          && y.multiply(q.z).subtract(q.y.multiply(z)).mod(P).signum() == 0;
    }

    /** RFC 8032 §5.1.2 encoding: y little-endian, top bit = x's low bit. */
    public byte[] encode() {
      BigInteger zi = z.modInverse(P);
      BigInteger ax = x.multiply(zi).mod(P);
      BigInteger ay = y.multiply(zi).mod(P);
      byte[] out = toLittleEndian(ay);
      if (ax.testBit(0)) {
        out[31] |= (byte) 0x80;
      }
      return out;
    }
  }

  /** {@code k * p} with a ladder that does the same work for every bit of the 256-bit scalar. */
  public static Point multiply(BigInteger k, Point p) {
    Point r0 = IDENTITY;
    Point r1 = p;
    for (int i = 255; i >= 0; i--) {
      if (k.testBit(i)) {
        r0 = r0.add(r1);
        r1 = r1.add(r1);
      } else {
        r1 = r0.add(r1);
        r0 = r0.add(r0);
      }
    }
    return r0;
  }

  /** {@code k * B}. */
  public static Point multiplyBase(BigInteger k) {
    return multiply(k, BASE);
  }

  /**
   * Decodes a 32-byte point (RFC 8032 §5.1.3).
   *
   * @throws CryptoException if the bytes are not a point on the curve
   */
  public static Point decode(byte[] encoded) throws CryptoException {
    if (encoded.length != 32) {
      throw new CryptoException("an ed25519 point is 32 bytes, got " + encoded.length);
    }
    byte[] copy = encoded.clone();
    int sign = (copy[31] >> 7) & 1;
    copy[31] &= 0x7f;
    BigInteger y = fromLittleEndian(copy);
    if (y.compareTo(P) >= 0) {
      throw new CryptoException("ed25519 point y coordinate is not reduced");
    }
    BigInteger x = recoverX(y, sign);
    if (x == null) {
      throw new CryptoException("bytes are not a point on ed25519");
    }
    return new Point(x, y, BigInteger.ONE, x.multiply(y).mod(P));
  }

  private static BigInteger recoverX(BigInteger y, int sign) {
    BigInteger y2 = y.multiply(y).mod(P);
    BigInteger u = y2.subtract(BigInteger.ONE).mod(P);
    BigInteger v = D.multiply(y2).add(BigInteger.ONE).mod(P);
    BigInteger x2 = u.multiply(v.modInverse(P)).mod(P);
    if (x2.signum() == 0) {
      return sign == 1 ? null : BigInteger.ZERO;
    }
    BigInteger x = x2.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
    if (x.multiply(x).subtract(x2).mod(P).signum() != 0) {
      x = x.multiply(SQRT_M1).mod(P);
    }
    if (x.multiply(x).subtract(x2).mod(P).signum() != 0) {
      return null;
    }
    if (x.testBit(0) != (sign == 1)) {
      x = P.subtract(x);
    }
    return x;
  }

  /**
   * Whether {@code encoded} is a valid point in the prime-order subgroup: on the curve and with
   * {@code l * A == identity} (C tor's {@code ed25519_validate_pubkey}, checked for onion
   * addresses).
   */
  public static boolean isValidPublicKey(byte[] encoded) {
    try {
      Point a = decode(encoded);
      return multiply(L, a).sameAs(IDENTITY) && !a.sameAs(IDENTITY);
    } catch (CryptoException e) {
      return false;
    }
  }

  /**
   * The ed25519 public key whose curve25519 form is {@code u} (proposal 228): y = (u-1)/(u+1), with
   * {@code signBit} as the top bit. C tor uses sign bit 0 for onion-service enc-key certs.
   */
  public static byte[] fromCurve25519(byte[] u, int signBit) {
    BigInteger uu = fromLittleEndian(maskTop(u));
    BigInteger y =
        uu.subtract(BigInteger.ONE).multiply(uu.add(BigInteger.ONE).modInverse(P)).mod(P);
    byte[] out = toLittleEndian(y);
    out[31] = (byte) ((out[31] & 0x7f) | (signBit << 7));
    return out;
  }

  private static byte[] maskTop(byte[] u) {
    byte[] copy = u.clone();
    copy[31] &= 0x7f;
    return copy;
  }

  /** Reads a little-endian unsigned integer. */
  public static BigInteger fromLittleEndian(byte[] le) {
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) {
      be[i] = le[le.length - 1 - i];
    }
    return new BigInteger(1, be);
  }

  /** Writes a 32-byte little-endian unsigned integer. */
  public static byte[] toLittleEndian(BigInteger v) {
    byte[] be = v.toByteArray();
    byte[] out = new byte[32];
    for (int i = 0; i < be.length && i < 32; i++) {
      out[i] = be[be.length - 1 - i];
    }
    Arrays.fill(be, (byte) 0);
    return out;
  }
}
