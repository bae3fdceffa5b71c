package org.oniondrop.onion.descriptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.oniondrop.onion.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.oniondrop.onion.Vectors;
import org.oniondrop.onion.cell.LinkSpecifier;
import org.oniondrop.onion.cert.Ed25519Cert;
import org.oniondrop.onion.crypto.ExpandedEd25519Key;
import org.oniondrop.onion.hsdir.TimePeriod;
import org.oniondrop.onion.keys.BlindedIdentity;
import org.oniondrop.onion.keys.ClientAuthKey;
import org.oniondrop.onion.keys.HsIdentity;

/**
 * descriptor-decrypt.json, descriptor-certs.json, descriptor-client-auth.json,
 * descriptor-inner.json.
 */
class DescriptorVectorsTest {

  private static JsonNode vector(String name) {
    return Vectors.named("descriptor-decrypt.json", name);
  }

  private static Instant validAt(JsonNode v) {
    return Instant.parse(v.get("valid_at").asText());
  }

  @Test
  void cTorDescriptorWithoutClientAuthOpens() throws Exception {
    JsonNode v = vector("arti_hsdesc1_no_client_auth");
    HsDescriptor.Opened opened =
        HsDescriptor.open(
            v.get("descriptor_text").asText(),
            hex(v, "blinded_pubkey"),
            hex(v, "subcredential"),
            null,
            validAt(v));
    assertThat(opened.outer().revisionCounter()).isEqualTo(v.get("revision_counter").asLong());
    assertThat(opened.outer().signature()).isEqualTo(hex(v, "signature"));
    assertThat(opened.outer().signedText()).hasSize(v.get("signed_text_length").asInt());
    assertThat(opened.outer().signingKeyCert().certifiedKey())
        .isEqualTo(hex(v, "descriptor_signing_pubkey"));
    assertThat(opened.inner().introPoints()).hasSize(v.get("expected_intro_points").asInt());
    assertThat(opened.inner().introPoints().get(0).onionKey())
        .isEqualTo(hex(v, "expected_first_intro_ntor_onion_key"));
  }

  @Test
  void layerKeysMacsAndPlaintextsMatchTheVector() throws Exception {
    JsonNode v = vector("arti_hsdesc2_client_auth");
    OuterLayer outer = OuterLayer.parse(v.get("descriptor_text").asText());
    JsonNode sup = v.get("superencrypted_layer");
    LayerCrypto.Keys keys =
        LayerCrypto.keys(
            hex(v, "blinded_pubkey"),
            hex(v, "subcredential"),
            outer.revisionCounter(),
            hex(sup, "salt"),
            LayerCrypto.SUPERENCRYPTED);
    assertThat(keys.secretKey()).isEqualTo(hex(sup, "secret_key"));
    assertThat(keys.secretIv()).isEqualTo(hex(sup, "secret_iv"));
    assertThat(keys.macKey()).isEqualTo(hex(sup, "mac_key"));
    assertThat(outer.superencrypted()).hasSize(sup.get("blob_length").asInt());

    byte[] middlePlain =
        LayerCrypto.decrypt(
            outer.superencrypted(),
            hex(v, "blinded_pubkey"),
            hex(v, "subcredential"),
            outer.revisionCounter(),
            LayerCrypto.SUPERENCRYPTED);
    assertThat(middlePlain).hasSize(sup.get("plaintext_length_padded").asInt());
    assertThat(new String(middlePlain, StandardCharsets.US_ASCII))
        .startsWith(sup.get("plaintext_unpadded").asText());
    // Re-encoding the parsed middle layer gives the same padded bytes C tor wrote.
    assertThat(MiddleLayer.parse(middlePlain).encode()).isEqualTo(middlePlain);

    JsonNode enc = v.get("encrypted_layer");
    byte[] innerPlain =
        LayerCrypto.decrypt(
            MiddleLayer.parse(middlePlain).encrypted(),
            hex(enc, "secret_data"),
            hex(v, "subcredential"),
            outer.revisionCounter(),
            LayerCrypto.ENCRYPTED);
    assertThat(new String(innerPlain, StandardCharsets.US_ASCII))
        .isEqualTo(enc.get("plaintext").asText());
    assertThat(InnerLayer.parse(innerPlain).encode()).isEqualTo(innerPlain);
  }

