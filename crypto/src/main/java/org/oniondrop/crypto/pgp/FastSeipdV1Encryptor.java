package org.oniondrop.crypto.pgp;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.operator.PGPDataEncryptor;
import org.bouncycastle.openpgp.operator.PGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;

/**
 * SEIPD v1 (RFC 4880 §5.13, RFC 9580 §5.13.1) data encryption for Bouncy Castle's {@code
 * PGPEncryptedDataGenerator}, built for throughput.
 *
 * <p>Bouncy Castle writes the packet framing, the random prefix and the MDC packet; this class
 * supplies the two expensive parts: AES-256 in CFB mode with a zero IV (SEIPD v1 has no resync),
 * computed through the JDK's AES-CBC (see {@link CfbOutputStream}), which uses AES-NI, and the
 * SHA-1 of the MDC computed on a second thread, so that the two serial computations run side by
 * side on two cores.
 *
 * <p>The SHA-1 runs on a {@link PgpWorkers} thread behind an {@link AsyncWriteStream}: ordered, its
 * queue bounded, no thread left behind by an abandoned stream.
 */
final class FastSeipdV1Encryptor implements PGPDataEncryptorBuilder {

  /** Bytes encrypted per call of the AES-CBC stub. */
  static final int CHUNK_BYTES = 32 * 1024;

  private static final int AES_BLOCK = 16;

  /** A byte array read and written as longs (any byte order: XOR does not care). */
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private final SecureRandom random;

  FastSeipdV1Encryptor(SecureRandom random) {
    this.random = random;
  }

  @Override
  public int getAlgorithm() {
    return SymmetricKeyAlgorithmTags.AES_256;
  }

  @Override
  public int getAeadAlgorithm() {
    return 0;
  }

  @Override
  public int getChunkSize() {
    return 0;
  }

  @Override
  public boolean isV5StyleAEAD() {
    return false;
  }

  @Override
  public PGPDataEncryptor build(byte[] keyBytes) throws PGPException {
    if (keyBytes.length != 32) {
      throw new PGPException("AES-256 needs a 32-byte session key");
    }
    byte[] key = keyBytes.clone();
    return new PGPDataEncryptor() {
      private final AsyncSha1 mdc = new AsyncSha1();

      @Override
      public OutputStream getOutputStream(OutputStream out) {
        try {
          Cipher cipher = aesCbc();
          cipher.init(
              Cipher.ENCRYPT_MODE,
              new SecretKeySpec(key, "AES"),
              new IvParameterSpec(new byte[AES_BLOCK]));
          Arrays.fill(key, (byte) 0);
          return new CfbOutputStream(cipher, out);
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("AES/CFB unavailable in this JVM", e);
        }
      }

      @Override
      public PGPDigestCalculator getIntegrityCalculator() {
        return mdc;
      }

      @Override
      public int getBlockSize() {
        return AES_BLOCK;
      }
    };
  }

  /**
   * AES-CBC without padding from the JDK's own provider (AES-NI intrinsics), even if another
   * provider is registered first; any provider if this JVM has no SunJCE.
   */
  static Cipher aesCbc() throws GeneralSecurityException {
    try {
      return Cipher.getInstance("AES/CBC/NoPadding", "SunJCE");
    } catch (NoSuchProviderException e) {
      return Cipher.getInstance("AES/CBC/NoPadding");
    }
  }

  @Override
  public PGPDataEncryptor build(byte[] keyBytes, byte[] associatedData) throws PGPException {
    // Called for every message; the extra argument only matters to AEAD encryptors, and this
    // one reports no AEAD algorithm, so the generator writes a SEIPD v1 packet.
    return build(keyBytes);
  }

  @Override
  public SecureRandom getSecureRandom() {
    return random;
  }

  @Override
  public PGPDataEncryptorBuilder setWithIntegrityPacket(boolean withIntegrityPacket) {
    if (!withIntegrityPacket) {
      throw new IllegalArgumentException("messages without integrity protection are never written");
    }
    return this;
  }

  @Override
  public PGPDataEncryptorBuilder setWithAEAD(int aeadAlgorithm, int chunkSize) {
    throw new UnsupportedOperationException("SEIPD v1 only");
  }

  @Override
  public PGPDataEncryptorBuilder setUseV5AEAD() {
    throw new UnsupportedOperationException("SEIPD v1 only");
  }

  @Override
  public PGPDataEncryptorBuilder setUseV6AEAD() {
    throw new UnsupportedOperationException("SEIPD v1 only");
  }

  /**
   * AES-CFB encryption (zero IV, no resync: SEIPD v1) computed through the JDK's AES-CBC, which
   * HotSpot runs as one AES-NI loop per call, instead of its AES-CFB, which calls the cipher once
   * per 16-byte block from Java (measured about 2x slower on this project's machine).
   *
   * <p>Why this is CFB: CFB's keystream is {@code X1 = E(0)}, {@code X(i+1) = E(C(i))} with {@code
   * C(i) = P(i) xor X(i)}. CBC with a zero IV over the blocks {@code 0, P(1), P(2), ...} gives
   * {@code D1 = E(0) = X1} and {@code D(i+1) = E(P(i) xor D(i))}; by induction {@code D(i) = X(i)},
   * so {@code D(i+1) = E(P(i) xor X(i)) = E(C(i)) = X(i+1)}. So the CBC encryption of the
   * plaintext, one block behind, is the CFB keystream. A final partial block is XORed with the
   * first bytes of its keystream block, as CFB does.
   *
   * <p>Plaintext shorter than a block waits in {@link #pending} until it completes a block or the
   * stream closes; closing finishes and closes {@code out}.
   */
  static final class CfbOutputStream extends OutputStream {
    private final Cipher cbc;
    private final OutputStream out;

