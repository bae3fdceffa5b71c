package org.oniondrop.onion.nativenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oniondrop.onion.dir.MicrodescConsensus;
import org.oniondrop.onion.dir.Microdescriptor;
import org.oniondrop.onion.dir.NetworkDirectory;
import org.oniondrop.onion.net.Consensus;
import org.oniondrop.onion.net.RelayInfo;

/**
 * Guard selection and weighted paths (path-spec §2.2, guard-spec) on the consensus and
 * microdescriptors captured from tornet's C tor ({@code src/test/resources/tornet/}): as captured
 * (a testing network: every relay on 127.0.0.1, Guard+Exit everywhere, authorities at bandwidth 0),
 * and with its {@code r}, {@code s}, {@code w}, {@code bandwidth-weights} lines and two
 * microdescriptors' {@code family} lines rewritten to give distinct /16s, one shared /16, one
 * family, guard-less relays and unequal bandwidths.
 */
class PathSelectionTest {

  static final int PATHS = 10_000;

  /** Allowed gap between a hop's observed and expected frequency (about 6 sigma at 10,000). */
  static final double TOLERANCE = 0.03;

  static final Instant NOW = Instant.parse("2026-11-28T04:30:00Z");

  static String resource(String name) throws IOException {
    try (InputStream in = PathSelectionTest.class.getResourceAsStream("/tornet/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  static NetworkDirectory.Snapshot snapshot(String consensus, String micro) throws Exception {
    Map<String, Microdescriptor> mds = new HashMap<>();
    for (Microdescriptor md : Microdescriptor.parseAll(micro)) {
      mds.put(HexFormat.of().formatHex(md.digest()), md);
    }
    return new NetworkDirectory.Snapshot(MicrodescConsensus.parse(consensus), mds);
  }

  static Consensus captured(GuardSet guards, Random random) throws Exception {
    return NativeNetwork.toConsensus(
        snapshot(resource("consensus-microdesc.txt"), resource("micro.txt")),
        true,
        guards,
        Clock.fixed(NOW, ZoneOffset.UTC),
        random);
  }

  static RelayInfo named(Consensus c, String nickname) {
    return c.relays().stream().filter(r -> r.nickname().equals(nickname)).findFirst().orElseThrow();
  }

  // ---- the consensus as captured (testing network) ----

  @Test
  void capturedTornetFirstHopIsTheFirstUsableSampledGuardAndMiddlesFollowBandwidth(
      @TempDir Path dir) throws Exception {
    GuardSet guards = GuardSet.load(dir.resolve(GuardSet.FILE));
    Random random = new Random(17);
    Consensus c = captured(guards, random);
    assertThat(c.relays()).hasSize(8);
    List<String> sampled = guards.sampled();
    assertThat(sampled).hasSize(GuardSet.PRIMARY).doesNotHaveDuplicates();
    // The authorities weigh 0 (Bandwidth=0 Unmeasured=1): never sampled, never a middle hop.
    for (String hex : sampled) {
      RelayInfo g = c.relays().stream().filter(r -> r.rsaHex().equals(hex)).findFirst().get();
      assertThat(g.guard()).isTrue();
      assertThat(g.nickname()).startsWith("relay");
    }
    List<RelayInfo> hsdirs = c.relays().stream().filter(RelayInfo::hsDir).toList();
    Map<String, Integer> middles = new HashMap<>();
    for (int i = 0; i < PATHS; i++) {
      RelayInfo last = hsdirs.get(random.nextInt(hsdirs.size()));
      List<RelayInfo> path = c.path(3, last, List.of(), random);
      assertThat(path).hasSize(3).doesNotHaveDuplicates();
      assertThat(path.get(2)).isEqualTo(last);
      String expectedGuard = last.rsaHex().equals(sampled.get(0)) ? sampled.get(1) : sampled.get(0);
      assertThat(path.get(0).rsaHex()).isEqualTo(expectedGuard);
      assertThat(path.get(1).nickname()).startsWith("relay");
      if (last.nickname().startsWith("auth")) {
        middles.merge(path.get(1).nickname(), 1, Integer::sum);
      }
    }
    // With an authority last and the first guard fixed, the middle is one of the 4 other relays,
    // each Bandwidth=1000 with Guard+Exit (Wmd): a quarter each.
    int n = middles.values().stream().mapToInt(Integer::intValue).sum();
    assertThat(middles).hasSize(4);
    for (int count : middles.values()) {
      assertThat((double) count / n).isCloseTo(0.25, within(TOLERANCE));
    }
  }

  @Test
  void guardSampleIsPersistedAndReusedAfterReload(@TempDir Path dir) throws Exception {
    Path file = dir.resolve(GuardSet.FILE);
    GuardSet first = GuardSet.load(file);
    Consensus c1 = captured(first, new Random(1));
    List<String> sampled = first.sampled();
    assertThat(Files.readAllLines(file)).filteredOn(l -> l.startsWith("guard ")).hasSize(3);

    // A restart: the file is read back, and another random source samples nothing new.
    GuardSet reloaded = GuardSet.load(file);
    assertThat(reloaded.sampled()).isEqualTo(sampled);
    Consensus c2 = captured(reloaded, new Random(99));
    assertThat(reloaded.sampled()).isEqualTo(sampled);
    RelayInfo auth0 = named(c2, "auth0");
    for (int i = 0; i < 100; i++) {
      assertThat(c2.path(3, auth0, List.of(), new Random(i)).get(0).rsaHex())
          .isEqualTo(sampled.get(0));
    }
    // Without the file, another seed gives another sample (the check above can fail).
    GuardSet fresh = GuardSet.load(dir.resolve("other"));
    captured(fresh, new Random(99));
    assertThat(List.of(c1, c2)).isNotEmpty();
    assertThat(fresh.sampled()).isNotEqualTo(sampled);
  }

  @Test
  void unlistedGuardIsSkippedThenDroppedAfterTwentyDays(@TempDir Path dir) throws Exception {
    GuardSet guards = GuardSet.load(dir.resolve(GuardSet.FILE));
    Consensus full = captured(guards, new Random(5));
    List<String> sampled = guards.sampled();
    List<RelayInfo> without = new ArrayList<>(full.relays());
    without.removeIf(r -> r.rsaHex().equals(sampled.get(0)));
    Consensus gone =
        new Consensus(
            full.validAfter(),
            without,
            full.currentSrv(),
            full.previousSrv(),
            full.params(),
            full.selector());
    BandwidthWeights w = new BandwidthWeights(Map.of());
    guards.update(gone, w, NOW, new Random(5));
    // Still sampled (kept for 20 days), but the path uses the next one; a new one was sampled so
    // that 3 are listed.
    assertThat(guards.sampled()).hasSize(4).startsWith(sampled.get(0), sampled.get(1));
    assertThat(gone.path(3, named(gone, "auth0"), List.of(), new Random(1)).get(0).rsaHex())
        .isEqualTo(sampled.get(1));
    guards.update(gone, w, NOW.plus(GuardSet.REMOVE_UNLISTED_AFTER).minusSeconds(1), new Random(5));
    assertThat(guards.sampled()).contains(sampled.get(0));
    guards.update(gone, w, NOW.plus(GuardSet.REMOVE_UNLISTED_AFTER), new Random(5));
    assertThat(guards.sampled()).doesNotContain(sampled.get(0)).hasSize(3);
    // Back in the consensus within the 20 days, it is first again.
    GuardSet back = GuardSet.load(dir.resolve("b"));
    Consensus c = captured(back, new Random(5));
    back.update(gone, w, NOW, new Random(5));
    back.update(c, w, NOW.plusSeconds(3600), new Random(5));
    assertThat(c.path(3, named(c, "auth0"), List.of(), new Random(1)).get(0).rsaHex())
        .isEqualTo(sampled.get(0));
  }

  @Test
  void anUnreachableGuardIsSkippedForTwoMinutesThenTriedAgain(@TempDir Path dir) throws Exception {
    GuardSet guards = GuardSet.load(dir.resolve(GuardSet.FILE));
    Consensus c = captured(guards, new Random(8));
    List<String> sampled = guards.sampled();
    RelayInfo first =
        c.relays().stream().filter(r -> r.rsaHex().equals(sampled.get(0))).findFirst().get();
    guards.markUnreachable(first, NOW);
    RelayInfo auth0 = named(c, "auth0");
    assertThat(guards.first(c, r -> !r.equals(auth0), NOW.plusSeconds(119)).rsaHex())
        .isEqualTo(sampled.get(1));
    assertThat(guards.first(c, r -> !r.equals(auth0), NOW.plus(GuardSet.UNREACHABLE_RETRY)))
        .isEqualTo(first);
  }

  // ---- the captured consensus rewritten: subnets, families, flags, bandwidths ----

  /** nickname -> address, bandwidth, flags. relay2 and relay3 share 10.20/16. */
  static final Map<String, String[]> REWRITE =
      Map.of(
          "auth0", new String[] {"10.0.0.1", "500", "Exit Fast Guard HSDir Running Stable Valid"},
          "auth1", new String[] {"10.1.0.1", "1000", "Fast Guard HSDir Running Stable Valid"},
          "auth2", new String[] {"10.2.0.1", "1500", "Exit Fast HSDir Running Stable Valid"},
          "relay0", new String[] {"10.10.0.1", "4000", "Fast Guard HSDir Running Stable Valid"},
          "relay1", new String[] {"10.11.0.1", "2000", "Fast Guard HSDir Running Stable Valid"},
          "relay2", new String[] {"10.20.0.1", "3000", "Exit Fast HSDir Running Stable Valid"},
          "relay3", new String[] {"10.20.9.9", "3000", "Fast HSDir Running Stable Valid"},
          "relay4", new String[] {"10.30.0.1", "8000", "Fast HSDir Running Stable Valid"});

  static final String WEIGHTS =
      "bandwidth-weights Wbd=0 Wbe=0 Wbg=0 Wbm=10000 Wdb=10000 Web=10000 Wed=10000 Wee=10000"
          + " Weg=10000 Wem=10000 Wgb=10000 Wgd=4000 Wgg=10000 Wgm=10000 Wmb=10000 Wmd=2500"
          + " Wme=7000 Wmg=5000 Wmm=10000";

  /** The independent expectation: Bandwidth x the middle weight for the relay's flags. */
  static double middleWeight(String nickname) {
    String[] f = REWRITE.get(nickname);
    boolean guard = (" " + f[2] + " ").contains(" Guard ");
    boolean exit = (" " + f[2] + " ").contains(" Exit ");
    int w = guard && exit ? 2500 : guard ? 5000 : exit ? 7000 : 10000;
    return Long.parseLong(f[1]) * w / 10000.0;
  }

  static Consensus rewritten(GuardSet guards, Random random) throws Exception {
    String consensus = resource("consensus-microdesc.txt");
    String micro = resource("micro.txt");
    // relay0 and relay1 declare each other (a family); auth1 declares relay4, which does not
    // declare it back (not a family).
    Map<String, String> rsaHex = new HashMap<>();
    Matcher r = Pattern.compile("(?m)^r (\\S+) (\\S+) ").matcher(consensus);
    while (r.find()) {
      rsaHex.put(
          r.group(1),
          HexFormat.of().withUpperCase().formatHex(Base64.getDecoder().decode(r.group(2))));
    }
    Map<String, String> declares =
        Map.of(
            "relay0", "$" + rsaHex.get("relay1"),
            "relay1", "$" + rsaHex.get("relay0"),
            "auth1", "$" + rsaHex.get("relay4"));
    StringBuilder out = new StringBuilder();
    String[] lines = consensus.split("\n", -1);
    String current = null;
    Map<String, String> digestOf = new HashMap<>();
    for (String line : lines) {
      if (line.startsWith("r ")) {
        String[] f = line.split(" ");
        current = f[1];
        f[5] = REWRITE.get(current)[0];
        line = String.join(" ", f);
      } else if (line.startsWith("m ") && current != null) {
        digestOf.put(current, line.substring(2));
      } else if (line.startsWith("s ") && current != null) {
        line = "s " + REWRITE.get(current)[2];
      } else if (line.startsWith("w ") && current != null) {
        line = "w Bandwidth=" + REWRITE.get(current)[1];
      } else if (line.startsWith("bandwidth-weights ")) {
        line = WEIGHTS;
      }
      out.append(line).append('\n');
    }
    String newConsensus = out.substring(0, out.length() - 1);
    StringBuilder newMicro = new StringBuilder();
    for (Microdescriptor md : Microdescriptor.parseAll(micro)) {
      String b64 = Base64.getEncoder().withoutPadding().encodeToString(md.digest());
      String nick =
          digestOf.entrySet().stream()
              .filter(e -> e.getValue().equals(b64))
              .map(Map.Entry::getKey)
              .findFirst()
              .orElseThrow();
      String text = md.text();
      if (declares.containsKey(nick)) {
        text = text + "family " + declares.get(nick) + "\n";
        String newB64 =
            Base64.getEncoder()
                .withoutPadding()
                .encodeToString(Microdescriptor.parse(text).digest());
        newConsensus = newConsensus.replace("m " + b64 + "\n", "m " + newB64 + "\n");
      }
      newMicro.append(text);
    }
    return NativeNetwork.toConsensus(
        snapshot(newConsensus, newMicro.toString()),
        false,
        guards,
        Clock.fixed(NOW, ZoneOffset.UTC),
        random);
  }

  @Test
  void rewrittenConsensusPathsRespectGuardsSubnetsFamiliesAndWeights(@TempDir Path dir)
      throws Exception {
    GuardSet guards = GuardSet.load(dir.resolve(GuardSet.FILE));
    Random random = new Random(23);
    Consensus c = rewritten(guards, random);
    assertThat(c.relays()).hasSize(8);
    assertThat(named(c, "relay0").sameFamily(named(c, "relay1"))).isTrue();
    assertThat(named(c, "auth1").sameFamily(named(c, "relay4"))).isFalse();
    assertThat(named(c, "relay2").sameSlash16(named(c, "relay3"))).isTrue();
    // Guard-flagged relays: auth0, auth1, relay0, relay1 (4): 3 sampled.
    assertThat(guards.sampled()).hasSize(3);
    List<RelayInfo> hsdirs = c.relays().stream().filter(RelayInfo::hsDir).toList();
    boolean auth1WithRelay4 = false;
    for (int i = 0; i < PATHS; i++) {
      RelayInfo last = hsdirs.get(random.nextInt(hsdirs.size()));
      List<RelayInfo> path = c.path(3, last, List.of(), random);
      assertThat(path).hasSize(3).doesNotHaveDuplicates();
      assertThat(path.get(0).guard()).as("first hop %s has Guard", path.get(0)).isTrue();
      assertThat(guards.sampled()).contains(path.get(0).rsaHex());
      for (int a = 0; a < 3; a++) {
        for (int b = a + 1; b < 3; b++) {
          assertThat(path.get(a).sameSlash16(path.get(b))).as("/16 in %s", path).isFalse();
          assertThat(path.get(a).sameFamily(path.get(b))).as("family in %s", path).isFalse();
        }
      }
      auth1WithRelay4 |= path.contains(named(c, "auth1")) && path.contains(named(c, "relay4"));
    }
    // A one-sided family declaration does not make a family.
    assertThat(auth1WithRelay4).isTrue();

    // Fixed last hop relay2 (10.20/16): relay3 is excluded by subnet; the guard is the first
    // sampled; the middle is bandwidth x Wm? over what is left.
    RelayInfo last = named(c, "relay2");
    RelayInfo guard = c.path(3, last, List.of(), random).get(0);
    assertThat(guard.rsaHex()).isEqualTo(guards.sampled().get(0));
    List<String> pool = new ArrayList<>();
    for (RelayInfo x : c.relays()) {
      if (!x.equals(last)
          && !x.equals(guard)
          && !x.sameSlash16(last)
          && !x.sameFamily(guard)
          && !x.sameSlash16(guard)) {
        pool.add(x.nickname());
      }
    }
    assertThat(pool).doesNotContain("relay3");
    double total = pool.stream().mapToDouble(PathSelectionTest::middleWeight).sum();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < PATHS; i++) {
      List<RelayInfo> path = c.path(3, last, List.of(), random);
      assertThat(path.get(0)).isEqualTo(guard);
      seen.merge(path.get(1).nickname(), 1, Integer::sum);
    }
    assertThat(pool).containsAll(seen.keySet());
    for (String nick : pool) {
      double expected = middleWeight(nick) / total;
      double observed = seen.getOrDefault(nick, 0) / (double) PATHS;
      assertThat(observed).as("middle %s", nick).isCloseTo(expected, within(TOLERANCE));
    }
  }

  @Test
  void embeddedStyleConsensusKeepsUniformPaths() throws Exception {
    Consensus c = captured(GuardSet.load(null), new Random(3));
    Consensus uniform =
        new Consensus(c.validAfter(), c.relays(), c.currentSrv(), c.previousSrv(), c.params());
    Map<String, Integer> first = new HashMap<>();
    RelayInfo last = named(c, "auth0");
    Random random = new Random(4);
    for (int i = 0; i < 7000; i++) {
      first.merge(uniform.path(3, last, List.of(), random).get(0).nickname(), 1, Integer::sum);
    }
    // Uniform: all 7 other relays lead, authorities (bandwidth 0) included.
    assertThat(first).hasSize(7).containsKey("auth1");
  }
}
