package org.oniondrop.dropbox.source.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the source interface. */
@ConfigMapping(prefix = "oniondrop.source")
public interface SourceConfig {

  /** A source session ends after this long without a request (SecureDrop: 2 h). */
  @WithDefault("PT2H")
  Duration sessionIdleTimeout();

  /**
   * Logged-in sessions kept at once. Never evicted to make room: beyond this a login is answered
   * "busy" until sessions expire or log out.
   */
  @WithDefault("10000")
  int maxSessions();

  /**
   * Anonymous sessions (no codename yet) kept at once; beyond this the oldest anonymous one is
   * dropped (never a logged-in one).
   */
  @WithDefault("10000")
  int maxAnonymousSessions();

  /**
   * Sessions one client (rendezvous circuit) may create per minute. Tor Browser uses one circuit
   * per site and tab group, so an honest source needs a handful.
   */
  @WithDefault("20")
  int sessionsPerClientPerMinute();

  /** Login attempts per session per minute. */
  @WithDefault("5")
  int loginsPerSessionPerMinute();

  /**
   * Login attempts per client (rendezvous circuit, else session) per minute. There is no
   * instance-wide login limit: it would let one client lock every returning source out; the KDF
   * gate bounds the total work instead.
   */
  @WithDefault("10")
  int loginsPerClientPerMinute();

  /** Submissions per session per hour. */
  @WithDefault("30")
  int submissionsPerSessionPerHour();

  /** Submissions per client (rendezvous circuit, else session) per hour. */
  @WithDefault("60")
  int submissionsPerClientPerHour();
}
