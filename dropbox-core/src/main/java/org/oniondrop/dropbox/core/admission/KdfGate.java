package org.oniondrop.dropbox.core.admission;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.oniondrop.crypto.kdf.Argon2idParameters;
import org.oniondrop.crypto.kdf.KdfParameters;
import org.oniondrop.crypto.kdf.ScryptParameters;
import org.oniondrop.dropbox.core.config.DropboxConfig;

/**
 * The one gate every memory-hard KDF and passphrase hash passes (source id and reply-key
 * derivations, codename-in-message checks, journalist Argon2id logins).
 *
 * <p>Security guarantees:
 *
 * <ul>
 *   <li>At most {@link #permits()} runs at once, sized from the cores (the work is CPU-bound, more
 *       threads add no throughput) and a heap budget: permits x the largest run's memory stays
 *       within {@value #HEAP_FRACTION_PERCENT}% of the maximum heap, so no number of requests can
 *       make the KDFs exhaust the heap.
 *   <li>At most {@link #maxQueued()} fresh runs wait, and at most {@value
 *       #MAX_IN_FLIGHT_PER_CLIENT} runs per client (running or waiting): a client cannot fill the
 *       queue alone.
 *   <li>When the queue is full, a client with fewer runs waiting than the heaviest one takes the
 *       heaviest client's newest place (that one gets the busy answer): the ceiling sheds the
 *       heaviest clients first, never everyone.
 *   <li>A refused run fails at once with {@link ServerBusyException} (never after a wait). Its
 *       Retry-After is an honest appointment in a virtual queue: the refused client is booked at
 *       the time the gate can serve it, counting the runs running and waiting and the clients
 *       already told to come back that are expected back (their number x the measured show rate,
 *       estimated per cohort, never below {@value #MIN_SHOW_RATE}), at the measured mean run time /
 *       permits. A client that comes back with a booking (same {@link ClientId}, before the booking
 *       lapses) takes a waiting place even when the queue is full, so following Retry-After once
 *       gets the work done; fresh clients share only the {@link #maxQueued()} ordinary places, so a
 *       booked client waits behind at most that many. Show rates are judged per cohort (the
 *       bookings of one burst of refusals): a flood whose clients never come back lowers its own
 *       cohort's rate as its first appointments pass, so the rest of it does not push out the
 *       appointments of a later burst, which starts a cohort of its own. A cohort with no evidence
 *       yet counts at half a run per booking: a burst arrives before any appointment could pass,
 *       and an estimate that errs short only makes booked clients wait in the queue, where one that
 *       errs long leaves the cores idle and pushes clients past the horizon.
 *   <li>The virtual queue is bounded ({@value #MAX_BOOKINGS} bookings, none beyond {@value
 *       #MAX_RETRY_AFTER_SECONDS} s) and fair: one booking per client, none for the shared
 *       anonymous identity; a booking not used within {@value #BOOKING_GRACE_SECONDS} s of its time
 *       lapses. Past the bound the answer is Retry-After {@value #MAX_RETRY_AFTER_SECONDS} without
 *       a promise.
 * </ul>
 *
 * <p>The caller's thread runs the work itself once admitted: no hand-off, nothing queued but a
 * small waiter record.
 */
@ApplicationScoped
public class KdfGate {

  /** Share of the maximum heap that concurrent KDF runs may use together (25 %). */
  static final int HEAP_FRACTION_PERCENT = 25;

  /** Waiting places per permit for fresh arrivals: short, so an admitted run starts soon. */
  static final int QUEUE_PER_PERMIT = 8;

  /** Runs one client may have running or waiting at once. */
  static final int MAX_IN_FLIGHT_PER_CLIENT = 2;

  /** Upper bound on permits whatever the machine (beyond it the queue only adds latency). */
  static final int MAX_PERMITS = 64;

  /** A fresh waiting run is refused after this long (never reached with the queue bounds above). */
  static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  /**
   * A booked run that came back waits at most this long past its appointment (the estimate of the
   * run time can be short while the machine slows down; the booking is kept rather than broken).
   */
  static final long BOOKED_MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(180);

