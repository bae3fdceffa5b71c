package org.oniondrop.dropbox.core.testing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The application clock in tests: real time plus an offset tests advance. It replaces the default
 * {@code ClockProducer}; the interface modules find it by indexing dropbox-core's test jar ({@code
 * quarkus.index-dependency.*} in their test application.properties).
 */
@ApplicationScoped
public class TestClock {

  public static volatile Duration offset = Duration.ZERO;

  public static void advance(Duration d) {
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
