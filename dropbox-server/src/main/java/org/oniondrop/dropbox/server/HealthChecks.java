package org.oniondrop.dropbox.server;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.oniondrop.dropbox.core.service.DatabaseProbe;
import org.oniondrop.dropbox.core.store.EncryptedStore;

/**
 * SmallRye Health checks, served under {@code /q/health} on the journalist listener only: the
 * database answers, the store directory is writable, and both onion services are published.
 */
public final class HealthChecks {

  private HealthChecks() {}

  @Readiness
  @ApplicationScoped
  public static class Database implements HealthCheck {
    @Inject DatabaseProbe database;

    @Override
    @Transactional
    public HealthCheckResponse call() {
      try {
        database.ping();
        return HealthCheckResponse.up("database");
      } catch (RuntimeException e) {
        return HealthCheckResponse.named("database")
            .down()
            .withData("error", e.getClass().getSimpleName())
            .build();
      }
    }
  }

  @Readiness
  @ApplicationScoped
  public static class Store implements HealthCheck {
    @Inject EncryptedStore store;

    @Override
    public HealthCheckResponse call() {
      Path root = store.root();
      boolean ok = Files.isDirectory(root) && Files.isWritable(root);
      return HealthCheckResponse.named("store").status(ok).build();
    }
  }

  @Readiness
  @ApplicationScoped
  public static class Onion implements HealthCheck {
    @Inject OnionHosting onion;

    @Override
    public HealthCheckResponse call() {
      boolean none = onion.backend().equals("none");
      return HealthCheckResponse.named("onion-services")
          .status(none || onion.published())
          .withData("backend", onion.backend())
          .withData("published", onion.published())
          .build();
    }
  }
}
