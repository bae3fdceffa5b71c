package org.oniondrop.dropbox.server;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Onion service hosting ({@code oniondrop.onion.*}, {@code ONIONDROP_ONION_*}). These names are
 * used by the Ansible roles and the docs.
 */
@ConfigMapping(prefix = "oniondrop.onion")
public interface OnionConfig {

  /**
   * {@code embedded} (an in-process network: no anonymity), {@code tor} (a tor daemon through its
   * control port, see {@link TorConfig}), or {@code none}.
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

  /** Relays in the embedded network. */
  @WithDefault("10")
  int relays();
}
