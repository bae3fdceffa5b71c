package org.oniondrop.crypto.pgp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SEIPD v1 cipher stream computes AES-256-CFB through AES-CBC; this checks it byte for byte
 * against the JDK's own AES/CFB/NoPadding (zero IV) for every kind of write split, including
 * partial blocks before, between and at the end of chunks.
 */
class CfbThroughCbcTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 15, 16, 17, 18, 31, 32, 33, 1000, 32 * 1024, 32 * 1024 + 5, 300_007})
  void equalsJdkCfbForEverySplit(int length) throws Exception {
    Random random = new Random(length);
    byte[] key = new byte[32];
    random.nextBytes(key);
    byte[] plaintext = new byte[length];
    random.nextBytes(plaintext);
    byte[] expected = jdkCfb(key, plaintext);
    for (int maxWrite : new int[] {1, 7, 16, 18, 4096, 65_537, Integer.MAX_VALUE}) {
      assertArrayEquals(expected, ours(key, plaintext, maxWrite, random), "writes <= " + maxWrite);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 16, 40_000})
  void writingAfterCloseFails(int length) throws Exception {
    FastSeipdV1Encryptor.CfbOutputStream stream = open(new byte[32], new ByteArrayOutputStream());
    stream.write(new byte[length]);
    stream.close();
    assertThrows(IOException.class, () -> stream.write(new byte[1]));
  }

  private static byte[] ours(byte[] key, byte[] plaintext, int maxWrite, Random random)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (FastSeipdV1Encryptor.CfbOutputStream stream = open(key, out)) {
      int off = 0;
      while (off < plaintext.length) {
        int n = Math.min(plaintext.length - off, 1 + random.nextInt(Math.min(maxWrite, 1 << 20)));
        if (n == 1 && random.nextBoolean()) {
          stream.write(plaintext[off]);
        } else {
          stream.write(plaintext, off, n);
        }
        off += n;
      }
    }
    return out.toByteArray();
  }

  private static FastSeipdV1Encryptor.CfbOutputStream open(byte[] key, ByteArrayOutputStream out)
      throws Exception {
    Cipher cbc = FastSeipdV1Encryptor.aesCbc();
    cbc.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
    return new FastSeipdV1Encryptor.CfbOutputStream(cbc, out);
  }

  private static byte[] jdkCfb(byte[] key, byte[] plaintext) throws Exception {
    Cipher cfb = Cipher.getInstance("AES/CFB/NoPadding");
    cfb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
    return cfb.doFinal(plaintext);
  }
}
