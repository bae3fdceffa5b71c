package org.oniondrop.dropbox.source.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import org.oniondrop.crypto.words.Codename;
import org.oniondrop.dropbox.core.service.SourceService;

/** One source's server-side session. Never logged; {@link #toString()} shows nothing. */
public final class SourceSession {

  private final String id;
  private final String csrfToken;
  private final RateLimiter logins;
  private final RateLimiter submissions;
  private volatile Instant lastSeen;
  private volatile SourceService.SourceCredentials credentials;
  private volatile Codename newCodename;

  SourceSession(
      String id, String csrfToken, Instant now, RateLimiter logins, RateLimiter submissions) {
    this.id = id;
    this.csrfToken = csrfToken;
    this.lastSeen = now;
    this.logins = logins;
    this.submissions = submissions;
  }

  public String id() {
    return id;
  }

  public String csrfToken() {
    return csrfToken;
  }

  /** Constant-time check of a submitted CSRF token. */
  public boolean csrfMatches(String candidate) {
    return candidate != null
        && MessageDigest.isEqual(
            csrfToken.getBytes(StandardCharsets.US_ASCII),
            candidate.getBytes(StandardCharsets.US_ASCII));
  }

  Instant lastSeen() {
    return lastSeen;
  }

  void touch(Instant now) {
    lastSeen = now;
  }

  public SourceService.SourceCredentials credentials() {
    return credentials;
  }

  public boolean loggedIn() {
    return credentials != null;
  }

  void logIn(SourceService.SourceCredentials creds) {
    SourceService.forget(credentials);
    credentials = creds;
  }

  /** A codename generated for this session, not yet written down by the source. */
  public Codename newCodename() {
    return newCodename;
  }

  public void newCodename(Codename codename) {
    Codename old = newCodename;
    newCodename = codename;
    if (old != null && old != codename) {
      old.destroy();
    }
  }

  public RateLimiter logins() {
    return logins;
  }

  public RateLimiter submissions() {
    return submissions;
  }

  /** Wipes what the session held. */
  void destroy() {
    SourceService.forget(credentials);
    credentials = null;
    newCodename(null);
  }

  @Override
  public String toString() {
    return "SourceSession[redacted]";
  }
}
