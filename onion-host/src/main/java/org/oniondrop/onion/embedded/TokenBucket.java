package org.oniondrop.onion.embedded;

import java.time.Clock;

/** A token bucket: {@code rate} tokens a second, at most {@code burst} saved up. */
final class TokenBucket {

  private final double rate;
  private final double burst;
  private final Clock clock;
  private double tokens;
  private long lastNanos;

  TokenBucket(int rate, int burst, Clock clock) {
    this.rate = rate;
    this.burst = burst;
    this.clock = clock;
    this.tokens = burst;
    this.lastNanos = nanos();
  }

  private long nanos() {
    java.time.Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  boolean tryTake() {
    long now = nanos();
    tokens = Math.min(burst, tokens + Math.max(0, now - lastNanos) / 1e9 * rate);
    lastNanos = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
