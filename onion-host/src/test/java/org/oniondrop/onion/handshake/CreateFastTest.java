package org.oniondrop.onion.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.oniondrop.onion.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.oniondrop.onion.Vectors;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.cell.RelayCell;
import org.oniondrop.onion.cell.RelayCommand;
import org.oniondrop.onion.crypto.CryptoException;
import org.oniondrop.onion.relaycrypto.RelayLayer;

/** CREATE_FAST / CREATED_FAST (tor-spec §5.1.3) and KDF-TOR (tor-spec §5.2.1). */
class CreateFastTest {

  @Test
  void kdfTorMatchesTorsTestVectors() throws Exception {
    for (String name : new String[] {"kdf_tor_empty", "kdf_tor_Tor", "kdf_tor_AN "}) {
      JsonNode v = Vectors.named("ntor.json", name);
      byte[] k0 = v.get("k0_ascii").asText().getBytes(StandardCharsets.US_ASCII);
      assertThat(CreateFast.kdfTor(k0, v.get("output_length").asInt()))
          .as(name)
          .isEqualTo(hex(v.get("output").asText()));
    }
  }

  /**
   * Fixed X and Y: the key material is computed here from the spec's formula with a plain JDK
   * SHA-1, independent of the implementation, and split as KH | Df | Db | Kf | Kb.
   */
  @Test
  void createdFastWithTheRightKhGivesTheSpecsKeysInTor1Order() throws Exception {
    byte[] x = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f10111213");
    byte[] y = HexFormat.of().parseHex("f0e1d2c3b4a5968778695a4b3c2d1e0f00112233");
    byte[] k0 = new byte[40];
    System.arraycopy(x, 0, k0, 0, 20);
    System.arraycopy(y, 0, k0, 20, 20);
    byte[] k = new byte[100];
    for (int i = 0; i < 5; i++) {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(k0);
      sha1.update((byte) i);
      System.arraycopy(sha1.digest(), 0, k, 20 * i, 20);
    }
    byte[] kh = Arrays.copyOfRange(k, 0, 20);
    byte[] df = Arrays.copyOfRange(k, 20, 40);
    byte[] db = Arrays.copyOfRange(k, 40, 60);
    byte[] kf = Arrays.copyOfRange(k, 60, 76);
    byte[] kb = Arrays.copyOfRange(k, 76, 92);

    CreateFast.ClientState client = CreateFast.clientWithX(x);
    assertThat(client.onionskin()).isEqualTo(x);
    byte[] reply = Arrays.copyOf(concat(y, kh), 509); // CREATED_FAST payload, zero-padded
    byte[] keys = client.complete(reply);
    assertThat(keys).isEqualTo(concat(df, db, kf, kb, kh));

    // The relay crypto from these keys is the tor1 crypto: a relay-side layer built from the
    // same material (as the relay derives it) recognizes what the client sends, and vice versa.
    RelayLayer origin = RelayLayer.tor1(keys, RelayLayer.Side.ORIGIN);
    RelayLayer relay = RelayLayer.tor1(concat(df, db, kf, kb, kh), RelayLayer.Side.RESPONDER);
    byte[] body =
        new RelayCell(RelayCommand.BEGIN_DIR, 1, new byte[0])
            .encode(new java.security.SecureRandom());
    origin.stamp(body);
    origin.encrypt(body);
    relay.decrypt(body);
    assertThat(relay.recognize(body)).isNotNull();
    assertThat(RelayCell.decode(body).command()).isEqualTo(RelayCommand.BEGIN_DIR);
  }

  @Test
  void aWrongKhIsRefused() {
    byte[] x = new byte[20];
    byte[] y = new byte[20];
    Arrays.fill(y, (byte) 7);
    byte[] k = CreateFast.kdfTor(concat(x, y), 20);
    for (int flip : new int[] {0, 19}) {
      byte[] kh = k.clone();
      kh[flip] ^= 1;
      assertThatThrownBy(() -> CreateFast.clientWithX(x).complete(concat(y, kh)))
          .isInstanceOf(CryptoException.class)
          .hasMessageContaining("KH");
    }
    // the right KH for another Y is wrong too
    byte[] otherY = y.clone();
    otherY[5] ^= 1;
    assertThatThrownBy(() -> CreateFast.clientWithX(x).complete(concat(otherY, k)))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> CreateFast.clientWithX(x).complete(new byte[39]))
        .isInstanceOf(CryptoException.class);
  }

  private static byte[] concat(byte[]... parts) {
    ByteWriter w = new ByteWriter(128);
    for (byte[] p : parts) {
      w.bytes(p);
    }
    return w.toByteArray();
  }
}
