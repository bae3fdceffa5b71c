package org.oniondrop.onion.relaycrypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.junit.jupiter.api.Test;

/** Our SHA3-256 against FIPS 202's examples and Bouncy Castle, whole and in pieces. */
class RunningSha3Test {

  private static byte[] digest(RunningSha3 d) {
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  @Test
  void fips202Examples() {
    RunningSha3 d = new RunningSha3();
    assertThat(HexFormat.of().formatHex(digest(d)))
        .isEqualTo("a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    d.update(abc, 0, abc.length);
    assertThat(HexFormat.of().formatHex(digest(d)))
        .isEqualTo("3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
  }

  @Test
  void everyLengthAroundTheRateAndRandomSplitsMatchBouncyCastle() {
    Random random = new Random(7);
    for (int len = 0; len <= 3 * RunningSha3.RATE + 9; len++) {
      byte[] data = new byte[len + 5];
      random.nextBytes(data);
      SHA3Digest bc = new SHA3Digest(256);
      bc.update(data, 5, len);
      byte[] expected = new byte[32];
      bc.doFinal(expected, 0);

      RunningSha3 whole = new RunningSha3();
      whole.update(data, 5, len);
      assertThat(digest(whole)).as("whole, length " + len).isEqualTo(expected);

      RunningSha3 pieces = new RunningSha3();
      int off = 5;
      int left = len;
      while (left > 0) {
        int n = Math.min(left, random.nextInt(20));
        if (n == 1 && random.nextBoolean()) {
          pieces.update(data[off]);
        } else {
          pieces.update(data, off, n);
        }
        off += n;
        left -= n;
      }
      assertThat(digest(pieces)).as("pieces, length " + len).isEqualTo(expected);
      // doFinal resets: the instance hashes the next message from scratch.
      assertThat(digest(pieces)).isEqualTo(digest(new RunningSha3()));
    }
  }

  @Test
  void copiedStateRunsOnIndependently() {
    Random random = new Random(8);
    byte[] cell = new byte[509];
    RunningSha3 running = new RunningSha3();
    SHA3Digest bc = new SHA3Digest(256);
    RunningSha3 scratch = new RunningSha3();
    for (int i = 0; i < 300; i++) {
      random.nextBytes(cell);
      running.update(cell, 0, cell.length);
      bc.update(cell, 0, cell.length);
      scratch.reset(running);
      byte[] peeked = digest(scratch); // finalizing the copy must not touch the running state
      byte[] expected = new byte[32];
      new SHA3Digest(bc).doFinal(expected, 0);
      assertThat(peeked).as("cell " + i).isEqualTo(expected);
    }
    RunningSha3 copy = (RunningSha3) running.copy();
    assertThat(digest(copy)).isEqualTo(digest(running));
  }
}
