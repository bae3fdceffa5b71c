package org.oniondrop.dropbox.core.service;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/** The system clock, replaceable in tests by an alternative {@link Clock} bean. */
@ApplicationScoped
public class ClockProducer {

  @Produces
  @DefaultBean
  @ApplicationScoped
  public Clock clock() {
    return Clock.systemUTC();
  }
}
