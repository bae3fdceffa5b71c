package org.oniondrop.dropbox.journalist;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.oniondrop.dropbox.core.service.JournalistService;
import org.oniondrop.dropbox.core.service.JournalistService.LoginFailure;
import org.oniondrop.dropbox.core.service.JournalistService.LoginResult;
import org.oniondrop.dropbox.core.service.LoginThrottle;
import org.oniondrop.dropbox.core.testing.TestClock;

/** Journalist login hardening (issue 13): TOTP single use under races, throttle, username shape. */
@QuarkusTest
class LoginHardeningTest {

  /** Rounds of the race: each round two logins race with one fresh code. */
  static final int RACE_ROUNDS = 15;

  @Inject JournalistService journalists;
  @Inject Fixtures fixtures;

  @org.junit.jupiter.api.AfterEach
  void resetClock() {
    TestClock.offset = Duration.ZERO;
  }

  @Test
  void twoLoginsRacingWithTheSameCodeAreAcceptedOnce() throws Exception {
    Fixtures.Account a = fixtures.journalist(false);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < RACE_ROUNDS; round++) {
        TestClock.advance(Duration.ofSeconds(30)); // a fresh step each round
        String code = a.code(0);
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<LoginResult>> results = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          results.add(
              pool.submit(
                  () -> {
                    start.await(10, TimeUnit.SECONDS);
                    return journalists.login(a.username(), a.passphrase().toCharArray(), code);
                  }));
        }
        LoginResult first = results.get(0).get(30, TimeUnit.SECONDS);
        LoginResult second = results.get(1).get(30, TimeUnit.SECONDS);
        int accepted = (first.failure() == null ? 1 : 0) + (second.failure() == null ? 1 : 0);
        assertThat(accepted).as("round %d", round).isEqualTo(1);
        LoginResult refused = first.failure() == null ? second : first;
        assertThat(refused.failure()).isEqualTo(LoginFailure.CODE_REUSED);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void parallelFailuresNeverExceedTheLimit() throws Exception {
    Fixtures.Account a = fixtures.journalist(false);
    TestClock.advance(Duration.ofMinutes(5));
    int parallel = 20;
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    try {
      CyclicBarrier start = new CyclicBarrier(parallel);
      List<Future<LoginResult>> results = new ArrayList<>();
      for (int t = 0; t < parallel; t++) {
        results.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  return journalists.login(a.username(), "wrong".toCharArray(), "000000");
                }));
      }
      int bad = 0;
      int throttled = 0;
      for (Future<LoginResult> f : results) {
        LoginFailure failure;
        try {
          failure = f.get(30, TimeUnit.SECONDS).failure();
        } catch (java.util.concurrent.ExecutionException e) {
          // The bounded KDF gate may shed a counted attempt as busy: it still counted.
          assertThat(e.getCause())
              .isInstanceOf(org.oniondrop.dropbox.core.admission.ServerBusyException.class);
          bad++;
          continue;
        }
        if (failure == LoginFailure.BAD_CREDENTIALS) {
          bad++;
        } else if (failure == LoginFailure.THROTTLED) {
          throttled++;
        }
      }
      // The default limit is 5 attempts per 60 s: exactly 5 were counted, the rest refused.
      assertThat(bad).isEqualTo(5);
      assertThat(throttled).isEqualTo(parallel - 5);
      // Even the right credentials wait out the window now.
      assertThat(journalists.login(a.username(), a.passphrase().toCharArray(), a.code(0)).failure())
          .isEqualTo(LoginFailure.THROTTLED);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void malformedUsernamesAreRefusedBeforeTheThrottleAndTheDatabase() {
    String huge = "x".repeat(100_000);
    for (String name : new String[] {huge, "a b", "ab", "../etc", "\u00e4dmin", ""}) {
      assertThat(journalists.login(name, "p".toCharArray(), "123456").failure())
          .as(name.length() > 20 ? "long name" : name)
          .isEqualTo(LoginFailure.BAD_CREDENTIALS);
    }
    assertThat(journalists.login(null, "p".toCharArray(), "123456").failure())
        .isEqualTo(LoginFailure.BAD_CREDENTIALS);
  }

  @Test
  void theThrottleTableIsBoundedAndAFloodCannotEvictATrackedName() {
    LoginThrottle t = new LoginThrottle(2, Duration.ofSeconds(60));
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(t.tryAcquire("target", now)).isTrue();
    assertThat(t.tryAcquire("target", now)).isTrue();
    for (int i = 0; t.tracked() < LoginThrottle.MAX_TRACKED_USERNAMES; i++) {
      t.tryAcquire("flood" + i, now);
    }
    assertThat(t.tryAcquire("one-more", now)).isFalse();
    assertThat(t.tracked()).isEqualTo(LoginThrottle.MAX_TRACKED_USERNAMES);
    assertThat(t.tryAcquire("target", now)).isFalse(); // still counted: not evicted
    // After the window, expired records make room again.
    Instant later = now.plusSeconds(61);
    assertThat(t.tryAcquire("one-more", later)).isTrue();
    assertThat(t.tracked()).isEqualTo(1);
  }
}
