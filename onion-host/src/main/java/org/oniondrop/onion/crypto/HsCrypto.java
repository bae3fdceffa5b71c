package org.oniondrop.onion.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The hash-based functions of rend-spec-v3 §0.3 and tor-spec §5.2.2. Bouncy Castle's digests are
 * used directly: on Java 17 its SHA3 is faster than the JDK's.
 */
public final class HsCrypto {

  private HsCrypto() {}

  /** ASCII bytes of a protocol string. */
  public static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Concatenation. */
  public static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }

  /** INT_8: an 8-byte big-endian unsigned integer (rend-spec-v3 §0.2). */
  public static byte[] int8(long v) {
    byte[] out = new byte[8];
    for (int i = 0; i < 8; i++) {
      out[7 - i] = (byte) (v >>> (8 * i));
    }
    return out;
  }

  /** H(x) = SHA3-256 of the concatenation. */
  public static byte[] sha3(byte[]... parts) {
    SHA3Digest d = new SHA3Digest(256);
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  /** KDF(x, n) = SHAKE-256(x) squeezed to n bytes. */
  public static byte[] shake256(int n, byte[]... parts) {
    SHAKEDigest d = new SHAKEDigest(256);
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[n];
    d.doFinal(out, 0, n);
    return out;
  }

  /** MAC(key, msg) = SHA3-256(INT_8(len(key)) | key | msg). Not HMAC. */
  public static byte[] mac(byte[] key, byte[] msg) {
    return sha3(int8(key.length), key, msg);
  }

  /** SHA-256. */
  public static byte[] sha256(byte[]... parts) {
    SHA256Digest d = new SHA256Digest();
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  /** SHA-512. */
  public static byte[] sha512(byte[]... parts) {
    SHA512Digest d = new SHA512Digest();
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[64];
    d.doFinal(out, 0);
    return out;
  }

  /** HKDF-SHA256 (RFC 5869), as ntor's KDF-RFC5869 uses it (tor-spec §5.2.2). */
  public static byte[] hkdfSha256(byte[] ikm, byte[] salt, byte[] info, int length) {
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(ikm, salt, info));
    byte[] out = new byte[length];
    hkdf.generateBytes(out, 0, length);
    return out;
  }

  /** HMAC-SHA256(key, msg). */
  public static byte[] hmacSha256(byte[] key, byte[] msg) {
    org.bouncycastle.crypto.macs.HMac mac =
        new org.bouncycastle.crypto.macs.HMac(new SHA256Digest());
    mac.init(new org.bouncycastle.crypto.params.KeyParameter(key));
    mac.update(msg, 0, msg.length);
    byte[] out = new byte[32];
    mac.doFinal(out, 0);
    return out;
  }

  /** Constant-time equality. */
  public static boolean equal(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }

  /** Whether all bytes are zero, in constant time (X25519 "point at infinity" check). */
  public static boolean isAllZero(byte[] bytes) {
    int acc = 0;
    for (byte b : bytes) {
      acc |= b;
    }
    return acc == 0;
  }
}
