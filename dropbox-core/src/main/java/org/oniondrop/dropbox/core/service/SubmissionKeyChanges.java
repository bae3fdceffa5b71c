package org.oniondrop.dropbox.core.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;
import org.oniondrop.crypto.pgp.EncryptionCertificate;
import org.oniondrop.crypto.pgp.KeyRejectedException;
import org.oniondrop.dropbox.core.config.DropboxConfig;

/**
 * The record of the last submission key replacement: when, by which journalist, and the new key's
 * fingerprint. Replacing the key decides who can read every later submission, so the admin status
 * page shows this record and the log gets an event line. Neither ever contains key material, only
 * the (public) fingerprint. Kept in {@code <data-dir>/keys/submission-key-change.properties},
 * written atomically and durably.
 *
 * <p>A replacement is recorded <em>before</em> the new key takes effect (issue 14): a crash between
 * the two leaves a record of a change that did not happen, which {@link #current()} hides because
 * its fingerprint is not the key in effect, never a key in effect with no record of who put it
 * there.
 */
@ApplicationScoped
public class SubmissionKeyChanges {

  private static final Logger LOG = Logger.getLogger(SubmissionKeyChanges.class.getName());

  /** The last change. */
  public record Change(Instant at, String by, String fingerprint) {}

  @Inject DropboxConfig config;
  @Inject Clock clock;
  @Inject SubmissionKeys submissionKeys;

  Path file() {
    return config.dataDir().resolve("keys").resolve("submission-key-change.properties");
  }

  /**
   * Replaces the submission key with {@code key} (armored or binary) on behalf of {@code username}:
   * validates it, records the change durably, then makes it the key in effect.
   *
   * @throws JournalistError the key was refused, with the parser's reason ({@code KEY_*})
   * @throws IOException the record or the key could not be stored; the old key stays in effect
   */
  public synchronized Change replace(byte[] key, String username) throws IOException {
    String fingerprint;
    try {
      fingerprint = EncryptionCertificate.parse(key).fingerprint().toDisplayString();
    } catch (KeyRejectedException e) {
      throw new JournalistError(SubmissionKeys.refusal(e.reason()));
    }
    Change c = record(username, fingerprint);
    try {
      submissionKeys.rotate(key);
    } catch (JournalistError e) {
      throw new IOException("the key could not be stored");
    }
    return c;
  }

  /** The last recorded change, if it is the key in effect (see the class comment). */
  public synchronized Optional<Change> current() {
    if (!submissionKeys.isPresent()) {
      return Optional.empty();
    }
    String active = submissionKeys.current().fingerprint().toDisplayString();
    return last().filter(c -> active.equals(c.fingerprint()));
  }

  /** Records (and logs) that {@code username} replaced the submission key with {@code fp}. */
  synchronized Change record(String username, String fingerprint) throws IOException {
    Change c = new Change(clock.instant(), username, fingerprint);
    Properties p = new Properties();
    p.setProperty("at", c.at().toString());
    p.setProperty("by", username);
    p.setProperty("fingerprint", fingerprint);
    java.io.StringWriter text = new java.io.StringWriter();
    p.store(text, null);
    // Durable before the key changes: the file's bytes, then the rename (the directory).
    DurableFiles.replace(file(), text.toString().getBytes(StandardCharsets.UTF_8));
    LOG.warning(
        "EVENT submission-key-replaced by="
            + username
            + " fingerprint="
            + fingerprint
            + " (every later submission is encrypted to this key)");
    return c;
  }

  /** The last recorded change, if any. */
  public synchronized Optional<Change> last() {
    Path f = file();
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      Properties p = new Properties();
      p.load(new StringReader(Files.readString(f, StandardCharsets.UTF_8)));
      return Optional.of(
          new Change(
              Instant.parse(p.getProperty("at")),
              p.getProperty("by"),
              p.getProperty("fingerprint")));
    } catch (IOException | RuntimeException e) {
      LOG.warning("the submission key change record is unreadable");
      return Optional.empty();
    }
  }
}
