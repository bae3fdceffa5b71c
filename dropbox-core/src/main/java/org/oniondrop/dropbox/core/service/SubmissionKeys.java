package org.oniondrop.dropbox.core.service;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.oniondrop.crypto.pgp.EncryptionCertificate;
import org.oniondrop.crypto.pgp.KeyRejectedException;
import org.oniondrop.crypto.pgp.PgpEncryptor;
import org.oniondrop.dropbox.core.config.DropboxConfig;

/**
 * The submission key: the one public key every submission and reply is encrypted to. Loaded at
 * startup (an admin's rotation in {@code <data-dir>/keys/} takes precedence over the configured
 * file), validated by {@link EncryptionCertificate#parse} (no secret key, no revoked, expired, weak
 * RSA or SHA-1-bound key), and rotated crash-safely. {@code @Startup}: a refused key file stops the
 * server while it starts.
 */
@Startup
@ApplicationScoped
public class SubmissionKeys {

  private final DropboxConfig config;
  private final AtomicReference<EncryptionCertificate> current = new AtomicReference<>();

  @Inject
  public SubmissionKeys(DropboxConfig config) {
    this.config = config;
    Path rotated = rotatedKeyFile();
    if (Files.exists(rotated)) {
      load(rotated);
    } else {
      config.submissionKey().ifPresent(this::load);
    }
  }

  /** Where an admin's key rotation is kept; it takes precedence over the configured key file. */
  Path rotatedKeyFile() {
    return config.dataDir().resolve("keys").resolve("submission-public-key.asc");
  }

  /**
   * Replaces the submission key with {@code key} (armored or binary) after validating it, and keeps
   * it for restarts. Submissions record the fingerprint they were encrypted to, so older ones still
   * say which key opens them.
   *
   * @throws JournalistError {@code KEY_*} (one reason per refusal of the parser) or {@code
   *     KEY_NOT_STORED}
   */
  public synchronized void rotate(byte[] key) {
    EncryptionCertificate cert;
    try {
      cert = EncryptionCertificate.parse(key);
    } catch (KeyRejectedException e) {
      // The parser's diagnostics stay out of the answer: they are English, and name internals.
      throw new JournalistError(refusal(e.reason()));
    }
    try {
      // Crash-safe: a restart finds either the old key or the new one, never a torn file.
      DurableFiles.replace(rotatedKeyFile(), cert.armored().getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new JournalistError(JournalistError.Reason.KEY_NOT_STORED);
    }
    current.set(cert);
  }

  /** The typed refusal of a submission key, one for each reason the parser gives. */
  static JournalistError.Reason refusal(KeyRejectedException.Reason reason) {
    return switch (reason) {
      case MALFORMED -> JournalistError.Reason.KEY_MALFORMED;
      case MULTIPLE_KEYS -> JournalistError.Reason.KEY_MULTIPLE;
      case SECRET_KEY_GIVEN -> JournalistError.Reason.KEY_SECRET_GIVEN;
      case REVOKED -> JournalistError.Reason.KEY_REVOKED;
      case EXPIRED -> JournalistError.Reason.KEY_EXPIRED;
      case WEAK_RSA -> JournalistError.Reason.KEY_WEAK_RSA;
      case SHA1_BINDING -> JournalistError.Reason.KEY_SHA1_BINDING;
      case NO_ENCRYPTION_KEY -> JournalistError.Reason.KEY_NO_ENCRYPTION_KEY;
    };
  }

  /** Loads and validates the submission public key from {@code file}. */
  public void load(Path file) {
    try {
      current.set(EncryptionCertificate.parse(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the submission key file", e);
    } catch (KeyRejectedException e) {
      throw new IllegalStateException("the submission key was refused: " + e.getMessage(), e);
    }
  }

  /** Replaces the submission key with an already validated one (not kept across restarts). */
  public void use(EncryptionCertificate key) {
    current.set(key);
  }

  /**
   * The current submission key.
   *
   * @throws IllegalStateException if none is configured
   */
  public EncryptionCertificate current() {
    EncryptionCertificate key = current.get();
    if (key == null) {
      throw new IllegalStateException("no submission key is configured");
    }
    return key;
  }

  public boolean isPresent() {
    return current.get() != null;
  }

  /** An encryptor to the current submission key. */
  public PgpEncryptor toSubmissionKey() {
    return PgpEncryptor.to(current());
  }
}
