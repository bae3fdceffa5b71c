package org.oniondrop.onion.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.oniondrop.onion.net.RelayInfo;

class ReplayCacheTest {

  @Test
  void aReplayStaysARefusedReplayEvenAfterTheCacheIsFlooded() {
    ReplayCache cache = new ReplayCache(3);
    byte[] victim = {1, 2, 3};
    assertThat(cache.check(victim)).isEqualTo(ReplayCache.Result.FRESH);
    assertThat(cache.check(victim)).isEqualTo(ReplayCache.Result.REPLAY);
    // Flooding with junk fills the cache, but never evicts: the replay is still refused.
    assertThat(cache.check(new byte[] {4})).isEqualTo(ReplayCache.Result.FRESH);
    assertThat(cache.check(new byte[] {5})).isEqualTo(ReplayCache.Result.FRESH);
    assertThat(cache.check(new byte[] {6})).isEqualTo(ReplayCache.Result.FULL);
    assertThat(cache.check(victim)).isEqualTo(ReplayCache.Result.REPLAY);
    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.isFull()).isTrue();
  }

  @Test
  void anIntroPointIsDueAfterItsIntroductionsOrItsLifetime() {
    SecureRandom random = new SecureRandom();
    ServiceLimits limits =
        new ServiceLimits(10, 10, 5, 8, Duration.ofHours(18), Duration.ofHours(24));
    RelayInfo relay =
        new RelayInfo(
            "r", new byte[20], new byte[32], new byte[32], new byte[] {127, 0, 0, 1}, 1, true);
    Instant now = Instant.parse("2026-11-28T00:00:00Z");
    for (int i = 0; i < 50; i++) {
      ServiceIntroPoint p = new ServiceIntroPoint(relay, limits, now, random);
      // C tor's ranges: [min, max] introductions, [18 h, 24 h] of life.
      assertThat(p.maxIntroductions).isBetween(5, 8);
      assertThat(p.expires)
          .isBetween(now.plus(Duration.ofHours(18)), now.plus(Duration.ofHours(24)));
      assertThat(p.due(now)).isFalse();
      p.introductions = p.maxIntroductions;
      assertThat(p.due(now)).isTrue();
      p.introductions = 0;
      assertThat(p.due(p.expires)).isTrue();
    }
  }
}
