package org.oniondrop.dropbox.core.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Journalist login throttling: at most {@code maxAttempts} unsuccessful attempts per username in a
 * sliding window.
 *
 * <p>Security properties:
 *
 * <ul>
 *   <li><b>Atomic.</b> {@link #tryAcquire} checks the count and records the attempt in one step, so
 *       parallel attempts cannot all pass the check before any of them is counted. An attempt is
 *       counted before the passphrase is verified; a successful login then {@link #clear clears}
 *       the username's record.
 *   <li><b>Bounded.</b> At most {@link #MAX_TRACKED_USERNAMES} usernames are tracked (callers only
 *       pass well-formed usernames, at most 64 characters). When the table is full, expired records
 *       are dropped; if it is still full, a username not yet tracked is refused until room frees up
 *       (fails closed: a flood of distinct usernames cannot reset a tracked username's count by
 *       evicting it).
 *   <li>Unknown usernames are tracked exactly like known ones, so the throttle reveals nothing
 *       about which accounts exist.
 * </ul>
 */
public final class LoginThrottle {

  /**
   * Usernames tracked at once. Each attempt costs the attacker one Argon2 run on the server's
   * bounded KDF executor, so 10,000 distinct usernames inside one window is already a flood; memory
   * stays under a few MB.
   */
  public static final int MAX_TRACKED_USERNAMES = 10_000;

  private final int maxAttempts;
  private final Duration window;
  private final Map<String, ArrayDeque<Instant>> attempts = new HashMap<>();

  public LoginThrottle(int maxAttempts, Duration window) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    this.maxAttempts = maxAttempts;
    this.window = window;
  }

  /**
   * Counts an attempt for {@code username} at {@code now} if it is allowed; false (and nothing
   * counted) if the username is throttled or the table is full.
   */
  public synchronized boolean tryAcquire(String username, Instant now) {
    Instant cutoff = now.minus(window);
    ArrayDeque<Instant> q = attempts.get(username);
    if (q == null) {
      if (attempts.size() >= MAX_TRACKED_USERNAMES) {
        dropExpired(cutoff);
        if (attempts.size() >= MAX_TRACKED_USERNAMES) {
          return false;
        }
      }
      q = new ArrayDeque<>();
      attempts.put(username, q);
    }
    while (!q.isEmpty() && !q.peekFirst().isAfter(cutoff)) {
      q.pollFirst();
    }
    if (q.size() >= maxAttempts) {
      return false;
    }
    q.addLast(now);
    return true;
  }

  /** Forgets {@code username}'s attempts (after a successful login). */
  public synchronized void clear(String username) {
    attempts.remove(username);
  }

  /** Usernames tracked now (tests). */
  public synchronized int tracked() {
    return attempts.size();
  }

  private void dropExpired(Instant cutoff) {
    Iterator<ArrayDeque<Instant>> it = attempts.values().iterator();
    while (it.hasNext()) {
      ArrayDeque<Instant> q = it.next();
      if (q.isEmpty() || !q.peekLast().isAfter(cutoff)) {
        it.remove();
      }
    }
  }
}
