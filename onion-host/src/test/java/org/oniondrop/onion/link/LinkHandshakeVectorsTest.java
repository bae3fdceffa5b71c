package org.oniondrop.onion.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.oniondrop.onion.cert.Ed25519Cert;

/**
 * The link handshake of a C tor 0.4.9 relay on tornet, captured by {@code NativeTornetLiveTest}
 * into {@code src/test/resources/tornet/relay-handshake.txt}: the relay's TLS certificate and its
 * VERSIONS, CERTS, AUTH_CHALLENGE and NETINFO payloads (tor-spec §4).
 */
class LinkHandshakeVectorsTest {

  static Map<String, byte[]> v = new HashMap<>();
  static Instant captured;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in =
        LinkHandshakeVectorsTest.class.getResourceAsStream("/tornet/relay-handshake.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        if (line.startsWith("#")) {
          captured = Instant.parse(line.substring(line.lastIndexOf(' ') + 1));
          continue;
        }
        String[] kv = line.split(" ");
        v.put(kv[0], HexFormat.of().parseHex(kv[1]));
      }
    }
  }

  static Certs certs() throws Exception {
    return Certs.decode(v.get("certs"));
  }

  @Test
  void versionsNegotiateFive() throws Exception {
    Versions versions = Versions.decodePayload(v.get("versions"));
    assertThat(versions.versions()).containsExactly(3, 4, 5);
    assertThat(versions.negotiate(Versions.OURS)).isEqualTo(5);
    assertThat(HexFormat.of().formatHex(new Versions(Versions.OURS).encodeCell()))
        .isEqualTo("000007000400040005");
  }

  @Test
  void certsRoundTripAndHoldTypes12457() throws Exception {
    Certs c = certs();
    assertThat(c.encode()).isEqualTo(v.get("certs"));
    assertThat(c.entries()).extracting(Certs.Entry::type).containsExactlyInAnyOrder(1, 2, 4, 5, 7);
  }

  @Test
  void netinfoNamesUsAndTheRelay() throws Exception {
    Netinfo n = Netinfo.decode(v.get("netinfo"));
    assertThat(n.other().type()).isEqualTo(4);
    assertThat(n.other().value()).containsExactly(127, 0, 0, 1);
    assertThat(n.mine()).extracting(Netinfo.Address::value).contains(new byte[] {127, 0, 0, 1});
    assertThat(n.time()).isBetween(captured.getEpochSecond() - 5, captured.getEpochSecond() + 5);
  }

  @Test
  void relayCertificatesVerifyAgainstItsConsensusIdentity() throws Exception {
    CertsVerifier.Verified id =
        CertsVerifier.verify(
            certs(), v.get("tls_certificate"), v.get("rsa_id"), v.get("ed25519_id"), captured);
    assertThat(id.rsaId()).isEqualTo(v.get("rsa_id"));
    assertThat(id.ed25519Id()).isEqualTo(v.get("ed25519_id"));
  }

  @Test
  void anotherRsaIdentityIsRefused() throws Exception {
    byte[] wrong = v.get("rsa_id").clone();
    wrong[19] ^= 1;
    assertThatThrownBy(
            () ->
                CertsVerifier.verify(
                    certs(), v.get("tls_certificate"), wrong, v.get("ed25519_id"), captured))
        .isInstanceOf(LinkException.class)
        .hasMessage(
            "relay RSA identity "
                + HexFormat.of().withUpperCase().formatHex(v.get("rsa_id"))
                + " does not match the consensus identity "
                + HexFormat.of().withUpperCase().formatHex(wrong));
  }

  @Test
  void anotherEd25519IdentityIsRefused() throws Exception {
    byte[] wrong = v.get("ed25519_id").clone();
    wrong[0] ^= 1;
    assertThatThrownBy(
            () ->
                CertsVerifier.verify(
                    certs(), v.get("tls_certificate"), v.get("rsa_id"), wrong, captured))
        .isInstanceOf(LinkException.class)
        .hasMessage("relay Ed25519 identity does not match its microdescriptor");
  }

  @Test
  void certificatesReplayedOnAnotherTlsConnectionAreRefused() throws Exception {
    byte[] otherTls = v.get("tls_certificate").clone();
    otherTls[otherTls.length - 1] ^= 1;
    assertThatThrownBy(
            () ->
                CertsVerifier.verify(
                    certs(), otherTls, v.get("rsa_id"), v.get("ed25519_id"), captured))
        .isInstanceOf(LinkException.class)
        .hasMessage(
            "signing->link certificate names another TLS certificate than this connection's");
  }

  @Test
  void expiredLinkCertificateIsRefused() throws Exception {
    Ed25519Cert link = Ed25519Cert.decode(certs().only(Certs.ED_SIGNING_LINK));
    Instant after = link.expiration().plusSeconds(1);
    assertThatThrownBy(
            () ->
                CertsVerifier.verify(
                    certs(), v.get("tls_certificate"), v.get("rsa_id"), v.get("ed25519_id"), after))
        .isInstanceOf(LinkException.class)
        .hasMessage("signing->link certificate: certificate expired at " + link.expiration());
  }

  @Test
  void tamperedCrossCertificateIsRefused() throws Exception {
    List<Certs.Entry> entries = new ArrayList<>();
    for (Certs.Entry e : certs().entries()) {
      byte[] body = e.body().clone();
      if (e.type() == Certs.RSA_ED_CROSSCERT) {
        body[35] ^= 1; // lowest expiration byte: still unexpired, signature now wrong
      }
      entries.add(new Certs.Entry(e.type(), body));
    }
    assertThatThrownBy(
            () ->
                CertsVerifier.verify(
                    new Certs(entries),
                    v.get("tls_certificate"),
                    v.get("rsa_id"),
                    v.get("ed25519_id"),
                    captured))
        .isInstanceOf(LinkException.class)
        .hasMessage("RSA->Ed25519 cross-certificate signature does not verify");
  }

  @Test
  void missingOrDuplicateCertificatesAreRefused() throws Exception {
    List<Certs.Entry> without7 = new ArrayList<>(certs().entries());
    without7.removeIf(e -> e.type() == Certs.RSA_ED_CROSSCERT);
    assertThatThrownBy(
            () ->
                CertsVerifier.verify(
                    new Certs(without7),
                    v.get("tls_certificate"),
                    v.get("rsa_id"),
                    v.get("ed25519_id"),
                    captured))
        .isInstanceOf(LinkException.class)
        .hasMessage("CERTS has no certificate of type 7");
    List<Certs.Entry> twice = new ArrayList<>(certs().entries());
    twice.add(twice.stream().filter(e -> e.type() == Certs.RSA_ID_X509).findFirst().get());
    assertThatThrownBy(
            () ->
                CertsVerifier.verify(
                    new Certs(twice),
                    v.get("tls_certificate"),
                    v.get("rsa_id"),
                    v.get("ed25519_id"),
                    captured))
        .isInstanceOf(LinkException.class)
        .hasMessage("CERTS holds two certificates of type 2");
  }
}