  @Test
  void clientAuthorizedDescriptorOpensOnlyWithTheRightKey() throws Exception {
    JsonNode v = vector("arti_hsdesc2_client_auth");
    String text = v.get("descriptor_text").asText();
    byte[] blinded = hex(v, "blinded_pubkey");
    byte[] subcred = hex(v, "subcredential");
    ClientAuthKey key =
        ClientAuthKey.fromSecret(hex(v.get("client_auth"), "client_x25519_secret_key"));
    assertThat(key.publicKey()).isEqualTo(hex(v.get("client_auth"), "client_x25519_public_key"));

    assertThat(HsDescriptor.open(text, blinded, subcred, key, validAt(v)).inner().introPoints())
        .hasSize(3);
    assertThatThrownBy(() -> HsDescriptor.open(text, blinded, subcred, null, validAt(v)))
        .isInstanceOf(DescriptorException.class)
        .hasMessage("descriptor needs client authorization and no key was given")
        .extracting("reason")
        .isEqualTo(DescriptorException.Reason.CLIENT_AUTH_MISSING);
    ClientAuthKey wrong = ClientAuthKey.generate(new SecureRandom());
    assertThatThrownBy(() -> HsDescriptor.open(text, blinded, subcred, wrong, validAt(v)))
        .extracting("reason")
        .isEqualTo(DescriptorException.Reason.CLIENT_AUTH_WRONG);
  }

  @Test
  void introPointCertificatesMatchTheVector() throws Exception {
    for (JsonNode v : Vectors.load("descriptor-certs.json")) {
      Ed25519Cert auth = Ed25519Cert.decode(hex(v.get("auth_key_cert"), "raw"));
      byte[] signer = hex(v, "signed_by_descriptor_signing_key");
      Instant before = auth.expiration().minusSeconds(3600);
      auth.verify(Ed25519Cert.TYPE_HS_IPT_AUTH, signer, before);
      assertThat(auth.certifiedKey()).isEqualTo(hex(v, "KP_hs_ipt_sid"));
      assertThat(auth.encode()).isEqualTo(hex(v.get("auth_key_cert"), "raw"));
      Ed25519Cert enc = Ed25519Cert.decode(hex(v.get("enc_key_cert"), "raw"));
      enc.verify(Ed25519Cert.TYPE_HS_IPT_ENC, signer, before);
      assertThat(enc.certifiedKey()).isEqualTo(hex(v, "enc_key_as_ed25519_signbit0"));
      assertThatThrownBy(() -> enc.verify(Ed25519Cert.TYPE_HS_IPT_ENC, signer, enc.expiration()))
          .hasMessageStartingWith("certificate expired at");
    }
  }

  @Test
  void cTorClientAuthEntry() throws Exception {
    JsonNode v = Vectors.named("descriptor-client-auth.json", "c_tor_build_authorized_client");
    byte[] seed = new byte[32];
    org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(
        hex(v, "service_ephemeral_x25519_secret_key"),
        0,
        hex(v, "client_x25519_public_key"),
        0,
        seed,
        0);
    assertThat(seed).isEqualTo(hex(v, "x25519_shared_secret"));
    byte[] keys = org.oniondrop.onion.crypto.HsCrypto.shake256(40, hex(v, "subcredential"), seed);
    assertThat(keys).isEqualTo(hex(v, "keys_40"));
    assertThat(
            org.oniondrop.onion.crypto.AesCtr.crypt(
                hex(v, "cookie_key"), hex(v, "iv"), hex(v, "descriptor_cookie")))
        .isEqualTo(hex(v, "encrypted_cookie"));
  }

