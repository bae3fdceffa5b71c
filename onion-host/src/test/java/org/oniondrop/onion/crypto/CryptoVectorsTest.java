package org.oniondrop.onion.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.oniondrop.onion.Vectors.ascii;
import static org.oniondrop.onion.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.Test;
import org.oniondrop.onion.Vectors;

/** hs-mac.json, ed25519-tor.json, ntor.json (KDFs). */
class CryptoVectorsTest {

  @Test
  void hsMac() {
    for (JsonNode v : Vectors.load("hs-mac.json")) {
      assertThat(Vectors.hex(HsCrypto.mac(ascii(v, "key_ascii"), ascii(v, "message_ascii"))))
          .as(v.get("name").asText())
          .isEqualTo(v.get("mac").asText());
    }
  }

  @Test
  void cTorEd25519Operations() throws Exception {
    int checked = 0;
    for (JsonNode v : Vectors.load("ed25519-tor.json")) {
      if (!v.get("kind").asText().equals("ed25519_tor_ops")) {
        continue;
      }
      String name = v.get("name").asText();
      ExpandedEd25519Key key = ExpandedEd25519Key.fromSeed(hex(v, "seed"));
      assertThat(key.expandedSecret()).as(name).isEqualTo(hex(v, "expanded_secret_key"));
      assertThat(key.publicKey()).as(name).isEqualTo(hex(v, "public_key"));

      ExpandedEd25519Key fromFile = ExpandedEd25519Key.fromExpanded(hex(v, "expanded_secret_key"));
      assertThat(fromFile.publicKey()).as(name).isEqualTo(hex(v, "public_key"));
      assertThat(fromFile.sign(hex(v, "public_key")))
          .as(name + " self-signature")
          .isEqualTo(hex(v, "self_signature_of_public_key"));

      byte[] curve = new byte[32];
      X25519.scalarMultBase(Arrays.copyOf(hex(v, "expanded_secret_key"), 32), 0, curve, 0);
      assertThat(curve).isEqualTo(hex(v, "curve25519_public_key_from_expanded_scalar"));

      byte[] param = hex(v, "blinding_param_unclamped");
      ExpandedEd25519Key blinded = fromFile.blind(param);
      assertThat(blinded.expandedSecret())
          .as(name)
          .isEqualTo(hex(v, "blinded_expanded_secret_key"));
      assertThat(blinded.publicKey()).as(name).isEqualTo(hex(v, "blinded_public_key"));
      assertThat(ExpandedEd25519Key.blindPublicKey(key.publicKey(), param))
          .isEqualTo(hex(v, "blinded_public_key"));
      byte[] msg = "descriptor".getBytes();
      assertThat(ExpandedEd25519Key.verify(blinded.publicKey(), msg, blinded.sign(msg))).isTrue();
      checked++;
    }
    assertThat(checked).isEqualTo(10);
  }

  @Test
  void curve25519ToEd25519() {
    for (JsonNode v : Vectors.load("ed25519-tor.json")) {
      if (!v.get("kind").asText().equals("curve25519_to_ed25519")) {
        continue;
      }
      byte[] u = new byte[32];
      X25519.scalarMultBase(hex(v, "curve25519_secret_key"), 0, u, 0);
      assertThat(u).isEqualTo(hex(v, "curve25519_public_key"));
      assertThat(Ed25519Math.fromCurve25519(u, v.get("sign_bit").asInt()))
          .as(v.get("name").asText())
          .isEqualTo(hex(v, "ed25519_public_key"));
    }
  }

  @Test
  void kdfs() {
    for (JsonNode v : Vectors.load("ntor.json")) {
      String kind = v.path("kind").asText();
      if (kind.startsWith("KDF-RFC5869")) {
        byte[] out =
            HsCrypto.hkdfSha256(
                hex(v, "ikm_hex"),
                ascii(v, "salt_ascii"),
                ascii(v, "info_ascii"),
                v.get("output_length").asInt());
        assertThat(Vectors.hex(out)).isEqualTo(v.get("output").asText());
      } else if (kind.startsWith("SHAKE-256")) {
        byte[] expected = hex(v, "output");
        assertThat(HsCrypto.shake256(expected.length, hex(v, "input"))).isEqualTo(expected);
      }
    }
  }

  @Test
  void aesCtrKeystreamContinuesAcrossCalls() {
    byte[] key = new byte[16];
    byte[] data = new byte[100];
    byte[] whole = AesCtr.zeroIv(key).apply(data);
    AesCtr pieces = AesCtr.zeroIv(key);
    byte[] split = data.clone();
    pieces.apply(split, 0, 7);
    pieces.apply(split, 7, 93);
    assertThat(split).isEqualTo(whole);
  }

  @Test
  void torsionAndGarbagePointsAreRejected() {
    assertThat(
            Ed25519Math.isValidPublicKey(
                hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")))
        .isTrue();
    // A low-order point (order 8) and the identity are not valid identity keys.
    assertThat(
            Ed25519Math.isValidPublicKey(
                hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05")))
        .isFalse();
    assertThat(
            Ed25519Math.isValidPublicKey(
                hex("0100000000000000000000000000000000000000000000000000000000000000")))
        .isFalse();
    assertThat(
            Ed25519Math.isValidPublicKey(
                hex("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")))
        .isFalse();
  }
}
