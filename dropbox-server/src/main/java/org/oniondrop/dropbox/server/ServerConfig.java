package org.oniondrop.dropbox.server;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The server's own settings ({@code oniondrop.server.*}; environment variables such as {@code
 * ONIONDROP_SERVER_JOURNALIST_PORT}). The source listener is Quarkus' HTTP server ({@code
 * quarkus.http.host}, {@code quarkus.http.port}); the journalist listener is a second server on the
 * same host.
 */
@ConfigMapping(prefix = "oniondrop.server")
public interface ServerConfig {

  /** The journalist listener's port on {@code quarkus.http.host}; 0 picks a free one. */
  @WithDefault("8081")
  int journalistPort();

  /**
   * Whether a demo submission key may be generated when none is configured. The {@code production}
   * profile turns this off, so the server refuses to start without a real key.
   */
  @WithDefault("true")
  boolean allowDemo();

  /** Whether the first start creates an admin account and prints its secrets once. */
  @WithDefault("true")
  boolean createFirstAdmin();
}
