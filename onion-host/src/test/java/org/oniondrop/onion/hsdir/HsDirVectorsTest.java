package org.oniondrop.onion.hsdir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.oniondrop.onion.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.oniondrop.onion.Vectors;

/** time-period.json, hsdir-index.json, and the ring selection rules. */
class HsDirVectorsTest {

  @Test
  void timePeriods() {
    for (JsonNode v : Vectors.load("time-period.json")) {
      Instant time = Instant.parse(v.get("time").asText());
      TimePeriod tp;
      if (v.path("testing_tor_network").asBoolean()) {
        HsDirParams params = HsDirParams.testingNetwork(v.get("voting_interval_seconds").asLong());
        assertThat(params.periodLengthMinutes()).isEqualTo(v.get("period_length_minutes").asLong());
        tp = params.periodAt(time);
      } else {
        tp =
            TimePeriod.containing(
                time,
                v.get("period_length_minutes").asLong(),
                v.get("rotation_offset_minutes").asLong());
        assertThat(tp.number())
            .as(v.get("name").asText())
            .isEqualTo(v.get("time_period_num").asLong());
      }
      if (v.has("start_of_next_period")) {
        assertThat(tp.end()).isEqualTo(Instant.parse(v.get("start_of_next_period").asText()));
      }
      if (v.has("period_start")) {
        assertThat(tp.start()).isEqualTo(Instant.parse(v.get("period_start").asText()));
      }
      if (v.has("next_time_period_num")) {
        assertThat(tp.next().number()).isEqualTo(v.get("next_time_period_num").asLong());
      }
    }
  }

  @Test
  void indices() {
    JsonNode hs = Vectors.named("hsdir-index.json", "hs_index");
    TimePeriod tp = new TimePeriod(42, 1440, 720);
    assertThat(HsDirRing.hsIndex(hex(hs, "blinded_pubkey"), 1, tp)).isEqualTo(hex(hs, "hs_index"));
    JsonNode dir = Vectors.named("hsdir-index.json", "hsdir_index");
    assertThat(
            HsDirRing.hsDirIndex(
                hex(dir, "node_ed25519_identity"), hex(dir, "shared_random_value"), tp))
        .isEqualTo(hex(dir, "hsdir_index"));
    JsonNode disaster = Vectors.named("hsdir-index.json", "disaster_srv");
    assertThat(HsDirRing.disasterSrv(new TimePeriod(1, 1440, 720))).isEqualTo(hex(disaster, "srv"));
  }

  @Test
  void ringPicksDistinctNodesStartingAtOrAfterTheIndex() {
    List<HsDirRing.Node<Integer>> nodes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      byte[] id = new byte[32];
      Arrays.fill(id, (byte) i);
      nodes.add(new HsDirRing.Node<>(id, i));
    }
    TimePeriod tp = new TimePeriod(100, 1440, 720);
    byte[] srv = new byte[32];
    byte[] blinded = new byte[32];
    List<HsDirRing.Node<Integer>> store = HsDirRing.responsible(nodes, blinded, tp, srv, 4);
    assertThat(store).hasSize(8);
    assertThat(new HashSet<>(store)).hasSize(8);
    // The first node of replica 1 is the smallest index >= hs_index(1).
    byte[] target = HsDirRing.hsIndex(blinded, 1, tp);
    HsDirRing.Node<Integer> expected =
        nodes.stream()
            .filter(
                n ->
                    Arrays.compareUnsigned(HsDirRing.hsDirIndex(n.ed25519Id(), srv, tp), target)
                        >= 0)
            .min(
                (a, b) ->
                    Arrays.compareUnsigned(
                        HsDirRing.hsDirIndex(a.ed25519Id(), srv, tp),
                        HsDirRing.hsDirIndex(b.ed25519Id(), srv, tp)))
            .orElse(null);
    if (expected != null) {
      assertThat(store.get(0)).isEqualTo(expected);
    }
    // With fewer nodes than wanted, each is taken once.
    assertThat(HsDirRing.responsible(nodes.subList(0, 5), blinded, tp, srv, 4)).hasSize(5);
  }

  @Test
  void clientAndServiceAgreeOnAPairAtEveryHourOfTheDay() {
    byte[] cur = new byte[32];
    byte[] prev = new byte[32];
    prev[0] = 1;
    for (int hour = 0; hour < 48; hour++) {
      Instant t = Instant.parse("2026-11-21T00:30:00Z").plusSeconds(hour * 1800L);
      HsDirParams.PeriodAndSrv client = HsDirParams.LIVE.forClient(t, cur, prev);
      HsDirParams.PeriodAndSrv[] service = HsDirParams.LIVE.forService(t, cur, prev);
      assertThat(service)
          .anySatisfy(
              s -> {
                assertThat(s.period()).isEqualTo(client.period());
                assertThat(s.srv()).isEqualTo(client.srv());
              });
    }
    // 00:30 UTC (after the SRV at 00:00, before the TP at 12:00): previous SRV for clients.
    assertThat(HsDirParams.LIVE.isBetweenTpAndSrv(Instant.parse("2026-11-21T00:30:00Z"))).isFalse();
    assertThat(HsDirParams.LIVE.isBetweenTpAndSrv(Instant.parse("2026-11-21T12:30:00Z"))).isTrue();
  }
}
