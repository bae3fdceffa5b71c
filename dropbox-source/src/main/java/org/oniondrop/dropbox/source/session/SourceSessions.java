package org.oniondrop.dropbox.source.session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.oniondrop.dropbox.core.admission.ClientId;
import org.oniondrop.dropbox.core.codename.KeyedCodenameDigest;
import org.oniondrop.dropbox.core.service.SourceService;
import org.oniondrop.dropbox.source.config.SourceConfig;

/**
 * The session store (in memory: sessions die with the process, as SecureDrop's do on restart).
 *
 * <p>Security guarantees (design promise 9):
 *
 * <ul>
 *   <li>Two tiers. Anonymous sessions (no codename yet) are capped at {@link
 *       SourceConfig#maxAnonymousSessions()}; beyond it the oldest anonymous one is dropped in
 *       O(1). Logged-in sessions are capped at {@link SourceConfig#maxSessions()} and are never
 *       evicted for anyone: past the cap a login is refused as busy.
 *   <li>Session creation is limited per client identity (the rendezvous circuit when the listener
 *       receives it): one circuit cannot churn the anonymous tier alone.
 *   <li>Login and submission allowances are per client (circuit, else session) and per session,
 *       never instance-wide: a flood uses up only its own allowance.
 *   <li>Expired sessions are swept at most once per {@value #SWEEP_INTERVAL_SECONDS} s, not on
 *       every creation.
 * </ul>
 */
@ApplicationScoped
public class SourceSessions {

  /** The cookie's name; it carries only a random id. */
  public static final String COOKIE = "od_source";

  /** Bytes of randomness in a session id and a CSRF token (256 bits). */
  static final int ID_BYTES = 32;

  /** Expired sessions are swept at most this often (lookups check expiry themselves). */
  static final long SWEEP_INTERVAL_SECONDS = 30;

  /** Clients whose allowances are remembered; beyond it the least recently seen are forgotten. */
  static final int MAX_TRACKED_CLIENTS = 50_000;

  /** How a session lookup ended. */
  public enum Lookup {
    FOUND,
    EXPIRED,
    NONE
  }

  /** A looked-up session and whether it had expired. */
  public record Result(Lookup status, SourceSession session) {}

  private final Map<String, SourceSession> sessions = new ConcurrentHashMap<>();

  /** Ids of anonymous sessions, oldest first; guarded by {@code this}. */
  private final LinkedHashSet<String> anonymous = new LinkedHashSet<>();

  private int loggedIn;
  private Instant lastSweep;
  private final SecureRandom random = new SecureRandom();
  private final KeyedRateLimiter sessionsPerClient;
  private final KeyedRateLimiter loginsPerClient;
  private final KeyedRateLimiter submissionsPerClient;

  private final SourceConfig config;
  private final Clock clock;

  @Inject
  SourceSessions(SourceConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.lastSweep = clock.instant();
    this.sessionsPerClient =
        new KeyedRateLimiter(
            config.sessionsPerClientPerMinute(), Duration.ofMinutes(1), MAX_TRACKED_CLIENTS, clock);
    this.loginsPerClient =
        new KeyedRateLimiter(
            config.loginsPerClientPerMinute(), Duration.ofMinutes(1), MAX_TRACKED_CLIENTS, clock);
    this.submissionsPerClient =
        new KeyedRateLimiter(
            config.submissionsPerClientPerHour(), Duration.ofHours(1), MAX_TRACKED_CLIENTS, clock);
  }

  private String token() {
    byte[] b = new byte[ID_BYTES];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /**
   * A new, empty (anonymous) session for {@code client}.
   *
   * @throws SessionRefusedException ({@code CLIENT_RATE}) when a circuit created too many sessions
   *     in the last minute
   */
  public SourceSession create(ClientId client) {
    if (client.isCircuit() && !sessionsPerClient.tryAcquire(client)) {
      throw new SessionRefusedException(SessionRefusedException.Reason.CLIENT_RATE);
    }
    Instant now = clock.instant();
    sweepIfDue(now);
    SourceSession s =
        new SourceSession(
            token(),
            token(),
            now,
            new RateLimiter(config.loginsPerSessionPerMinute(), Duration.ofMinutes(1), clock),
            new RateLimiter(config.submissionsPerSessionPerHour(), Duration.ofHours(1), clock));
    SourceSession dropped = null;
    synchronized (this) {
      if (anonymous.size() >= config.maxAnonymousSessions()) {
        Iterator<String> oldest = anonymous.iterator();
        String id = oldest.next();
        oldest.remove();
        dropped = sessions.remove(id);
      }
      anonymous.add(s.id());
      sessions.put(s.id(), s);
    }
    if (dropped != null) {
      dropped.destroy();
    }
    return s;
  }

  /** {@link #create(ClientId)} for an unknown client. */
  public SourceSession create() {
    return create(ClientId.ANONYMOUS_CLIENT);
  }

  /**
   * Whether a login could take a logged-in place now (checked before the KDF runs, so a full
   * instance does not spend a KDF run on a login it must refuse).
   */
  public synchronized boolean hasRoomForLogin(SourceSession session) {
    return session.loggedIn() || loggedIn < config.maxSessions();
  }

  /**
   * Logs {@code session} in with {@code credentials}, moving it to the logged-in tier.
   *
   * @throws SessionRefusedException ({@code FULL}) when the logged-in tier is at its cap; the
   *     credentials are then wiped
   */
  public void logIn(
      SourceSession session,
      SourceService.SourceCredentials credentials,
      KeyedCodenameDigest codenameDigest) {
    synchronized (this) {
      if (!session.loggedIn()) {
        if (loggedIn >= config.maxSessions() || sessions.get(session.id()) != session) {
          SourceService.forget(credentials);
          codenameDigest.destroy();
          throw new SessionRefusedException(SessionRefusedException.Reason.FULL);
        }
        anonymous.remove(session.id());
        loggedIn++;
      }
      session.logIn(credentials, codenameDigest);
    }
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
    synchronized (this) {
      String oldId = session.id();
      if (sessions.get(oldId) != session) {
        return;
      }
      String newId = token();
      sessions.put(newId, session);
      sessions.remove(oldId, session);
      if (anonymous.remove(oldId)) {
        anonymous.add(newId);
      }
      session.rekey(newId, token());
    }
  }

  public void remove(SourceSession session) {
    synchronized (this) {
      if (sessions.remove(session.id(), session)) {
        if (session.loggedIn()) {
          loggedIn--;
        } else {
          anonymous.remove(session.id());
        }
      }
    }
    session.destroy();
  }

  /** A login attempt by {@code client}: false when its per-minute allowance is used up. */
  public boolean tryLogin(ClientId client) {
    return loginsPerClient.tryAcquire(client);
  }

  /** A submission by {@code client}: false when its hourly allowance is used up. */
  public boolean trySubmission(ClientId client) {
    return submissionsPerClient.tryAcquire(client);
  }

  private boolean expired(SourceSession s, Instant now) {
    return !now.isBefore(s.lastSeen().plus(config.sessionIdleTimeout()));
  }

  private void sweepIfDue(Instant now) {
    synchronized (this) {
      if (now.isBefore(lastSweep.plusSeconds(SWEEP_INTERVAL_SECONDS))) {
        return;
      }
      lastSweep = now;
    }
    for (SourceSession s : sessions.values()) {
      if (expired(s, now)) {
        remove(s);
      }
    }
  }

  /** Sessions held (for tests). */
  public int size() {
    return sessions.size();
  }

  /** Logged-in sessions held (for tests). */
  public synchronized int loggedInSize() {
    return loggedIn;
  }
}
