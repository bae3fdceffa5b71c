package org.oniondrop.dropbox.source.session;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.oniondrop.dropbox.core.admission.ClientId;

/**
 * At most {@code limit} events per {@code window} for each client: one client's flood uses up its
 * own allowance only. Remembers at most {@code maxClients} clients (least recently seen forgotten
 * first, in O(1)), so the map itself cannot be grown without bound. Thread-safe.
 */
public final class KeyedRateLimiter {

  private final int limit;
  private final Duration window;
  private final Clock clock;
  private final Map<ClientId, RateLimiter> perClient;

  public KeyedRateLimiter(int limit, Duration window, int maxClients, Clock clock) {
    this.limit = limit;
    this.window = window;
    this.clock = clock;
    this.perClient =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<ClientId, RateLimiter> eldest) {
            return size() > maxClients;
          }
        };
  }

  /** Records an event of {@code client} if its allowance permits; false when it is used up. */
  public boolean tryAcquire(ClientId client) {
    RateLimiter limiter;
    synchronized (perClient) {
      limiter = perClient.computeIfAbsent(client, c -> new RateLimiter(limit, window, clock));
    }
    return limiter.tryAcquire();
  }

  /** Clients remembered (for tests). */
  public int clients() {
    synchronized (perClient) {
      return perClient.size();
    }
  }
}
