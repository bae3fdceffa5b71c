package org.oniondrop.dropbox.server;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** The tor daemon of the {@code tor} backend ({@code oniondrop.tor.*}, {@code ONIONDROP_TOR_*}). */
@ConfigMapping(prefix = "oniondrop.tor")
public interface TorConfig {
  /** {@code host:port} or {@code unix:/path} of tor's ControlPort. */
  @WithDefault("127.0.0.1:9051")
  String control();

  /** The control auth cookie; absent: the file PROTOCOLINFO names. */
  Optional<Path> controlCookieFile();

  /** The control password (HashedControlPassword), if tor uses one. */
  Optional<String> controlPassword();

  /**
   * Ask tor for proof-of-work defences against introduction floods on the source service (ADD_ONION
   * {@code PoWDefensesEnabled=1}, as SecureDrop enables {@code HiddenServicePoWDefensesEnabled};
   * tor 0.4.8 or later with its pow module). The journalist service needs client authorization, so
   * floods cannot reach it and it goes without.
   */
  @WithDefault("true")
  boolean powDefenses();
}
