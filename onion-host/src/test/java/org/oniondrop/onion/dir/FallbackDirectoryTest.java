package org.oniondrop.onion.dir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.oniondrop.onion.dir.DirectoryVectorsTest.resource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fallback directories (issue 17): FallbackDir lines, the shipped public list, and a {@link
 * NetworkDirectory} whose fallbacks are fakes serving the captured tornet documents (the
 * authorities' DirPorts are closed loopback ports). A fallback is a cache, not a trust anchor.
 */
class FallbackDirectoryTest {

  @TempDir Path dir;

  @Test
  void fallbackDirLinesParseAsTorsManualWritesThem() throws Exception {
    FallbackDir f =
        FallbackDir.parse(
            "185.220.101.65:80 orport=9100 id=DA45B31898EDEBC5F6DB39F5BC0DB5FC693FCEFE"
                + " weight=10 ipv6=[2605:6400:30:edc3::34]:9001");
    assertThat(f.address()).isEqualTo("185.220.101.65");
    assertThat(f.dirPort()).isEqualTo(80);
    assertThat(f.orPort()).isEqualTo(9100);
    assertThat(f.fingerprintHex()).isEqualTo("DA45B31898EDEBC5F6DB39F5BC0DB5FC693FCEFE");
    assertThat(f.ipv4()).containsExactly(185, 220, 101, 65);
    // tor's compiled-in list has no DirPort
    assertThat(FallbackDir.parse("10.0.0.1 orport=443 id=" + "AB".repeat(20)).dirPort()).isZero();
    for (String bad :
        new String[] {
          "10.0.0.1 id=" + "AB".repeat(20),
          "10.0.0.1 orport=443",
          "orport=443 id=" + "AB".repeat(20),
          "10.0.0.1 orport=70000 id=" + "AB".repeat(20),
          "10.0.0.1 orport=443 id=" + "AB".repeat(19),
          "300.0.0.1 orport=443 id=" + "AB".repeat(20),
          "10.0.0.1 orport=443 id=" + "AB".repeat(20) + " junk"
        }) {
      assertThatThrownBy(() -> FallbackDir.parse(bad)).as(bad).isInstanceOf(DirException.class);
    }
  }

  @Test
  void thePublicNetworkShipsTorsFallbackListWithItsSourceNamed() throws Exception {
    JoinConfig pub = JoinConfig.parse("# nothing\n");
    assertThat(pub.authorities()).hasSize(9);
    assertThat(pub.fallbacks()).hasSize(200);
    assertThat(pub.fallbacks().get(0).toString()).isEqualTo("fallback 64.65.62.122:443 $4F067C5C");
    String header;
    try (var in = JoinConfig.class.getResourceAsStream("public-fallbacks.torrc")) {
      header = new String(in.readNBytes(1024), java.nio.charset.StandardCharsets.UTF_8);
    }
    assertThat(header)
        .contains("Debian 12's tor 0.4.9.11-0+deb12u1 (tor's\n# src/app/config/fallback_dirs.inc");
    // FallbackDir lines of a torrc replace the shipped list; custom authorities get none by
    // default, and keep the torrc's.
    String line = "FallbackDir 10.1.2.3 orport=443 id=" + "CD".repeat(20) + "\n";
    assertThat(JoinConfig.parse(line).fallbacks()).hasSize(1);
    assertThat(JoinConfig.parse(line).authorities()).hasSize(9);
    assertThat(join().fallbacks()).isEmpty();
    assertThat(JoinConfig.parse(torrc() + line).fallbacks()).hasSize(1);
  }

  @Test
  void aFallbackServingAConsensusNotSignedByAMajorityIsRefused() throws Exception {
    String doc = resource("consensus-microdesc.txt");
    int firstSig = doc.indexOf("directory-signature ");
    int lastSig = doc.lastIndexOf("directory-signature ");
    FakeFallbacks fake = new FakeFallbacks(doc.substring(0, firstSig) + doc.substring(lastSig));
    JoinConfig config = withFallbacks(1);
    NetworkDirectory d = directory(config, fake);
    assertThatThrownBy(() -> d.refresh(true))
        .isInstanceOf(DirException.class)
        .hasMessageStartingWith("no directory source gave a usable consensus (4 tried: ")
        .hasMessageContaining(
            config.fallbacks().get(0)
                + ": consensus has 1 valid signatures from configured authorities; 2 of 3 needed");
    assertThat(d.snapshot()).isNull();
    assertThat(d.stats().refusedConsensuses()).isEqualTo(1);
    assertThat(d.stats().fallbackConsensuses()).isZero();
    assertThat(fake.requests)
        .containsExactly("/tor/status-vote/current/consensus-microdesc", "/tor/keys/all");
    // nothing a refused cache served was stored
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith("cached-"));
    }
  }

  @Test
  void aGoodFallbackIsUsedAfterABadOneAndItsMicrodescriptorsMustMatch() throws Exception {
    String doc = resource("consensus-microdesc.txt");
    String tampered = doc.replace("w Bandwidth=1000", "w Bandwidth=9000");
    JoinConfig config = withFallbacks(2);
    FakeFallbacks good = new FakeFallbacks(doc);
    FakeFallbacks bad = new FakeFallbacks(tampered);
    // a microdescriptor the consensus does not list is ignored, not used
    bad.extraMicrodesc = true;
    good.extraMicrodesc = true;
    List<String> order = new ArrayList<>();
    OrPortFetcher fetcher =
        (f, path, max) -> {
          order.add(f.address());
          return (f.address().equals("127.0.0.2") ? bad : good).get(f, path, max);
        };
    for (long seed = 0; seed < 6; seed++) {
      order.clear();
      Path data = dir.resolve("seed" + seed);
      NetworkDirectory d =
          new NetworkDirectory(
              config, data, fixedClock(doc), new DirectoryFetcher(), fetcher, seeded(seed));
      NetworkDirectory.Snapshot s = d.refresh(true);
      assertThat(s.consensus().routers()).hasSize(8);
      assertThat(s.microdescs()).hasSize(8);
      assertThat(s.microdescs().values().stream().map(Microdescriptor::text))
          .doesNotContain(forged());
      assertThat(d.stats().fallbackConsensuses()).isEqualTo(1);
      assertThat(d.stats().refusedConsensuses())
          .isEqualTo(order.get(0).equals("127.0.0.2") ? 1 : 0);
      assertThat(Files.readString(data.resolve("cached-microdesc-consensus"))).isEqualTo(doc);
    }
  }

  @Test
  void fallbacksComeFirstThenTheAuthoritiesAndNothingAnsweringIsOneClearError() throws Exception {
    JoinConfig config = withFallbacks(8);
    List<String> tried = Collections.synchronizedList(new ArrayList<>());
    OrPortFetcher dead =
        (f, path, max) -> {
          tried.add(f.address());
          throw new DirException(f + path + ": unreachable: ConnectException refused");
        };
    NetworkDirectory d =
        new NetworkDirectory(
            config, dir, Clock.systemUTC(), new DirectoryFetcher(), dead, new SecureRandom());
    DirException e =
        org.junit.jupiter.api.Assertions.assertThrows(DirException.class, () -> d.refresh(true));
    // 3 fallbacks, the 3 authorities (closed DirPorts), 3 more fallbacks
    assertThat(e.getMessage()).startsWith("no directory source gave a usable consensus (9 tried: ");
    assertThat(tried).hasSize(6).doesNotHaveDuplicates();
    String msg = e.getMessage();
    int firstAuth = msg.indexOf("auth");
    assertThat(msg.substring(0, firstAuth).split("unreachable", -1)).hasSize(4);
    assertThat(msg).contains("ConnectException");
  }

  @Test
  void onceItHasAConsensusARefreshAsksTheDirectoryCachesItListsFirst() throws Exception {
    String doc = resource("consensus-microdesc.txt");
    FakeFallbacks fake = new FakeFallbacks(doc);
    List<FallbackDir> asked = new ArrayList<>();
    OrPortFetcher recording =
        (f, path, max) -> {
          asked.add(f);
          return fake.get(f, path, max);
        };
    NetworkDirectory d = directory(withFallbacks(3), recording);
    d.refresh(true);
    assertThat(asked).allMatch(f -> !f.address().equals("127.0.0.1")); // bootstrap: fallbacks
    asked.clear();
    d.refresh(true);
    // the captured tornet relays are all 127.0.0.1; the configured fallbacks 127.0.0.2..4
    FallbackDir first = asked.get(0);
    assertThat(first.address()).isEqualTo("127.0.0.1");
    assertThat(
            d.snapshot().consensus().routers().stream()
                .filter(r -> r.has("V2Dir") && r.orPort() == first.orPort())
                .map(r -> HexFormat.of().formatHex(r.rsaId())))
        .containsExactly(HexFormat.of().formatHex(first.fingerprint()));
    // the link must prove the Ed25519 identity of its microdescriptor too
    MicrodescConsensus.Router router =
        d.snapshot().consensus().routers().stream()
            .filter(r -> java.util.Arrays.equals(r.rsaId(), first.fingerprint()))
            .findFirst()
            .orElseThrow();
    assertThat(first.ed25519Id()).isNotNull().isEqualTo(d.snapshot().microdesc(router).ed25519Id());
    assertThat(d.stats().fallbackConsensuses()).isEqualTo(2);
  }

  // ---- helpers ----

  /** Serves the captured documents like a directory cache; records the paths asked for. */
  static final class FakeFallbacks implements OrPortFetcher {
    final String consensus;
    final List<String> requests = new ArrayList<>();
    boolean extraMicrodesc;

    FakeFallbacks(String consensus) {
      this.consensus = consensus;
    }

    @Override
    public String get(FallbackDir f, String path, int maxBytes) throws DirException {
      requests.add(path);
      try {
        if (path.equals("/tor/status-vote/current/consensus-microdesc")) {
          return consensus;
        }
        if (path.equals("/tor/keys/all")) {
          return resource("keys-all.txt");
        }
        if (path.startsWith("/tor/micro/d/")) {
          String mds = resource("micro.txt");
          return extraMicrodesc ? mds + forged() : mds;
        }
      } catch (IOException e) {
        throw new DirException("resource", e);
      }
      throw new DirException(f + path + ": HTTP 404");
    }
  }

  /** The first captured microdescriptor with another ntor key: listed by no consensus. */
  static String forged() throws IOException {
    String mds = resource("micro.txt");
    String first = mds.substring(0, mds.indexOf("\nonion-key", 1) + 1);
    String forged = first.replaceFirst("ntor-onion-key \\S", "ntor-onion-key A");
    assertThat(forged).isNotEqualTo(first);
    return forged;
  }

  private NetworkDirectory directory(JoinConfig config, OrPortFetcher fetcher) throws Exception {
    return new NetworkDirectory(
        config,
        dir,
        fixedClock(resource("consensus-microdesc.txt")),
        new DirectoryFetcher(),
        fetcher,
        seeded(1));
  }

  private static Clock fixedClock(String consensus) throws DirException {
    return Clock.fixed(
        MicrodescConsensus.parse(consensus).validAfter().plusSeconds(5), ZoneOffset.UTC);
  }

  private static SecureRandom seeded(long seed) throws Exception {
    SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
    r.setSeed(seed);
    return r;
  }

  /** The captured tornet join torrc, authorities' DirPorts moved to closed ports. */
  static String torrc() throws Exception {
    String text = resource("join.torrc");
    Matcher m = Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, "127.0.0.1:" + closedPort());
    }
    m.appendTail(out);
    return out.toString();
  }

  static JoinConfig join() throws Exception {
    return JoinConfig.parse(torrc());
  }

  /** The captured join torrc with {@code n} fallbacks 127.0.0.2, 127.0.0.3, ... (fakes). */
  static JoinConfig withFallbacks(int n) throws Exception {
    StringBuilder t = new StringBuilder(torrc());
    for (int i = 0; i < n; i++) {
      t.append("FallbackDir 127.0.0.")
          .append(2 + i)
          .append(" orport=9001 id=")
          .append(HexFormat.of().formatHex(new byte[] {(byte) i}).repeat(20))
          .append('\n');
    }
    return JoinConfig.parse(t.toString());
  }

  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
