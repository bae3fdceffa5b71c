package org.oniondrop.dropbox.core.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;
import org.oniondrop.dropbox.core.config.DropboxConfig;

/**
 * The record of the last submission key replacement: when, by which journalist, and the new key's
 * fingerprint. Replacing the key decides who can read every later submission, so the admin status
 * page shows this record and the log gets an event line. Neither ever contains key material, only
 * the (public) fingerprint. Kept in {@code <data-dir>/keys/submission-key-change.properties},
 * written atomically.
 */
@ApplicationScoped
public class SubmissionKeyChanges {

  private static final Logger LOG = Logger.getLogger(SubmissionKeyChanges.class.getName());

  /** The last change. */
  public record Change(Instant at, String by, String fingerprint) {}

  @Inject DropboxConfig config;
  @Inject Clock clock;

  Path file() {
    return config.dataDir().resolve("keys").resolve("submission-key-change.properties");
  }

  /** Records (and logs) that {@code username} replaced the submission key with {@code fp}. */
  public synchronized Change record(String username, String fingerprint) throws IOException {
    Change c = new Change(clock.instant(), username, fingerprint);
    Properties p = new Properties();
    p.setProperty("at", c.at().toString());
    p.setProperty("by", username);
    p.setProperty("fingerprint", fingerprint);
    Path f = file();
    Files.createDirectories(f.getParent());
    Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
    try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(out, null);
    }
    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
