package org.oniondrop.dropbox.source.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Adds the security headers to every response (design promise 4), pages, errors and the upload
 * route alike, and removes any server banner.
 */
@ApplicationScoped
public class SecurityHeaders {

  /** Nothing but same-origin styles and images; no script, no frames, forms only to us. */
  public static final String CSP =
      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self';"
          + " frame-ancestors 'none'; base-uri 'none'";

  /** Runs before everything else. */
  static final int PRIORITY = 1000;

  void register(@Observes Filters filters) {
    filters.register(
        rc -> {
          rc.addHeadersEndHandler(v -> apply(rc.response().headers()));
          rc.next();
        },
        PRIORITY);
  }

  static void apply(MultiMap h) {
    h.set("Content-Security-Policy", CSP);
    h.set("Cache-Control", "no-store");
    h.set("Pragma", "no-cache");
    h.set("Referrer-Policy", "no-referrer");
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Cross-Origin-Opener-Policy", "same-origin");
    h.set("Cross-Origin-Resource-Policy", "same-origin");
    h.set("Cross-Origin-Embedder-Policy", "require-corp");
    h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    h.remove("Server");
    h.remove("X-Powered-By");
  }
}
