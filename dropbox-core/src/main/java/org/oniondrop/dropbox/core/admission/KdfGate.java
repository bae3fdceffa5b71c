package org.oniondrop.dropbox.core.admission;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 *   <li>At most {@link #maxQueued()} runs wait, and at most {@value #MAX_IN_FLIGHT_PER_CLIENT} runs
 *       per client (running or waiting): a client cannot fill the queue alone.
 *   <li>When the queue is full, a client with fewer runs waiting than the heaviest one takes the
 *       heaviest client's newest place (that one gets the busy answer): the ceiling sheds the
 *       heaviest clients first, never everyone.
 *   <li>A refused run fails at once with {@link ServerBusyException} (never after a wait), whose
 *       Retry-After spreads returning clients over the seconds ahead at the rate the gate serves.
 * </ul>
 *
 * <p>The caller's thread runs the work itself once admitted: no hand-off, nothing queued but a
 * small waiter record.
 */
@ApplicationScoped
public class KdfGate {

  /** Share of the maximum heap that concurrent KDF runs may use together (25 %). */
  static final int HEAP_FRACTION_PERCENT = 25;

  /** Waiting places per permit: short, so an admitted run starts within about a second. */
  static final int QUEUE_PER_PERMIT = 8;

  /** Runs one client may have running or waiting at once. */
  static final int MAX_IN_FLIGHT_PER_CLIENT = 2;

  /** Upper bound on permits whatever the machine (beyond it the queue only adds latency). */
  static final int MAX_PERMITS = 64;

  /** A waiting run is refused after this long (never reached with the queue bounds above). */
  static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** Retry-After never advises more than this. */
  static final int MAX_RETRY_AFTER_SECONDS = 60;

  /**
   * Expected duration of one run before any was measured: SecureDrop's scrypt twice is 100-200 ms
   * on a quiet core; the guess errs long, since refusals before the first run ends are all spread
   * by it and a guess too short brings clients back faster than they can be served.
   */
  static final long INITIAL_RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final int permits;
  private final int maxQueued;
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private final Map<ClientId, Integer> inFlight = new HashMap<>();
  private int running;
  private long avgRunNanos = INITIAL_RUN_NANOS;
  private long nextAppointmentNanos;
  private long admitted;
  private long refused;

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
    if (permits < 1 || permits > MAX_PERMITS) {
      throw new IllegalArgumentException("permits must be 1.." + MAX_PERMITS);
    }
    this.permits = permits;
    this.maxQueued = permits * QUEUE_PER_PERMIT;
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
    long start = System.nanoTime();
    try {
      return work.get();
    } finally {
      release(client, System.nanoTime() - start);
    }
  }

  private synchronized void admit(ClientId client) {
    int mine = inFlight.getOrDefault(client, 0);
    if (mine >= MAX_IN_FLIGHT_PER_CLIENT) {
      throw busy();
    }
    if (running < permits && waiting.isEmpty()) {
      running++;
      inFlight.merge(client, 1, Integer::sum);
      admitted++;
      return;
    }
    if (waiting.size() >= maxQueued && !shedHeavierThan(client, mine)) {
      throw busy();
    }
    Waiter me = new Waiter(client);
    waiting.addLast(me);
    inFlight.merge(client, 1, Integer::sum);
    long deadline = System.nanoTime() + MAX_WAIT_NANOS;
    boolean interrupted = false;
    try {
      while (!me.granted && !me.shed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          waiting.remove(me);
          forget(client);
          throw busy();
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
      throw busy();
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
   * A refusal whose Retry-After is the next free appointment: appointments are handed out one per
   * (average run time / permits), so refused clients come back spread at the rate the gate serves
   * rather than all in the same second.
   */
  private ServerBusyException busy() {
    refused++;
    long now = System.nanoTime();
    long spacing = Math.max(1, avgRunNanos / permits);
    long horizon = now + TimeUnit.SECONDS.toNanos(MAX_RETRY_AFTER_SECONDS);
    // No appointment before the runs now waiting and running can have drained.
    long drained = now + avgRunNanos * (waiting.size() + running) / permits;
    long base = nextAppointmentNanos - drained > 0 ? nextAppointmentNanos : drained;
    long appointment = base + spacing;
    if (appointment - horizon > 0) {
      appointment = horizon;
    }
    nextAppointmentNanos = appointment;
    long seconds = TimeUnit.NANOSECONDS.toSeconds(appointment - now + 999_999_999L);
    return new ServerBusyException((int) Math.max(1, Math.min(MAX_RETRY_AFTER_SECONDS, seconds)));
  }

  /** Counters for the status page and tests: admitted, refused, running, waiting. */
  public synchronized long[] counters() {
    return new long[] {admitted, refused, running, waiting.size()};
  }
}