  /**
   * Retry-After never advises more than this; no booking is made beyond it. Five minutes: a burst
   * of a few hundred sources (after a story) is booked whole on a two-core server.
   */
  static final int MAX_RETRY_AFTER_SECONDS = 300;

  /** Bookings (clients told to come back) at once: the virtual queue's bound. */
  static final int MAX_BOOKINGS = 4096;

  /** A booking lapses this long after its appointment. */
  static final int BOOKING_GRACE_SECONDS = 120;

  /**
   * A booked client not back this long after its appointment counts as a no-show for the show rate
   * (its booking is still honoured until {@link #BOOKING_GRACE_SECONDS}, and a late one then counts
   * as back). Short, so a flood's no-shows are seen while the advice still matters.
   */
  static final long NO_SHOW_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);

  /**
   * Lowest show rate assumed for a cohort: its bookings never count for less than a sixteenth of a
   * run each, so a cohort of no-shows shortens the advice for others but cannot make the gate
   * promise more than 16x what it serves (its clients that do come back late still get a waiting
   * place, bounded by {@link #BOOKED_MAX_WAIT_NANOS}).
   */
  static final double MIN_SHOW_RATE = 1.0 / 16;

  /**
   * Refusals with no pause longer than this between them book into one cohort (one burst); the next
   * refusal after such a pause starts a new cohort, whose show rate is not yet known.
   */
  static final long COHORT_GAP_NANOS = TimeUnit.SECONDS.toNanos(5);

  /**
   * Expected duration of one run before any was measured: SecureDrop's scrypt twice is 100-200 ms
   * on a quiet core; the guess errs long, since refusals before the first run ends are all spread
   * by it and a guess too short brings clients back faster than they can be served.
   */
  static final long INITIAL_RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final int permits;
  private final int maxQueued;
  private final LongSupplier clock;

  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private final Map<ClientId, Integer> inFlight = new HashMap<>();

  /** Clients told to come back, with their appointments. */
  private final LinkedHashMap<ClientId, Booking> bookings = new LinkedHashMap<>();

  /** The cohort that refusals book into now (a new one after {@link #COHORT_GAP_NANOS}). */
  private Cohort cohort;

  private int running;
  private long avgRunNanos = INITIAL_RUN_NANOS;

  private long admitted;
  private long refused;
  private long bookedAdmitted;

  /**
   * The bookings of one burst of refusals, and how many of them came back. Its show rate is (shows
   * + 1) / (settled + 2): a cohort none of whose appointments has passed counts at one half, each
   * show raises it towards one and each no-show lowers it.
   */
  private static final class Cohort {
    long lastBooked;
    int shows;
    int noShows;

    Cohort(long now) {
      this.lastBooked = now;
    }

    double showRate() {
      return Math.max(MIN_SHOW_RATE, (shows + 1.0) / (shows + noShows + 2.0));
    }
  }

  /** One booking: its appointment, its cohort, and whether it was counted as a no-show. */
  private static final class Booking {
    final long at;
    final Cohort cohort;
    boolean noShow;

    Booking(long at, Cohort cohort) {
      this.at = at;
      this.cohort = cohort;
    }
  }

  /** One thread waiting for a permit. */
  private static final class Waiter {
    final ClientId client;
    boolean granted;
    boolean shed;

    Waiter(ClientId client) {
      this.client = client;
    }
  }

  @Inject
  public KdfGate(DropboxConfig config) {
    this(
        permitsFor(
            Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().maxMemory(),
            Math.max(
                memoryOf(KdfParameters.parse(config.sources().kdf())),
                memoryOf(KdfParameters.parse(config.journalists().passphraseKdf())))));
  }

  /** A gate with {@code permits} runs at once and {@value #QUEUE_PER_PERMIT} places per permit. */
  public KdfGate(int permits) {
    this(permits, System::nanoTime);
  }

  /** A gate reading time from {@code clock} (nanoseconds, as {@link System#nanoTime()}). */
  KdfGate(int permits, LongSupplier clock) {
    if (permits < 1 || permits > MAX_PERMITS) {
      throw new IllegalArgumentException("permits must be 1.." + MAX_PERMITS);
    }
    this.permits = permits;
    this.maxQueued = permits * QUEUE_PER_PERMIT;
    this.clock = clock;
  }

  /** Permits for a machine: the cores, capped so permits x run memory fits the heap budget. */
  static int permitsFor(int cores, long maxHeapBytes, long runMemoryBytes) {
    long budget = maxHeapBytes * HEAP_FRACTION_PERCENT / 100;
    long byMemory = budget / Math.max(1, runMemoryBytes);
    return (int) Math.max(1, Math.min(Math.min(cores, byMemory), MAX_PERMITS));
  }

  /** Peak memory of one run of {@code p} (scrypt: 128 r N + 128 r p bytes; Argon2id: m KiB). */
  static long memoryOf(KdfParameters p) {
    if (p instanceof ScryptParameters s) {
      return 128L * s.r() * s.n() + 128L * s.r() * s.p();
    }
    Argon2idParameters a = (Argon2idParameters) p;
    return 1024L * a.memoryKiB();
  }

  public int permits() {
    return permits;
  }

  public int maxQueued() {
    return maxQueued;
  }

  /**
   * Runs {@code work} on the caller's thread once admitted.
   *
   * @throws ServerBusyException at once when the work cannot be queued (or, never in practice,
   *     after {@link #MAX_WAIT_NANOS} in the queue)
   */
  public <T> T run(ClientId client, Supplier<T> work) {
    admit(client);
    long start = clock.getAsLong();
    try {
      return work.get();
    } finally {
      release(client, clock.getAsLong() - start);
    }
  }

  private synchronized void admit(ClientId client) {
    long now = clock.getAsLong();
    lapseBookings(now);
    int mine = inFlight.getOrDefault(client, 0);
    if (mine >= MAX_IN_FLIGHT_PER_CLIENT) {
      throw busy(client, now);
    }
    Booking booking = bookings.remove(client);
    long deadline;
    if (booking != null) {
      // Kept promise: a waiting place whatever the queue holds (bounded by MAX_BOOKINGS).
      bookedAdmitted++;
      booking.cohort.shows++;
      if (booking.noShow) {
        booking.cohort.noShows--; // a late one, counted as a no-show before, now counts as back
      }
      long booked = booking.at;
      if (running < permits && waiting.isEmpty()) {
        running++;
        inFlight.merge(client, 1, Integer::sum);
        admitted++;
        return;
      }
      deadline = Math.max(now, booked) + BOOKED_MAX_WAIT_NANOS;
    } else {
      if (running < permits && waiting.isEmpty()) {
        running++; // idle capacity is never wasted (bookings still find a place when they come)
        inFlight.merge(client, 1, Integer::sum);
        admitted++;
        return;
      }
      // A fresh run may take one of the few waiting places: a booked client that comes back
      // waits behind at most maxQueued of them, and no-shows leave no capacity unused.
      if (waiting.size() >= maxQueued && !shedHeavierThan(client, mine)) {
        throw busy(client, now);
      }
      deadline = now + MAX_WAIT_NANOS;
    }
    Waiter me = new Waiter(client);
    waiting.addLast(me);
    inFlight.merge(client, 1, Integer::sum);
    boolean interrupted = false;
    try {
      while (!me.granted && !me.shed) {
        long left = deadline - clock.getAsLong();
        if (left <= 0) {
          waiting.remove(me);
          forget(client);
          throw busy(client, clock.getAsLong());
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (me.shed) {
      throw busy(client, clock.getAsLong());
    }
    admitted++;
  }

  /**
   * Frees a waiting place for a client with {@code mine} runs in flight by shedding the newest
   * waiter of the client with the most waiters, if that client has more than {@code mine} + 1.
   */
  private boolean shedHeavierThan(ClientId client, int mine) {
    Map<ClientId, Integer> counts = new HashMap<>();
    ClientId heaviest = null;
    int most = 0;
    for (Waiter w : waiting) {
      int c = counts.merge(w.client, 1, Integer::sum);
      if (c > most) {
        most = c;
        heaviest = w.client;
      }
    }
    if (heaviest == null || heaviest.equals(client) || most <= mine + 1) {
      return false;
    }
    Iterator<Waiter> newestFirst = waiting.descendingIterator();
    while (newestFirst.hasNext()) {
      Waiter w = newestFirst.next();
      if (w.client.equals(heaviest)) {
        newestFirst.remove();
        forget(w.client);
        w.shed = true;
        notifyAll();
        return true;
      }
    }
    return false;
  }

  private synchronized void release(ClientId client, long tookNanos) {
    running--;
    forget(client);
    avgRunNanos = (avgRunNanos * 7 + tookNanos) / 8;
    Waiter next = waiting.pollFirst();
    if (next != null) {
      next.granted = true;
      running++;
      notifyAll();
    }
  }

  private void forget(ClientId client) {
    inFlight.computeIfPresent(client, (k, v) -> v <= 1 ? null : v - 1);
  }

  /**
   * Counts bookings whose client is {@link #NO_SHOW_AFTER_NANOS} late as no-shows, and drops those
   * {@value #BOOKING_GRACE_SECONDS} s late (at most {@value #MAX_BOOKINGS} entries are looked at).
   */
  private void lapseBookings(long now) {
    long grace = TimeUnit.SECONDS.toNanos(BOOKING_GRACE_SECONDS);
    Iterator<Booking> all = bookings.values().iterator();
    while (all.hasNext()) {
      Booking b = all.next();
      if (!b.noShow && now - (b.at + NO_SHOW_AFTER_NANOS) > 0) {
        b.noShow = true;
        b.cohort.noShows++;
      }
      if (now - (b.at + grace) > 0) {
        all.remove();
      }
    }
  }

  /**
   * A refusal whose Retry-After is {@code client}'s appointment: the time the gate can start one
   * more run after everything running and waiting and the clients booked for later who are expected
   * back (each counted at its cohort's show rate, never below {@value #MIN_SHOW_RATE}), at the
   * measured rate (mean run time / permits per run). The appointment is booked for the client (one
   * per client), unless the client is the shared anonymous identity or the virtual queue is full or
   * beyond the horizon; then Retry-After is an estimate without a promise.
   */
  private ServerBusyException busy(ClientId client, long now) {
    refused++;
    Booking already = bookings.get(client);
    if (already != null) {
      return new ServerBusyException(seconds(already.at - now));
    }
    double later = 0;
    for (Booking b : bookings.values()) {
      if (b.at - now > 0) {
        later += b.cohort.showRate();
      }
    }
    double expected = running + waiting.size() + later + 1;
    long appointment = now + (long) (expected * avgRunNanos / permits);
    long horizon = now + TimeUnit.SECONDS.toNanos(MAX_RETRY_AFTER_SECONDS);
    boolean bookable =
        client.kind() != ClientId.Kind.ANONYMOUS
            && bookings.size() < MAX_BOOKINGS
            && appointment - horizon <= 0;
    if (!bookable) {
      return new ServerBusyException(
          appointment - horizon > 0 ? MAX_RETRY_AFTER_SECONDS : seconds(appointment - now));
    }
    if (cohort == null || now - (cohort.lastBooked + COHORT_GAP_NANOS) > 0) {
      cohort = new Cohort(now);
    }
    cohort.lastBooked = now;
    bookings.put(client, new Booking(appointment, cohort));
    return new ServerBusyException(seconds(appointment - now));
  }

  /** Whole seconds, rounded up, from 1 to {@value #MAX_RETRY_AFTER_SECONDS}. */
  private static int seconds(long nanos) {
    long s = TimeUnit.NANOSECONDS.toSeconds(Math.max(0, nanos) + 999_999_999L);
    return (int) Math.max(1, Math.min(MAX_RETRY_AFTER_SECONDS, s));
  }

  /**
   * Sets the expected run time from a run measured outside the gate (at start-up), so that the
   * first burst of refusals is booked at the machine's rate rather than at the initial guess.
   */
  public synchronized void calibrate(long runNanos) {
    if (runNanos > 0) {
      avgRunNanos = Math.max(avgRunNanos, runNanos);
    }
  }

  /** Counters for the status page and tests: admitted, refused, running, waiting, booked. */
  public synchronized long[] counters() {
    return new long[] {admitted, refused, running, waiting.size(), bookings.size(), bookedAdmitted};
  }
}