  @Test
  void negativeTextsAreRefusedWithTheirReason() {
    JsonNode bad = Vectors.named("descriptor-inner.json", "c_tor_malformed_signature_line");
    assertThatThrownBy(() -> OuterLayer.parse(bad.get("text").asText()))
        .isInstanceOf(DescriptorException.class)
        .hasMessageStartingWith("line starts with white space: ' signature");
    JsonNode pow = Vectors.named("descriptor-inner.json", "arti_inner_pow_empty");
    assertThatThrownBy(
            () -> InnerLayer.parse(pow.get("text").asText().getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(DescriptorException.class)
        .hasMessage("'pow-params' needs at least 1 arguments");
    JsonNode powV1 = Vectors.named("descriptor-inner.json", "arti_inner_pow_v1");
    assertThat(powV1.get("pow_params_line").asText()).startsWith("pow-params v1");
  }

  @Test
  void innerVariantsParse() throws Exception {
    for (String name : List.of("arti_inner_plain", "arti_inner_pow_v1")) {
      JsonNode v = Vectors.named("descriptor-inner.json", name);
      InnerLayer inner =
          InnerLayer.parse(v.get("text").asText().getBytes(StandardCharsets.US_ASCII));
      assertThat(inner.flowControl()).isEqualTo("1-2 31");
      assertThat(inner.introPoints()).isNotEmpty();
    }
  }

  @Test
  void ourDescriptorsRoundTripWithAndWithoutClientAuth() throws Exception {
    SecureRandom random = new SecureRandom();
    HsIdentity id = HsIdentity.generate(random);
    Instant now = Instant.parse("2026-11-21T13:00:00Z");
    TimePeriod tp = TimePeriod.containing(now);
    BlindedIdentity blinded = id.blind(tp);
    ExpandedEd25519Key signing = ExpandedEd25519Key.generate(random);
    List<IntroPoint> points = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] encKey = new byte[32];
      org.bouncycastle.math.ec.rfc7748.X25519.generatePublicKey(random32(random), 0, encKey, 0);
      points.add(
          HsDescriptor.introPoint(
              List.of(
                  LinkSpecifier.ipv4(new byte[] {127, 0, 0, 1}, 9000 + i),
                  new LinkSpecifier(LinkSpecifier.ED25519_ID, random32(random))),
              random32(random),
              ExpandedEd25519Key.generate(random).publicKey(),
              encKey,
              signing,
              HsDescriptor.certExpiry(now)));
    }
    InnerLayer inner = InnerLayer.of(points);

    String open = HsDescriptor.build(blinded, signing, 42, inner, List.of(), now, random);
    byte[] clientBlinded = HsIdentity.blindedPublicKey(id.publicKey(), tp);
    byte[] subcred = BlindedIdentity.subcredential(id.publicKey(), clientBlinded);
    HsDescriptor.Opened opened = HsDescriptor.open(open, clientBlinded, subcred, null, now);
    assertThat(opened.inner().encode()).isEqualTo(inner.encode());
    assertThat(opened.middle().authClients()).hasSize(16);
    assertThat(open.length()).isLessThan(NetDoc.MAX_DOCUMENT_BYTES);

    ClientAuthKey alice = ClientAuthKey.generate(random);
    String restricted =
        HsDescriptor.build(blinded, signing, 43, inner, List.of(alice.publicKey()), now, random);
    assertThat(
            HsDescriptor.open(restricted, clientBlinded, subcred, alice, now).inner().introPoints())
        .hasSize(3);
    assertThatThrownBy(() -> HsDescriptor.open(restricted, clientBlinded, subcred, null, now))
        .extracting("reason")
        .isEqualTo(DescriptorException.Reason.CLIENT_AUTH_MISSING);

    // Another period's blinded key does not verify the signing certificate.
    byte[] otherBlinded = HsIdentity.blindedPublicKey(id.publicKey(), tp.next());
    assertThatThrownBy(() -> HsDescriptor.open(open, otherBlinded, subcred, null, now))
        .extracting("reason")
        .isEqualTo(DescriptorException.Reason.BAD_SIGNATURE);
    // After the 54-hour certificate lifetime the descriptor is expired.
    assertThatThrownBy(
            () -> HsDescriptor.open(open, clientBlinded, subcred, null, now.plusSeconds(55 * 3600)))
        .extracting("reason")
        .isEqualTo(DescriptorException.Reason.EXPIRED);
    // A flipped byte in the signed text breaks the signature.
    String tampered = open.replace("revision-counter 42", "revision-counter 41");
    assertThatThrownBy(() -> HsDescriptor.open(tampered, clientBlinded, subcred, null, now))
        .extracting("reason")
        .isEqualTo(DescriptorException.Reason.BAD_SIGNATURE);
  }

  private static byte[] random32(SecureRandom random) {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return b;
  }
}
