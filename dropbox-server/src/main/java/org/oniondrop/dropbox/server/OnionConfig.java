package org.oniondrop.dropbox.server;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Onion service hosting ({@code oniondrop.onion.*}, {@code ONIONDROP_ONION_*}). These names are
 * used by the Ansible roles and the docs.
 */
@ConfigMapping(prefix = "oniondrop.onion")
public interface OnionConfig {

  /**
   * {@code embedded} (an in-process network: no anonymity), {@code tor} (a tor daemon through its
   * control port, see {@link TorConfig}), {@code native} (onion-host joins a Tor network itself:
   * experimental, no vanguards, congestion control or PoW, not audited; see {@link
   * #nativeBackend}), or {@code none}.
   */
  @WithDefault("embedded")
  String backend();

  /** The embedded backend's SOCKS5 port for browsers on 127.0.0.1; 0 picks a free one. */
  @WithDefault("9350")
  int socksPort();

  /**
   * Make the shared {@code journalist} client-authorization key when it is missing, its private
   * half in {@code <data-dir>/journalist-client-auth/} for the admin. Deployments that hand each
   * journalist a key of their own (Ansible's {@code journalist-client-key add}) turn it off, so no
   * client's private key is kept on the server.
   */
  @WithDefault("true")
  boolean defaultClientKey();

  /** The {@code native} backend ({@code oniondrop.onion.native.*}). */
  @WithName("native")
  NativeBackend nativeBackend();

  /** Settings of the {@code native} backend. */
  interface NativeBackend {

    /**
     * A torrc snippet whose {@code DirAuthority} lines (and {@code TestingTorNetwork 1}) name the
     * network to join, such as tools/tornet's {@code join.torrc} ({@code
     * ONIONDROP_ONION_NATIVE_JOIN_TORRC}). Absent: the public Tor network's authorities.
     */
    java.util.Optional<java.nio.file.Path> joinTorrc();
  }

  /** Relays in the embedded network. */
  @WithDefault("10")
  int relays();
}
