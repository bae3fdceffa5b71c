package org.oniondrop.onion.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.security.auth.Destroyable;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 key pair in C tor's expanded form: the 64-byte secret {@code a | RH} (a = clamped
 * scalar, little-endian; RH = the second half of SHA-512(seed)) and the public point {@code A =
 * a·B}. Keys made from a seed, read from tor's {@code hs_ed25519_secret_key}, or blinded (which
 * have no seed) all sign the same way.
 *
 * <p>Security guarantees: {@link #toString()} shows only the public key; {@link #destroy()} wipes
 * the secret. See the package notes on timing.
 */
public final class ExpandedEd25519Key implements Destroyable {

  /** Bytes of an expanded secret key. */
  public static final int SECRET_LENGTH = 64;

  private static final byte[] BLIND_STRING =
      HsCrypto.concat(HsCrypto.ascii("Derive temporary signing key"), new byte[] {0});
  private static final byte[] BLIND_RH_STRING =
      HsCrypto.ascii("Derive temporary signing key hash input");
  private static final byte[] B_STRING =
      HsCrypto.ascii(
          "(15112221349535400772501151409588531511454012693041857206046113283949847762202,"
              + " 46316835694926478169428394003475163141307993866256225615783033603165251855960)");

  private final byte[] secret;
  private final byte[] publicKey;
  private volatile boolean destroyed;

  private ExpandedEd25519Key(byte[] secret, byte[] publicKey) {
    this.secret = secret;
    this.publicKey = publicKey;
  }

  /** A fresh random key (from a random 32-byte seed, as C tor generates them). */
  public static ExpandedEd25519Key generate(SecureRandom random) {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    try {
      return fromSeed(seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** Expands an RFC 8032 seed: SHA-512(seed), the first half clamped. */
  public static ExpandedEd25519Key fromSeed(byte[] seed) {
    if (seed.length != 32) {
      throw new IllegalArgumentException("an ed25519 seed is 32 bytes");
    }
    byte[] h = HsCrypto.sha512(seed);
    h[0] &= (byte) 248;
    h[31] &= 63;
    h[31] |= 64;
    byte[] pub = new byte[32];
    Ed25519.generatePublicKey(seed, 0, pub, 0);
    return new ExpandedEd25519Key(h, pub);
  }

  /** From a 64-byte expanded secret (e.g. tor's key file); the public key is computed. */
  public static ExpandedEd25519Key fromExpanded(byte[] expanded) {
    if (expanded.length != SECRET_LENGTH) {
      throw new IllegalArgumentException("an expanded ed25519 secret key is 64 bytes");
    }
    byte[] secret = expanded.clone();
    BigInteger a = Ed25519Math.fromLittleEndian(Arrays.copyOf(secret, 32));
    return new ExpandedEd25519Key(secret, Ed25519Math.multiplyBase(a).encode());
  }

  /** The 32-byte public key A. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** A copy of the 64-byte expanded secret; wipe it after use. */
  public byte[] expandedSecret() {
    check();
    return secret.clone();
  }

  /**
   * An Ed25519 signature of {@code message}: r = SHA-512(RH | M) mod l, R = r·B, S = (r + SHA-512(R
   * | A | M)·a) mod l. Verifiable with any RFC 8032 verifier against {@link #publicKey}.
   */
  public byte[] sign(byte[] message) {
    check();
    BigInteger a = Ed25519Math.fromLittleEndian(Arrays.copyOf(secret, 32));
    byte[] rh = Arrays.copyOfRange(secret, 32, 64);
    BigInteger r = Ed25519Math.fromLittleEndian(HsCrypto.sha512(rh, message)).mod(Ed25519Math.L);
    byte[] bigR = Ed25519Math.multiplyBase(r).encode();
    BigInteger k =
        Ed25519Math.fromLittleEndian(HsCrypto.sha512(bigR, publicKey, message)).mod(Ed25519Math.L);
    BigInteger s = r.add(k.multiply(a)).mod(Ed25519Math.L);
    Arrays.fill(rh, (byte) 0);
    return HsCrypto.concat(bigR, Ed25519Math.toLittleEndian(s));
  }

  /** RFC 8032 verification (Bouncy Castle). */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey.length != 32 || signature.length != 64) {
      return false;
    }
    return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
  }

  /**
   * The blinding factor h = H(BLIND_STRING | A | B_STRING | N), N = "key-blind" | INT_8(period) |
   * INT_8(period length in minutes), not yet clamped (rend-spec-v3 App. A.2).
   */
  public static byte[] blindingFactor(byte[] publicKey, long periodNum, long periodLengthMinutes) {
    byte[] nonce =
        HsCrypto.concat(
            HsCrypto.ascii("key-blind"),
            HsCrypto.int8(periodNum),
            HsCrypto.int8(periodLengthMinutes));
    return HsCrypto.sha3(BLIND_STRING, publicKey, B_STRING, nonce);
  }

  private static BigInteger clampedScalar(byte[] param) {
    byte[] h = param.clone();
    h[0] &= (byte) 248;
    h[31] &= 63;
    h[31] |= 64;
    return Ed25519Math.fromLittleEndian(h);
  }

  /**
   * The blinded public key A' = clamp(param)·A.
   *
   * @throws CryptoException if {@code publicKey} is not a valid point
   */
  public static byte[] blindPublicKey(byte[] publicKey, byte[] param) throws CryptoException {
    return Ed25519Math.multiply(clampedScalar(param), Ed25519Math.decode(publicKey)).encode();
  }

  /** The blinded key pair: a' = clamp(param)·a mod l, RH' = SHA-512(string | RH)[:32]. */
  public ExpandedEd25519Key blind(byte[] param) {
    check();
    BigInteger a = Ed25519Math.fromLittleEndian(Arrays.copyOf(secret, 32));
    BigInteger blinded = clampedScalar(param).multiply(a).mod(Ed25519Math.L);
    byte[] rh = HsCrypto.sha512(BLIND_RH_STRING, Arrays.copyOfRange(secret, 32, 64));
    byte[] expanded = HsCrypto.concat(Ed25519Math.toLittleEndian(blinded), Arrays.copyOf(rh, 32));
    Arrays.fill(rh, (byte) 0);
    return new ExpandedEd25519Key(expanded, Ed25519Math.multiplyBase(blinded).encode());
  }

  private void check() {
    if (destroyed) {
      throw new IllegalStateException("key was destroyed");
    }
  }

  @Override
  public void destroy() {
    Arrays.fill(secret, (byte) 0);
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "ExpandedEd25519Key[public=" + java.util.HexFormat.of().formatHex(publicKey) + "]";
  }
}
