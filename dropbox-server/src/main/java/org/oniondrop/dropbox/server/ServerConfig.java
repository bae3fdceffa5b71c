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
   * The source listener that expects a HAProxy PROXY protocol header on every connection, as tor
   * sends with {@code HiddenServiceExportCircuitID haproxy} and onion-host with its circuit export:
   * the header's source address carries the rendezvous circuit, by which source-side limits and the
   * KDF gate tell clients apart. A connection without a valid header is closed. 0 picks a free port
   * (the embedded backend learns it); -1 turns this listener off. The plain source listener ({@code
   * quarkus.http.port}) never reads the header, so nothing can spoof a circuit there.
   */
  @WithDefault("0")
  int sourceProxyPort();

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
