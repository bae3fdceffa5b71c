package org.oniondrop.onion.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-CTR with a 128-bit big-endian counter (Tor's {@code STREAM}), keyed once: the keystream
 * continues across calls, as a relay hop's cipher must across cells. AES-128 for tor1 hops, AES-256
 * for the onion-service layers. Uses the JDK cipher (AES-NI).
 */
public final class AesCtr {

  /** Bytes of keystream applied per cipher call: a relay cell body fits in one. */
  static final int CHUNK = 1024;

  private final Cipher cipher;

  /**
   * Output buffer of the cipher: the JDK copies its input first when input and output are the same
   * array, so encrypting into this and copying back keeps the per-cell path allocation-free.
   */
  private final byte[] scratch = new byte[CHUNK];

  /** A keystream for {@code key} (16 or 32 bytes) starting at {@code iv} (16 bytes). */
  public AesCtr(byte[] key, byte[] iv) {
    if (key.length != 16 && key.length != 32) {
      throw new IllegalArgumentException("AES key must be 16 or 32 bytes");
    }
    try {
      cipher = Cipher.getInstance("AES/CTR/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/CTR unavailable in this JVM", e);
    }
  }

  /** A keystream starting at a zero IV. */
  public static AesCtr zeroIv(byte[] key) {
    return new AesCtr(key, new byte[16]);
  }

  /**
   * XORs the next keystream bytes into {@code data[off, off+len)} in place. Not thread-safe: one
   * keystream belongs to one loop.
   */
  public void apply(byte[] data, int off, int len) {
    try {
      while (len > 0) {
        int chunk = Math.min(len, CHUNK);
        int n = cipher.update(data, off, chunk, scratch, 0);
        if (n != chunk) {
          throw new IllegalStateException("CTR produced " + n + " of " + chunk + " bytes");
        }
        System.arraycopy(scratch, 0, data, off, chunk);
        off += chunk;
        len -= chunk;
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CTR failed", e);
    }
  }

  /** XORs the keystream into a copy of {@code data}. */
  public byte[] apply(byte[] data) {
    byte[] out = data.clone();
    apply(out, 0, out.length);
    return out;
  }

  /** One-shot: {@code AES-CTR(key, iv) XOR data}. */
  public static byte[] crypt(byte[] key, byte[] iv, byte[] data) {
    return new AesCtr(key, iv).apply(data);
  }
}
