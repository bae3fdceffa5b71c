package org.oniondrop.dropbox.source.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/** At most {@code limit} events per {@code window} (sliding). Thread-safe. */
public final class RateLimiter {

  private final int limit;
  private final Duration window;
  private final Clock clock;
  private final ArrayDeque<Instant> events = new ArrayDeque<>();

  public RateLimiter(int limit, Duration window, Clock clock) {
    this.limit = limit;
    this.window = window;
    this.clock = clock;
  }

  /** Records an event if allowed; false when the limit is reached. */
  public synchronized boolean tryAcquire() {
    Instant now = clock.instant();
    while (!events.isEmpty() && !events.peekFirst().isAfter(now.minus(window))) {
      events.pollFirst();
    }
    if (events.size() >= limit) {
      return false;
    }
    events.addLast(now);
    return true;
  }
}
