package org.oniondrop.dropbox.source.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import org.oniondrop.crypto.SecretBytes;
import org.oniondrop.crypto.words.Codename;
import org.oniondrop.dropbox.core.codename.CodenameInMessageCheck;
import org.oniondrop.dropbox.core.codename.KeyedCodenameDigest;
import org.oniondrop.dropbox.core.i18n.Language;
import org.oniondrop.dropbox.core.service.SourceService;
import org.oniondrop.dropbox.core.upload.SubmissionForm;

/**
 * One source's server-side session. Never logged; {@link #toString()} shows nothing.
 *
 * <p>What it holds of the codename: the derived credentials of a logged-in source, a keyed digest
 * of the codename for the codename-in-message check ({@link KeyedCodenameDigest}), and, for a
 * source who was just given a codename, that codename as ASCII bytes in a {@link SecretBytes}
 * (never a {@code String}) so the page can show it again until logout. All of it is wiped when the
 * session ends. Its id and CSRF token are replaced when the source logs in or is created ({@link
 * SourceSessions#rotate}), so an id planted before login is worthless after it.
 */
public final class SourceSession {

  private volatile String id;
  private volatile String csrfToken;
  private final RateLimiter logins;
  private final RateLimiter submissions;
  private volatile Instant lastSeen;
  private volatile SourceService.SourceCredentials credentials;
  private volatile KeyedCodenameDigest codenameDigest;
  private volatile SecretBytes newCodename;
  private volatile Language language;
  private volatile Receipt receipt;

  /**
   * What the last submission stored, for the received page: file names (source data, kept in memory
   * only, never logged) and sizes, and the message length in characters (0 for none).
   */
  public record Receipt(List<SubmissionForm.Received> files, int messageChars) {
    @Override
    public String toString() {
      return "Receipt[redacted]";
    }
  }

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

  /** Gives the session a new id and CSRF token (by {@link SourceSessions#rotate} only). */
  void rekey(String newId, String newCsrfToken) {
    id = newId;
    csrfToken = newCsrfToken;
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

  /**
   * Logs the source in: keeps the derived credentials and a keyed digest of the codename (the
   * codename itself is not kept). Only through {@link SourceSessions#logIn}, which keeps the tiers.
   */
  void logIn(SourceService.SourceCredentials creds, KeyedCodenameDigest digest) {
    SourceService.forget(credentials);
    KeyedCodenameDigest old = codenameDigest;
    credentials = creds;
    codenameDigest = digest;
    if (old != null && old != digest) {
      old.destroy();
    }
  }

  /** Remembers what a submission stored, for the received page. */
  public void received(List<SubmissionForm.Received> files, int messageChars) {
    receipt = new Receipt(List.copyOf(files), messageChars);
  }

  /** What the last submission stored, or {@code null}. */
  public Receipt receipt() {
    return receipt;
  }

  /** The check a submission policy asks whether a message holds this source's codename. */
  public CodenameInMessageCheck codenameCheck() {
    KeyedCodenameDigest d = codenameDigest;
    return d == null ? CodenameInMessageCheck.NONE : d;
  }

  /** Whether a codename was generated for this session and not yet forgotten. */
  public boolean hasNewCodename() {
    SecretBytes c = newCodename;
    return c != null && !c.isDestroyed();
  }

  /**
   * The codename generated for this session, as ASCII bytes (a copy: wipe it), or null. The session
   * keeps it so the source's page can show it again until logout.
   */
  public byte[] newCodenameBytes() {
    SecretBytes c = newCodename;
    return c == null ? null : c.reveal();
  }

  /** The codename generated for this session, parsed again (destroy it after use), or null. */
  public Codename newCodename() {
    byte[] ascii = newCodenameBytes();
    if (ascii == null) {
      return null;
    }
    char[] chars = new char[ascii.length];
    try {
      for (int i = 0; i < ascii.length; i++) {
        chars[i] = (char) (ascii[i] & 0xff);
      }
      return Codename.parse(java.nio.CharBuffer.wrap(chars));
    } finally {
      java.util.Arrays.fill(ascii, (byte) 0);
      java.util.Arrays.fill(chars, '\0');
    }
  }

  /** Keeps (a byte copy of) a codename generated for this session; null forgets it. */
  public void newCodename(Codename codename) {
    SecretBytes old = newCodename;
    if (codename == null) {
      newCodename = null;
    } else {
      char[] chars = codename.chars();
      byte[] ascii = new byte[chars.length];
      for (int i = 0; i < chars.length; i++) {
        ascii[i] = (byte) chars[i];
      }
      java.util.Arrays.fill(chars, '\0');
      newCodename = SecretBytes.wrap(ascii);
    }
    if (old != null) {
      old.destroy();
    }
  }

  /** The language the source chose with a {@code ?l=} link, or null. */
  public Language language() {
    return language;
  }

  public void language(Language chosen) {
    language = chosen;
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
    KeyedCodenameDigest d = codenameDigest;
    codenameDigest = null;
    if (d != null) {
      d.destroy();
    }
    newCodename(null);
    receipt = null;
  }

  @Override
  public String toString() {
    return "SourceSession[redacted]";
  }
}
