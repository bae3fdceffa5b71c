package org.oniondrop.dropbox.journalist.session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The journalist session store (in memory). */
@ApplicationScoped
public class JournalistSessions {

  public static final String COOKIE = "od_journalist";

  /** Sessions last this long without activity (SecureDrop: 2 hours). */
  public static final Duration LIFETIME = Duration.ofHours(2);

  private final Map<String, JournalistSession> sessions = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;

  @Inject
  JournalistSessions(Clock clock) {
    this.clock = clock;
  }

  private String token() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** A new session of {@code kind}, accepted only as that kind (see {@link #find}). */
  public JournalistSession create(String journalistUuid, JournalistSession.Kind kind) {
    JournalistSession s =
        new JournalistSession(token(), kind, journalistUuid, token(), clock.instant());
    sessions.put(s.id(), s);
    return s;
  }

  /**
   * The live session of {@code id} made as {@code kind}, renewed; empty if unknown, expired or of
   * the other kind (a page cookie is no API token, which skips the pages' CSRF check, and an API
   * token is no page cookie).
   */
  public Optional<JournalistSession> find(String id, JournalistSession.Kind kind) {
    if (id == null || id.length() > 64) {
      return Optional.empty();
    }
    JournalistSession s = sessions.get(id);
    if (s == null || s.kind() != kind) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (!now.isBefore(s.lastSeen().plus(LIFETIME))) {
      revoke(s);
      return Optional.empty();
    }
    s.touch(now);
    return Optional.of(s);
  }

  public Instant expiration(JournalistSession s) {
    return s.lastSeen().plus(LIFETIME);
  }

  public void revoke(JournalistSession s) {
    sessions.remove(s.id());
    s.destroy();
  }

  /**
   * Ends every session and API token of a journalist except {@code keep} (the one that just changed
   * its own credentials): a thief holding another session loses it with the old credentials.
   */
  public void revokeAllExcept(String journalistUuid, JournalistSession keep) {
    sessions
        .values()
        .removeIf(
            s -> {
              if (s.journalistUuid().equals(journalistUuid) && s != keep) {
                s.destroy();
                return true;
              }
              return false;
            });
  }

  /** Ends every session of a journalist (deleted or passphrase reset). */
  public void revokeAll(String journalistUuid) {
    sessions
        .values()
        .removeIf(
            s -> {
              if (s.journalistUuid().equals(journalistUuid)) {
                s.destroy();
                return true;
              }
              return false;
            });
  }
}
