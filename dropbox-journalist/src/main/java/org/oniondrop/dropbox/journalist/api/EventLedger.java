package org.oniondrop.dropbox.journalist.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers which events each journalist already submitted, so a resubmitted event is answered 208
 * and never applied twice (API2.md "State machine": idempotence is a correctness property). An
 * event is claimed ({@code 102 Processing}) before its handler runs and recorded as done after; a
 * failed event is forgotten so the client may retry it.
 *
 * <p>Entries live {@link #PERIOD} (at least a session's lifetime, as API2.md requires) and at most
 * {@link #MAX_ENTRIES} are kept; past that the oldest go first, which can only turn a very late
 * resubmission into a second application of a last-write-wins event.
 */
@ApplicationScoped
public class EventLedger {

  /** How long an event's outcome is remembered (SecureDrop: one day). */
  public static final Duration PERIOD = Duration.ofDays(1);

  /** Events remembered at most (about 100 bytes each: 10 MB). */
  public static final int MAX_ENTRIES = 100_000;

  private record Entry(int status, Instant at) {}

  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
  private final Clock clock;

  @Inject
  EventLedger(Clock clock) {
    this.clock = clock;
  }

  private static String key(String journalistUuid, String eventId) {
    return journalistUuid + "/" + eventId;
  }

  /** Claims an event: true if it is new (now Processing), false if seen before. */
  public synchronized boolean claim(String journalistUuid, String eventId) {
    Instant now = clock.instant();
    expire(now);
    String k = key(journalistUuid, eventId);
    if (entries.containsKey(k)) {
      return false;
    }
    entries.put(k, new Entry(102, now));
    while (entries.size() > MAX_ENTRIES) {
      Iterator<String> it = entries.keySet().iterator();
      it.next();
      it.remove();
    }
    return true;
  }

  /** Records the final status: success is remembered, an error forgotten (the client may retry). */
  public synchronized void settle(String journalistUuid, String eventId, int status) {
    String k = key(journalistUuid, eventId);
    if (status >= 400) {
      entries.remove(k);
    } else {
      entries.put(k, new Entry(status, clock.instant()));
    }
  }

  private void expire(Instant now) {
    Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Entry> e = it.next();
      if (e.getValue().at().plus(PERIOD).isAfter(now)) {
        break;
      }
      it.remove();
    }
  }
}
