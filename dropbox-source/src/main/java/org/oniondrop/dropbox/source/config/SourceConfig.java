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

  /** Sessions kept at once; the oldest idle ones are dropped beyond this. */
  @WithDefault("10000")
  int maxSessions();

  /** Login attempts per session per minute. */
  @WithDefault("5")
  int loginsPerSessionPerMinute();

  /** Login attempts per minute across all sessions (every request comes from 127.0.0.1). */
  @WithDefault("60")
  int loginsPerMinute();

  /** Submissions per session per hour. */
  @WithDefault("30")
  int submissionsPerSessionPerHour();

  /** Submissions per minute across all sessions. */
  @WithDefault("60")
  int submissionsPerMinute();
}
