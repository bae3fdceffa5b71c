package org.oniondrop.dropbox.source.session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.oniondrop.dropbox.source.config.SourceConfig;

/** The session store (in memory: sessions die with the process, as SecureDrop's do on restart). */
@ApplicationScoped
public class SourceSessions {

  /** The cookie's name; it carries only a random id. */
  public static final String COOKIE = "od_source";

  /** Bytes of randomness in a session id and a CSRF token (256 bits). */
  static final int ID_BYTES = 32;

  /** How a session lookup ended. */
  public enum Lookup {
    FOUND,
    EXPIRED,
    NONE
  }

  /** A looked-up session and whether it had expired. */
  public record Result(Lookup status, SourceSession session) {}

  private final Map<String, SourceSession> sessions = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final RateLimiter globalLogins;
  private final RateLimiter globalSubmissions;

  private final SourceConfig config;
  private final Clock clock;

  @Inject
  SourceSessions(SourceConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.globalLogins = new RateLimiter(config.loginsPerMinute(), Duration.ofMinutes(1), clock);
    this.globalSubmissions =
        new RateLimiter(config.submissionsPerMinute(), Duration.ofMinutes(1), clock);
  }

  private String token() {
    byte[] b = new byte[ID_BYTES];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** A new, empty session. */
  public SourceSession create() {
    Instant now = clock.instant();
    sweep(now);
    SourceSession s =
        new SourceSession(
            token(),
            token(),
            now,
            new RateLimiter(config.loginsPerSessionPerMinute(), Duration.ofMinutes(1), clock),
            new RateLimiter(config.submissionsPerSessionPerHour(), Duration.ofHours(1), clock));
    sessions.put(s.id(), s);
    return s;
  }

  /** Finds the session of a cookie value and marks it active, or reports that it expired. */
  public Result find(String cookie) {
    if (cookie == null || cookie.length() > 64) {
      return new Result(Lookup.NONE, null);
    }
    SourceSession s = sessions.get(cookie);
    if (s == null) {
      return new Result(Lookup.NONE, null);
    }
    Instant now = clock.instant();
    if (expired(s, now)) {
      remove(s);
      return new Result(Lookup.EXPIRED, null);
    }
    s.touch(now);
    return new Result(Lookup.FOUND, s);
  }

  public Optional<SourceSession> active(String cookie) {
    Result r = find(cookie);
    return Optional.ofNullable(r.session());
  }

  /**
   * Replaces the session's id and CSRF token, keeping what it holds: done when a source logs in or
   * is created, so that a session id an attacker planted or saw before (session fixation) does not
   * become a logged-in session. The old id is forgotten at once.
   */
  public void rotate(SourceSession session) {
    synchronized (session) {
      String newId = token();
      sessions.put(newId, session);
      sessions.remove(session.id(), session);
      session.rekey(newId, token());
    }
  }

  public void remove(SourceSession session) {
    sessions.remove(session.id());
    session.destroy();
  }

  public RateLimiter globalLogins() {
    return globalLogins;
  }

  public RateLimiter globalSubmissions() {
    return globalSubmissions;
  }

  private boolean expired(SourceSession s, Instant now) {
    return !now.isBefore(s.lastSeen().plus(config.sessionIdleTimeout()));
  }

  private void sweep(Instant now) {
    sessions
        .values()
        .removeIf(
            s -> {
              if (expired(s, now)) {
                s.destroy();
                return true;
              }
              return false;
            });
    if (sessions.size() >= config.maxSessions()) {
      sessions.values().stream()
          .min(Comparator.comparing(SourceSession::lastSeen))
          .ifPresent(this::remove);
    }
  }

  /** Sessions held (for tests). */
  public int size() {
    return sessions.size();
  }
}
