package org.oniondrop.dropbox.journalist;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The application clock in tests: real time plus an offset tests advance. */
@ApplicationScoped
public class TestClock {

  static volatile Duration offset = Duration.ZERO;

  static void advance(Duration d) {
    offset = offset.plus(d);
  }

  @Produces
  @ApplicationScoped
  Clock clock() {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.now().plus(offset);
      }
    };
  }
}
