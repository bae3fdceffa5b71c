package org.oniondrop.onion.relaycrypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.oniondrop.onion.cell.RelayCell;
import org.oniondrop.onion.crypto.AesCtr;

/**
 * The relay crypto keeps its running state in reused objects (no digest or cipher buffer per cell):
 * hundreds of cells in both directions, with decoys that are not ours in between, must give exactly
 * the cells and digests of a reference computed from scratch (tor-spec §6.1: the digest runs over
 * every cell of this hop with its digest field zeroed; the cipher is one CTR keystream per
 * direction).
 */
class RelayLayerRunningStateTest {

  private static final int CELLS = 400;

  @Test
  void tor1LayerMatchesAFromScratchReferenceBothWays() throws Exception {
    runBothWays(tor1Keys(), 20, 16, "SHA-1");
  }

  @Test
  void virtualHopMatchesAFromScratchReferenceBothWays() throws Exception {
    runBothWays(virtualKeys(), 32, 32, "SHA3-256");
  }

  private static byte[] tor1Keys() {
    byte[] k = new byte[92];
    new Random(1).nextBytes(k);
    return k;
  }

  private static byte[] virtualKeys() {
    byte[] k = new byte[128];
    new Random(2).nextBytes(k);
    return k;
  }

  private static void runBothWays(byte[] keys, int dLen, int kLen, String digestName)
      throws Exception {
    boolean tor1 = dLen == 20;
    RelayLayer origin =
        tor1
            ? RelayLayer.tor1(keys, RelayLayer.Side.ORIGIN)
            : RelayLayer.hsVirtualHop(keys, RelayLayer.Side.ORIGIN);
    RelayLayer responder =
        tor1
            ? RelayLayer.tor1(keys, RelayLayer.Side.RESPONDER)
            : RelayLayer.hsVirtualHop(keys, RelayLayer.Side.RESPONDER);
    Reference forward =
        new Reference(
            Arrays.copyOfRange(keys, 0, dLen),
            Arrays.copyOfRange(keys, 2 * dLen, 2 * dLen + kLen),
            digestName);
    Reference backward =
        new Reference(
            Arrays.copyOfRange(keys, dLen, 2 * dLen),
            Arrays.copyOfRange(keys, 2 * dLen + kLen, 2 * dLen + 2 * kLen),
            digestName);
    Random random = new Random(3);
    for (int i = 0; i < CELLS; i++) {
      boolean fromOrigin = random.nextBoolean();
      RelayLayer sender = fromOrigin ? origin : responder;
      RelayLayer receiver = fromOrigin ? responder : origin;
      Reference ref = fromOrigin ? forward : backward;

      if (i % 7 == 3) {
        // A decoy whose recognized field decrypts to zero but whose digest is wrong: the
        // receiver must leave its running digest as it was (the cell is for another hop).
        byte[] decoy = cellBody(random);
        decoy[5] ^= 0x55;
        byte[] wire = decoy.clone();
        sender.encrypt(wire);
        assertThat(wire).isEqualTo(ref.encryptOnly(decoy));
        receiver.decrypt(wire);
        assertThat(wire).isEqualTo(decoy);
        assertThat(receiver.recognize(wire)).as("decoy " + i).isNull();
        assertThat(wire).as("body untouched by a failed recognize").isEqualTo(decoy);
      }

      byte[] body = cellBody(random);
      byte[] expectedWire = ref.next(body);
      byte[] expectedDigest = ref.lastDigest;
      byte[] ours = body.clone();
      byte[] stamped = sender.stamp(ours);
      assertThat(stamped).as("send digest " + i).isEqualTo(expectedDigest);
      sender.encrypt(ours);
      assertThat(ours).as("wire cell " + i).isEqualTo(expectedWire);
      receiver.decrypt(ours);
      byte[] recognized = receiver.recognize(ours);
      assertThat(recognized).as("receive digest " + i).isEqualTo(expectedDigest);
    }
  }

  /** A DATA body with recognized = 0, digest = 0 and random data. */
  private static byte[] cellBody(Random random) {
    byte[] body = new byte[509];
    random.nextBytes(body);
    body[0] = 2;
    body[1] = 0;
    body[2] = 0;
    Arrays.fill(body, RelayCell.DIGEST_OFFSET, RelayCell.DIGEST_OFFSET + 4, (byte) 0);
    return body;
  }

  /** One direction computed from scratch: all cells so far hashed anew, one JDK CTR stream. */
  private static final class Reference {
    final byte[] seed;
    final String digestName;
    final Cipher cipher;
    final java.io.ByteArrayOutputStream absorbed = new java.io.ByteArrayOutputStream();
    byte[] lastDigest;

    Reference(byte[] seed, byte[] key, String digestName) throws Exception {
      this.seed = seed;
      this.digestName = digestName;
      cipher = Cipher.getInstance("AES/CTR/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
    }

    byte[] next(byte[] body) throws Exception {
      absorbed.write(body);
      MessageDigest md = MessageDigest.getInstance(digestName);
      md.update(seed);
      lastDigest = md.digest(absorbed.toByteArray());
      byte[] withDigest = body.clone();
      System.arraycopy(lastDigest, 0, withDigest, RelayCell.DIGEST_OFFSET, 4);
      return cipher.update(withDigest);
    }

    /** Encrypts without absorbing (a decoy never enters the digest). */
    byte[] encryptOnly(byte[] body) {
      return cipher.update(body);
    }
  }

  @Test
  void aesCtrInPlaceOverManyChunksMatchesOneShot() throws Exception {
    byte[] key = new byte[32];
    new Random(4).nextBytes(key);
    byte[] data = new byte[3 * 1024 + 77];
    new Random(5).nextBytes(data);
    Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
    byte[] expected = c.doFinal(data);
    AesCtr ctr = AesCtr.zeroIv(key);
    byte[] ours = data.clone();
    // Uneven pieces: the keystream must continue across calls and chunk boundaries.
    int off = 0;
    int[] pieces = {509, 1, 2000, 15, 509};
    for (int p : pieces) {
      ctr.apply(ours, off, p);
      off += p;
    }
    ctr.apply(ours, off, ours.length - off);
    assertThat(ours).isEqualTo(expected);
  }
}
