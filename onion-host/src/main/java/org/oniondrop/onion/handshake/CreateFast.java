package org.oniondrop.onion.handshake;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.oniondrop.onion.crypto.CryptoException;

/**
 * The CREATE_FAST handshake (tor-spec §5.1.3), for one-hop circuits to a relay whose onion key we
 * do not know yet (a fallback directory before we have a consensus). The client sends X (20 random
 * bytes) in CREATE_FAST; the relay answers Y (20 random bytes) and KH in CREATED_FAST; both derive
 * keys with KDF-TOR (tor-spec §5.2.1) from K0 = X | Y:
 *
 * <pre>
 * K = SHA1(K0 | [00]) | SHA1(K0 | [01]) | SHA1(K0 | [02]) | ...
 * K = KH(20) | Df(20) | Db(20) | Kf(16) | Kb(16)
 * </pre>
 *
 * The relay crypto afterwards is the ordinary tor1 crypto. CREATE_FAST authenticates nothing beyond
 * the TLS link: the channel's certificates (checked against the fallback's RSA fingerprint) are
 * what tells us who answered, and everything fetched over it is verified on its own (the consensus
 * by the authorities' signatures).
 */
public final class CreateFast {

  /** HASH_LEN: X, Y and KH are each this long. */
  public static final int HASH_LEN = 20;

  /** Bytes of KDF-TOR output a tor1 hop needs: KH, Df, Db (20 each), Kf, Kb (16 each). */
  public static final int KEY_MATERIAL = 92;

  /** CREATED_FAST's meaningful payload: Y | KH. */
  public static final int REPLY_LENGTH = 2 * HASH_LEN;

  private CreateFast() {}

  /** The client's state between sending CREATE_FAST and receiving CREATED_FAST. */
  public static final class ClientState {
    private final byte[] x;

    private ClientState(byte[] x) {
      this.x = x;
    }

    /** The CREATE_FAST payload's key material X (the cell pads it to 509 bytes). */
    public byte[] onionskin() {
      return x.clone();
    }

    /**
     * Completes the handshake with the CREATED_FAST payload ({@code Y | KH}, padding ignored).
     *
     * @return key material in the layout {@code Df | Db | Kf | Kb | KH} that {@code
     *     RelayLayer.tor1} and the ntor handshake use
     * @throws CryptoException if the reply is short or KH does not match the derived one
     */
    public byte[] complete(byte[] reply) throws CryptoException {
      if (reply.length < REPLY_LENGTH) {
        throw new CryptoException("CREATED_FAST payload shorter than " + REPLY_LENGTH + " bytes");
      }
      byte[] y = Arrays.copyOf(reply, HASH_LEN);
      byte[] kh = Arrays.copyOfRange(reply, HASH_LEN, 2 * HASH_LEN);
      byte[] k = kdfTor(concat(x, y), KEY_MATERIAL);
      if (!MessageDigest.isEqual(Arrays.copyOf(k, HASH_LEN), kh)) {
        throw new CryptoException("CREATED_FAST KH does not match the derived key");
      }
      return toTor1Layout(k);
    }
  }

  /** A fresh client state with random X. */
  public static ClientState client(SecureRandom random) {
    byte[] x = new byte[HASH_LEN];
    random.nextBytes(x);
    return new ClientState(x);
  }

  /** A client state with a given X (known-answer tests only). */
  static ClientState clientWithX(byte[] x) {
    if (x.length != HASH_LEN) {
      throw new IllegalArgumentException("X is " + HASH_LEN + " bytes");
    }
    return new ClientState(x.clone());
  }

  /** KDF-TOR (tor-spec §5.2.1): SHA1(K0 | [i]) for i = 0, 1, ... concatenated, cut to len. */
  public static byte[] kdfTor(byte[] k0, int len) {
    if (len < 0 || len > 255 * HASH_LEN) {
      throw new IllegalArgumentException("KDF-TOR output length out of range");
    }
    byte[] out = new byte[len];
    byte[] block = new byte[HASH_LEN];
    SHA1Digest sha1 = new SHA1Digest();
    for (int i = 0, off = 0; off < len; i++, off += HASH_LEN) {
      sha1.update(k0, 0, k0.length);
      sha1.update((byte) i);
      sha1.doFinal(block, 0);
      System.arraycopy(block, 0, out, off, Math.min(HASH_LEN, len - off));
    }
    return out;
  }

  /** KH | Df | Db | Kf | Kb (KDF-TOR order) to Df | Db | Kf | Kb | KH (ntor order). */
  static byte[] toTor1Layout(byte[] k) {
    byte[] out = new byte[KEY_MATERIAL];
    System.arraycopy(k, HASH_LEN, out, 0, KEY_MATERIAL - HASH_LEN);
    System.arraycopy(k, 0, out, KEY_MATERIAL - HASH_LEN, HASH_LEN);
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
