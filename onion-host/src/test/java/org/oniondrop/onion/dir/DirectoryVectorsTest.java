package org.oniondrop.onion.dir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The directory documents of a running tornet (C tor 0.4.9.11: 3 authorities, 5 relays), captured
 * with curl from an authority's DirPort and committed under {@code src/test/resources/tornet/}.
 */
class DirectoryVectorsTest {

  static String resource(String name) throws IOException {
    try (InputStream in = DirectoryVectorsTest.class.getResourceAsStream("/tornet/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  static JoinConfig join() throws Exception {
    return JoinConfig.parse(resource("join.torrc"));
  }

  @Test
  void joinTorrcGivesThreeAuthoritiesAndTestingNetwork() throws Exception {
    JoinConfig join = join();
    assertThat(join.testingNetwork()).isTrue();
    assertThat(join.authorities()).hasSize(3);
    assertThat(join.majority()).isEqualTo(2);
    DirAuthority a0 = join.authorities().get(0);
    assertThat(a0.nickname()).isEqualTo("auth0");
    assertThat(a0.address()).isEqualTo("127.0.0.1");
    assertThat(a0.v3identHex()).isEqualTo("DBF3B62EA8F24B48F939D327F6269F82A5EE112F");
  }

  @Test
  void withoutDirAuthorityLinesThePublicNetworksNineAuthoritiesAreUsed() throws Exception {
    JoinConfig pub = JoinConfig.parse("SocksPort 0\n");
    assertThat(pub.testingNetwork()).isFalse();
    assertThat(pub.authorities()).hasSize(9);
    assertThat(pub.majority()).isEqualTo(5);
    assertThat(pub.authorities())
        .extracting(DirAuthority::nickname)
        .contains("moria1", "tor26", "dizum", "gabelmoo", "faravahar");
    DirAuthority moria1 = pub.authorities().get(0);
    assertThat(moria1.v3identHex()).isEqualTo("F533C81CEF0BC0267857C99B2F471ADF249FA232");
    assertThat(moria1.dirPort()).isEqualTo(9231);
  }

  @Test
  void testingNetworkWithoutAuthoritiesIsRefused() {
    assertThatThrownBy(() -> JoinConfig.parse("TestingTorNetwork 1\n"))
        .isInstanceOf(DirException.class)
        .hasMessage("TestingTorNetwork 1 needs DirAuthority lines");
  }

  @Test
  void authorityCertificatesParseAndSelfVerify() throws Exception {
    List<AuthorityCertificate> certs = AuthorityCertificate.parseAll(resource("keys-all.txt"));
    assertThat(certs).hasSize(3);
    Set<String> fps = new HashSet<>();
    for (AuthorityCertificate c : certs) {
      fps.add(HexFormat.of().withUpperCase().formatHex(c.fingerprint()));
      assertThat(c.identityKey().bits()).isGreaterThanOrEqualTo(2048);
    }
    Set<String> configured = new HashSet<>();
    join().authorities().forEach(a -> configured.add(a.v3identHex()));
    assertThat(fps).isEqualTo(configured);
  }

  @Test
  void tamperedAuthorityCertificateIsRefused() throws Exception {
    String keys = resource("keys-all.txt");
    String first = keys.substring(0, keys.indexOf("\ndir-key-certificate-version", 10) + 1);
    String tampered = first.replace("dir-address 127.0.0.1:", "dir-address 127.0.0.2:");
    assertThat(tampered).isNotEqualTo(first);
    assertThatThrownBy(() -> AuthorityCertificate.parse(tampered))
        .isInstanceOf(DirException.class)
        .hasMessage("authority key certificate signature does not verify");
  }

  @Test
  void consensusVerifiesWithAllThreeSignatures() throws Exception {
    MicrodescConsensus c = MicrodescConsensus.parse(resource("consensus-microdesc.txt"));
    assertThat(c.routers()).hasSize(8);
    assertThat(c.signatures()).hasSize(3);
    assertThat(c.votingInterval()).isEqualTo(Duration.ofSeconds(20));
    ConsensusVerifier.verify(c, join(), certs(), c.validAfter().plusSeconds(5));
  }

  @Test
  void consensusWithOneOfThreeSignaturesIsRefused() throws Exception {
    String doc = resource("consensus-microdesc.txt");
    // Keep only the last signature block: 1 of 3 is not a majority.
    int firstSig = doc.indexOf("directory-signature ");
    int lastSig = doc.lastIndexOf("directory-signature ");
    String one = doc.substring(0, firstSig) + doc.substring(lastSig);
    MicrodescConsensus c = MicrodescConsensus.parse(one);
    assertThat(c.signatures()).hasSize(1);
    assertThatThrownBy(
            () -> ConsensusVerifier.verify(c, join(), certs(), c.validAfter().plusSeconds(5)))
        .isInstanceOf(DirException.class)
        .hasMessage("consensus has 1 valid signatures from configured authorities; 2 of 3 needed");
  }

  @Test
  void consensusSignedByUnconfiguredAuthoritiesIsRefused() throws Exception {
    MicrodescConsensus c = MicrodescConsensus.parse(resource("consensus-microdesc.txt"));
    // Only auth0 is configured here... then 1 of 1 would pass, so configure auth0 and two others.
    JoinConfig other =
        JoinConfig.parse(
            resource("join.torrc")
                .replace("81242C48ADDAB3EFFD8894147522CA0CCFF1B30F", "00".repeat(20))
                .replace("315492AFF159ACD82C4499EF32937B2771EBD67B", "11".repeat(20)));
    assertThatThrownBy(
            () -> ConsensusVerifier.verify(c, other, certs(), c.validAfter().plusSeconds(5)))
        .isInstanceOf(DirException.class)
        .hasMessageStartingWith("consensus has 1 valid signatures");
  }

  @Test
  void tamperedConsensusIsRefused() throws Exception {
    String doc = resource("consensus-microdesc.txt");
    String tampered = doc.replace("w Bandwidth=1000", "w Bandwidth=9000");
    MicrodescConsensus c = MicrodescConsensus.parse(tampered);
    assertThatThrownBy(
            () -> ConsensusVerifier.verify(c, join(), certs(), c.validAfter().plusSeconds(5)))
        .isInstanceOf(DirException.class)
        .hasMessageStartingWith("consensus has 0 valid signatures");
  }

  @Test
  void expiredConsensusIsRefused() throws Exception {
    MicrodescConsensus c = MicrodescConsensus.parse(resource("consensus-microdesc.txt"));
    Instant late = c.validUntil().plus(ConsensusVerifier.REASONABLY_LIVE).plusSeconds(1);
    assertThatThrownBy(() -> ConsensusVerifier.verify(c, join(), certs(), late))
        .isInstanceOf(DirException.class)
        .hasMessageStartingWith("consensus expired: valid until " + c.validUntil());
    // One second earlier it is still reasonably live.
    ConsensusVerifier.verify(c, join(), certs(), late.minusSeconds(1));
  }

  @Test
  void microdescriptorsMatchTheConsensusDigests() throws Exception {
    MicrodescConsensus c = MicrodescConsensus.parse(resource("consensus-microdesc.txt"));
    List<Microdescriptor> mds = Microdescriptor.parseAll(resource("micro.txt"));
    assertThat(mds).hasSize(8);
    Set<String> wanted = new HashSet<>();
    c.routers().forEach(r -> wanted.add(HexFormat.of().formatHex(r.microdescDigest())));
    Set<String> got = new HashSet<>();
    mds.forEach(m -> got.add(HexFormat.of().formatHex(m.digest())));
    assertThat(got).isEqualTo(wanted);
    assertThat(mds).allSatisfy(m -> assertThat(m.ed25519Id()).hasSize(32));
  }

  static List<AuthorityCertificate> certs() throws Exception {
    return AuthorityCertificate.parseAll(resource("keys-all.txt"));
  }
}