    /** The keystream block for the next plaintext block. */
    private final byte[] next = new byte[AES_BLOCK];

    /** CBC output: keystream for the blocks after each input block. */
    private final byte[] keystream = new byte[CHUNK_BYTES];

    private final byte[] ciphertext = new byte[CHUNK_BYTES];
    private final byte[] pending = new byte[AES_BLOCK];
    private int pendingLength;
    private boolean closed;

    CfbOutputStream(Cipher cbc, OutputStream out) throws GeneralSecurityException {
      this.cbc = cbc;
      this.out = out;
      int n = cbc.update(new byte[AES_BLOCK], 0, AES_BLOCK, next, 0);
      if (n != AES_BLOCK) {
        throw new GeneralSecurityException("AES-CBC returned " + n + " bytes for one block");
      }
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("stream closed");
      }
      if (pendingLength > 0) {
        int n = Math.min(len, AES_BLOCK - pendingLength);
        System.arraycopy(b, off, pending, pendingLength, n);
        pendingLength += n;
        off += n;
        len -= n;
        if (pendingLength < AES_BLOCK) {
          return;
        }
        encryptBlocks(pending, 0, AES_BLOCK);
        pendingLength = 0;
      }
      while (len >= AES_BLOCK) {
        int n = Math.min(len, CHUNK_BYTES) & -AES_BLOCK;
        encryptBlocks(b, off, n);
        off += n;
        len -= n;
      }
      if (len > 0) {
        System.arraycopy(b, off, pending, 0, len);
        pendingLength = len;
      }
    }

    /** Encrypts {@code n} bytes (a multiple of the block size, at most a chunk) and writes them. */
    private void encryptBlocks(byte[] b, int off, int n) throws IOException {
      try {
        if (cbc.update(b, off, n, keystream, 0) != n) {
          throw new IOException("AES-CBC returned a short result");
        }
      } catch (GeneralSecurityException e) {
        throw new IOException("AES-CFB encryption failed", e);
      }
      byte[] x = next;
      byte[] c = ciphertext;
      byte[] k = keystream;
      // Eight bytes at a time (n is a whole number of blocks): the byte loop ran at about a third
      // of the AES-CBC stub's cost (perf, the encryptor benchmark).
      LONGS.set(c, 0, (long) LONGS.get(b, off) ^ (long) LONGS.get(x, 0));
      LONGS.set(c, 8, (long) LONGS.get(b, off + 8) ^ (long) LONGS.get(x, 8));
      for (int i = AES_BLOCK; i < n; i += Long.BYTES) {
        LONGS.set(c, i, (long) LONGS.get(b, off + i) ^ (long) LONGS.get(k, i - AES_BLOCK));
      }
      System.arraycopy(k, n - AES_BLOCK, x, 0, AES_BLOCK);
      out.write(c, 0, n);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (pendingLength > 0) {
          for (int i = 0; i < pendingLength; i++) {
            ciphertext[i] = (byte) (pending[i] ^ next[i]);
          }
          out.write(ciphertext, 0, pendingLength);
        }
      } finally {
        Arrays.fill(next, (byte) 0);
        Arrays.fill(keystream, (byte) 0);
        Arrays.fill(pending, (byte) 0);
        Arrays.fill(ciphertext, (byte) 0);
      }
      out.close();
    }
  }

  /**
   * SHA-1 of the MDC computed on a {@link PgpWorkers} thread: the bytes BC feeds it go through an
   * {@link AsyncWriteStream} (ordered, bounded) into the digest.
   */
  static final class AsyncSha1 implements PGPDigestCalculator {
    private final MessageDigest sha1;
    private final AsyncWriteStream input;
    private byte[] digest;

    AsyncSha1() {
      try {
        sha1 = MessageDigest.getInstance("SHA-1");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-1 unavailable in this JVM", e);
      }
      input =
          new AsyncWriteStream(
              new OutputStream() {
                @Override
                public void write(int b) {
                  sha1.update((byte) b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                  sha1.update(b, off, len);
                }
              });
    }

    @Override
    public int getAlgorithm() {
      return HashAlgorithmTags.SHA1;
    }

    @Override
    public OutputStream getOutputStream() {
      return input;
    }

    @Override
    public byte[] getDigest() {
      if (digest == null) {
        try {
          input.finish();
        } catch (IOException e) {
          throw new IllegalStateException("MDC computation interrupted", e);
        }
        digest = sha1.digest();
      }
      return digest.clone();
    }

    @Override
    public void reset() {
      throw new UnsupportedOperationException("one MDC per message");
    }
  }
}
