package org.oniondrop.dropbox.core.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.oniondrop.crypto.kdf.Argon2idParameters;
import org.oniondrop.crypto.kdf.ScryptParameters;

/** Attacks on the KDF gate: floods from one client and from many, and the heap sizing. */
class KdfGateTest {

  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private static ClientId client(String key) {
    return new ClientId(ClientId.Kind.CIRCUIT, key);
  }

  /** Starts a run that blocks until {@code release} opens; returns when it is running. */
  private Future<String> blockingRun(
      KdfGate gate, ClientId c, CountDownLatch release, AtomicInteger running) {
    return pool.submit(
        () ->
            gate.run(
                c,
                () -> {
                  running.incrementAndGet();
                  try {
                    release.await(20, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  running.decrementAndGet();
                  return "done";
                }));
  }

  private static void await(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not reached").isLessThan(deadline);
      Thread.onSpinWait();
      Thread.sleep(1); // polling a condition with a bound, not waiting for time to pass
    }
  }

  @Test
  void neverRunsMoreThanItsPermitsAndRefusesAtOnceBeyondTheQueue() throws Exception {
    // Given a gate of 2 permits (16 waiting places) and 100 clients arriving at once
    KdfGate gate = new KdfGate(2);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Future<String>> runs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ClientId c = client("c" + i);
      runs.add(
          pool.submit(
              () ->
                  gate.run(
                      c,
                      () -> {
                        most.accumulateAndGet(running.incrementAndGet(), Math::max);
                        try {
                          release.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        running.decrementAndGet();
                        return "done";
                      })));
    }
    // When the 82 that find no place are refused (each at once, while the others still hold it)
    await(() -> gate.counters()[1] == 100 - 2 - gate.maxQueued());
    release.countDown();
    int done = 0;
    int busy = 0;
    for (Future<String> f : runs) {
      try {
        assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo("done");
        done++;
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(ServerBusyException.class);
        busy++;
      }
    }
    // Then exactly permits + queue ran, never more than 2 at once, and the rest were refused
    assertThat(gate.maxQueued()).isEqualTo(16);
    assertThat(done).isEqualTo(18);
    assertThat(busy).isEqualTo(82);
    assertThat(most.get()).isEqualTo(2);
  }

  @Test
  void oneClientHoldsAtMostTwoPlaces() throws Exception {
    KdfGate gate = new KdfGate(4);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    ClientId flooder = client("flood");
    Future<String> a = blockingRun(gate, flooder, release, running);
    Future<String> b = blockingRun(gate, flooder, release, running);
    await(() -> running.get() == 2);
    // A third run of the same client is refused although permits are free
    assertThatThrownBy(() -> gate.run(flooder, () -> "x")).isInstanceOf(ServerBusyException.class);
    // while another client runs at once
    assertThat(gate.run(client("honest"), () -> "ok")).isEqualTo("ok");
    release.countDown();
    assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo("done");
    assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo("done");
    // and once its runs ended, the flooder may run again
    assertThat(gate.run(flooder, () -> "again")).isEqualTo("again");
  }

  @Test
  void aFullQueueShedsTheHeaviestClientNotTheNewcomer() throws Exception {
    // Given 1 permit held, and the 8 waiting places filled by 4 clients with 2 waiters each
    KdfGate gate = new KdfGate(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    Future<String> holder = blockingRun(gate, client("holder"), release, running);
    await(() -> running.get() == 1);
    List<Future<String>> heavy = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      heavy.add(blockingRun(gate, client("heavy" + (i / 2)), release, running));
    }
    await(() -> gate.counters()[3] == 8);
    // When a new client arrives
    Future<String> newcomer = blockingRun(gate, client("newcomer"), release, running);
    // Then one heavy waiter is shed with the busy answer and the newcomer waits in its place
    await(() -> heavy.stream().anyMatch(Future::isDone));
    assertThat(gate.counters()[3]).isEqualTo(8);
    release.countDown();
    assertThat(newcomer.get(10, TimeUnit.SECONDS)).isEqualTo("done");
    assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("done");
    int shed = 0;
    for (Future<String> f : heavy) {
      try {
        f.get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(ServerBusyException.class);
        shed++;
      }
    }
    assertThat(shed).isEqualTo(1);
  }

  @Test
  void refusedClientsAreToldToComeBackAtSpreadTimes() throws Exception {
    KdfGate gate = new KdfGate(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    Future<String> holder = blockingRun(gate, client("holder"), release, running);
    await(() -> running.get() == 1);
    for (int i = 0; i < 8; i++) {
      blockingRun(gate, client("w" + i), release, running);
    }
    await(() -> gate.counters()[3] == 8);
    List<Integer> advice = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      try {
        gate.run(client("late" + i), () -> "x");
      } catch (ServerBusyException e) {
        advice.add(e.retryAfterSeconds());
      }
    }
    release.countDown();
    holder.get(10, TimeUnit.SECONDS);
    // 9 runs ahead at 500 ms expected each and 1 permit: none back before 4.5 s; then, with no
    // evidence yet of how many come back, half a run (250 ms) per booking, so 40 refusals are
    // spread in order over 5..15 s (never all in the same second)
    assertThat(advice).hasSize(40).isSorted();
    assertThat(advice.get(0)).isEqualTo(5);
    assertThat(advice.get(39)).isBetween(14, 15);
    assertThat(advice.stream().filter(a -> a == 10).count()).isBetween(3L, 5L);
  }

  @Test
  void aClientToldToComeBackIsServedWhenItDoesEvenIfTheQueueIsFullAgain() throws Exception {
    // Given 1 permit held and the 8 waiting places full
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
    KdfGate gate = new KdfGate(1, now::get);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    Future<String> holder = blockingRun(gate, client("holder"), release, running);
    await(() -> running.get() == 1);
    for (int i = 0; i < 8; i++) {
      blockingRun(gate, client("w" + i), release, running);
    }
    await(() -> gate.counters()[3] == 8);
    // When a client is refused, it is booked: 9 runs ahead at 500 ms, then its own slot
    int advised = -1;
    try {
      gate.run(client("returning"), () -> "x");
    } catch (ServerBusyException e) {
      advised = e.retryAfterSeconds();
    }
    assertThat(advised).isEqualTo(5);
    assertThat(gate.counters()[4]).isEqualTo(1);
    // and a stranger (no booking) that comes at the same moment is refused and booked after it
    assertThatThrownBy(() -> gate.run(client("stranger"), () -> "x"))
        .isInstanceOf(ServerBusyException.class)
        .extracting(e -> ((ServerBusyException) e).retryAfterSeconds())
        .isEqualTo(6);
    // Then when the booked client comes back after the advised time, though the queue is still
    // full (the estimate was optimistic), it takes a waiting place and its work runs
    now.addAndGet(TimeUnit.SECONDS.toNanos(advised));
    Future<String> back = blockingRun(gate, client("returning"), release, running);
    await(() -> gate.counters()[3] == 9);
    assertThat(gate.counters()[4]).as("the booking is used").isEqualTo(1);
    // while a client without a booking is still refused
    assertThatThrownBy(() -> gate.run(client("other"), () -> "x"))
        .isInstanceOf(ServerBusyException.class);
    release.countDown();
    assertThat(back.get(10, TimeUnit.SECONDS)).isEqualTo("done");
    assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("done");
    assertThat(gate.counters()[5]).as("runs admitted on a booking").isEqualTo(1);
  }

  @Test
  void clientsThatNeverComeBackDoNotPushOthersOutAndTheirBookingsLapse() throws Exception {
    // Given 1 permit held, the 8 waiting places full, and 100 refused (booked) clients
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
    KdfGate gate = new KdfGate(1, now::get);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    Future<String> holder = blockingRun(gate, client("holder"), release, running);
    await(() -> running.get() == 1);
    for (int i = 0; i < 8; i++) {
      blockingRun(gate, client("w" + i), release, running);
    }
    await(() -> gate.counters()[3] == 8);
    List<Integer> advice = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      try {
        gate.run(client("flood" + i), () -> "x");
      } catch (ServerBusyException e) {
        advice.add(e.retryAfterSeconds());
      }
    }
    // each booked after everything before it: 9 ahead at 500 ms, then half a run more each (a
    // cohort with no evidence yet counts at one half)
    assertThat(advice).hasSize(100).isSorted();
    assertThat(advice.get(0)).isEqualTo(5);
    assertThat(advice.get(99)).isEqualTo(30);
    assertThat(gate.counters()[4]).isEqualTo(100);
    // When none of them comes back (the clock passes all their appointments by 15 s)
    now.set(TimeUnit.SECONDS.toNanos(30) + KdfGate.NO_SHOW_AFTER_NANOS + 1);
    // Then a newcomer is not pushed behind them: the 100 no-shows leave their slots, and the
    // newcomer is told to come back after the 9 runs ahead only
    int newcomer = -1;
    try {
      gate.run(client("newcomer"), () -> "x");
    } catch (ServerBusyException e) {
      newcomer = e.retryAfterSeconds();
    }
    assertThat(newcomer).isEqualTo(5);
    // and the newcomer starts a new cohort, whose show rate is not known yet: the 40 refused after
    // it count half a run each (the flood's no-shows say nothing about them)
    List<Integer> next = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      try {
        gate.run(client("next" + i), () -> "x");
      } catch (ServerBusyException e) {
        next.add(e.retryAfterSeconds());
      }
    }
    assertThat(next.get(39)).isEqualTo(15);
    // Bookings not used within the grace lapse: a flooder coming back that late is a fresh client
    // (the waiters above timed out on the jumped clock; they are refused and booked anew)
    release.countDown();
    holder.get(10, TimeUnit.SECONDS);
    await(() -> gate.counters()[3] == 0);
    now.addAndGet(
        TimeUnit.SECONDS.toNanos(KdfGate.MAX_RETRY_AFTER_SECONDS + KdfGate.BOOKING_GRACE_SECONDS));
    long bookedBefore = gate.counters()[5];
    assertThat(gate.run(client("flood0"), () -> "ok")).isEqualTo("ok");
    assertThat(gate.counters()[5]).as("not admitted on a booking").isEqualTo(bookedBefore);
    assertThat(gate.counters()[4]).isZero();
  }

  @Test
  void aFloodThatNeverComesBackDoesNotPushOutALaterHonestBurst() throws Exception {
    // Given 1 permit held and the 8 waiting places full (500 ms a run),
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
    KdfGate gate = new KdfGate(1, now::get);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    Future<String> holder = blockingRun(gate, client("holder"), release, running);
    await(() -> running.get() == 1);
    for (int i = 0; i < 8; i++) {
      blockingRun(gate, client("w" + i), release, running);
    }
    await(() -> gate.counters()[3] == 8);
    // and a flood of 200 clients at t = 0, none of whom comes back: a cohort with no evidence yet,
    // half a run each, booked 5 s .. 54.75 s ahead
    for (int i = 0; i < 200; i++) {
      int advice = retryAfter(gate, client("flood" + i));
      assertThat(advice).isEqualTo((int) Math.ceil((10 + 0.5 * i) * 0.5));
    }
    // When an honest burst of 100 arrives at t = 40 s: the flood's first 120 appointments (before
    // 35 s) passed 5 s ago without a show, so its cohort's rate is max(1/16, 1/122) and the 59
    // bookings still ahead (after 40 s) count a sixteenth each, where the flood's first rate would
    // have counted them at one half
    now.set(TimeUnit.SECONDS.toNanos(40));
    List<Integer> honest = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      honest.add(retryAfter(gate, client("honest" + i)));
    }
    double flood = 59 / 16.0;
    assertThat(honest.get(0)).isEqualTo((int) Math.ceil((10 + flood) * 0.5));
    // Then the burst is its own cohort, with no evidence yet: half a run per client
    assertThat(honest.get(99)).isEqualTo((int) Math.ceil((10 + flood + 0.5 * 99) * 0.5));
    assertThat(honest.get(99)).as("well inside the horizon").isLessThan(60);
    release.countDown();
    holder.get(10, TimeUnit.SECONDS);
  }

  private static int retryAfter(KdfGate gate, ClientId c) {
    try {
      gate.run(c, () -> "x");
    } catch (ServerBusyException e) {
      return e.retryAfterSeconds();
    }
    throw new AssertionError("admitted, expected a refusal");
  }

  @Test
  void anonymousClientsAreNeverBooked() throws Exception {
    KdfGate gate = new KdfGate(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    Future<String> holder = blockingRun(gate, client("holder"), release, running);
    await(() -> running.get() == 1);
    for (int i = 0; i < 8; i++) {
      blockingRun(gate, client("w" + i), release, running);
    }
    await(() -> gate.counters()[3] == 8);
    assertThatThrownBy(() -> gate.run(ClientId.ANONYMOUS_CLIENT, () -> "x"))
        .isInstanceOf(ServerBusyException.class);
    assertThat(gate.counters()[4]).isZero();
    release.countDown();
    holder.get(10, TimeUnit.SECONDS);
  }

  @Test
  void permitsFitTheHeapBudget() {
    long mib = 1 << 20;
    long argon = KdfGate.memoryOf(Argon2idParameters.SECUREDROP_JOURNALIST);
    long scrypt = KdfGate.memoryOf(ScryptParameters.SECUREDROP);
    assertThat(argon).isEqualTo(64 * mib);
    assertThat(scrypt).isEqualTo(16 * mib + 1024);
    // -Xmx512m: 128 MiB budget / 64 MiB = 2 even on 8 cores; -Xmx256m: 1; -Xmx4g on 2 cores: 2
    assertThat(KdfGate.permitsFor(8, 512 * mib, argon)).isEqualTo(2);
    assertThat(KdfGate.permitsFor(8, 256 * mib, argon)).isEqualTo(1);
    assertThat(KdfGate.permitsFor(2, 4096 * mib, argon)).isEqualTo(2);
    assertThat(KdfGate.permitsFor(2, 64 * mib, argon)).isEqualTo(1);
  }
}
