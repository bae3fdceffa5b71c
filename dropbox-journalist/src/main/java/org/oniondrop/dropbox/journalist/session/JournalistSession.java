package org.oniondrop.dropbox.journalist.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import org.oniondrop.crypto.SecretBytes;

/** One journalist's session: a page session (cookie) or an API token, never both. */
public final class JournalistSession {

  /** What the session was made for, and so the only way it is accepted. */
  public enum Kind {
    /** The pages' {@code od_journalist} cookie (CSRF-checked forms). */
    PAGE,
    /** The Journalist API's {@code Authorization: Token} (no CSRF check). */
    API_TOKEN
  }

  private final String id;
  private final Kind kind;
  private final String journalistUuid;
  private final String csrfToken;
  private volatile Instant lastSeen;
  private volatile SecretBytes pendingTotp;
  private volatile String pendingTotpFor;
  private volatile String notice;

  JournalistSession(String id, Kind kind, String journalistUuid, String csrfToken, Instant now) {
    this.id = id;
    this.kind = kind;
    this.journalistUuid = journalistUuid;
    this.csrfToken = csrfToken;
    this.lastSeen = now;
  }

  public String id() {
    return id;
  }

  public Kind kind() {
    return kind;
  }

  public String journalistUuid() {
    return journalistUuid;
  }

  public String csrfToken() {
    return csrfToken;
  }

  public boolean csrfMatches(String candidate) {
    return candidate != null
        && MessageDigest.isEqual(
            csrfToken.getBytes(StandardCharsets.US_ASCII),
            candidate.getBytes(StandardCharsets.US_ASCII));
  }

  public Instant lastSeen() {
    return lastSeen;
  }

  void touch(Instant now) {
    lastSeen = now;
  }

  /**
   * A TOTP secret being enrolled for {@link #pendingTotpFor()} (self or a user an admin resets).
   */
  public SecretBytes pendingTotp() {
    return pendingTotp;
  }

  public String pendingTotpFor() {
    return pendingTotpFor;
  }

  public void pendingTotp(String forUuid, SecretBytes secret) {
    SecretBytes old = pendingTotp;
    pendingTotp = secret;
    pendingTotpFor = forUuid;
    if (old != null && old != secret) {
      old.destroy();
    }
  }

  /** A one-time message for the next page (e.g. a generated passphrase, shown once). */
  public String takeNotice() {
    String n = notice;
    notice = null;
    return n;
  }

  public void notice(String text) {
    notice = text;
  }

  void destroy() {
    pendingTotp(null, null);
    notice = null;
  }

  @Override
  public String toString() {
    return "JournalistSession[redacted]";
  }
}
