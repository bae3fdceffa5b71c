package org.oniondrop.dropbox.core.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.oniondrop.crypto.SecretBytes;
import org.oniondrop.crypto.kdf.KdfParameters;
import org.oniondrop.crypto.kdf.KdfPolicy;
import org.oniondrop.crypto.kdf.SourceKeyDerivation;
import org.oniondrop.crypto.pgp.EncryptionCertificate;
import org.oniondrop.crypto.pgp.KeyRejectedException;
import org.oniondrop.crypto.pgp.PgpEncryptor;
import org.oniondrop.crypto.words.CodenameGenerator;
import org.oniondrop.crypto.words.Designations;
import org.oniondrop.dropbox.core.config.DropboxConfig;
import org.oniondrop.dropbox.core.store.EncryptedStore;

/**
 * The crypto the dropbox runs on, set up once: the per-install salts (from configuration, or
 * generated once into {@code <data-dir>/secrets/}), the source KDF (production refuses cheap
 * parameters), the submission key (validated), codenames, designations and the store.
 */
@ApplicationScoped
public class DropboxCrypto {

  static final String ID_SALT_FILE = "source-id.salt";
  static final String PASSPHRASE_SALT_FILE = "reply-passphrase.salt";
  static final int SALT_BYTES = 32;

  private final SecureRandom random = new SecureRandom();
  private final DropboxConfig config;
  private final SourceKeyDerivation derivation;
  private final EncryptedStore store;
  private final CodenameGenerator codenames;
  private final Designations designations;
  private final AtomicReference<EncryptionCertificate> submissionKey = new AtomicReference<>();

  @Inject
  public DropboxCrypto(DropboxConfig config) {
    this.config = config;
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the data directory", e);
    }
    this.store =
        new EncryptedStore(config.dataDir().resolve("store"), config.store().overwriteOnDelete());
    KdfParameters kdf = KdfParameters.parse(config.sources().kdf());
    this.derivation =
        new SourceKeyDerivation(
            kdf,
            salt(config.sources().idSalt(), ID_SALT_FILE),
            salt(config.sources().passphraseSalt(), PASSPHRASE_SALT_FILE),
            config.sources().allowTestKdf() ? KdfPolicy.TESTS_ONLY : KdfPolicy.PRODUCTION);
    this.codenames = new CodenameGenerator(CodenameGenerator.DEFAULT_WORDS, random);
    this.designations = new Designations(random);
    Path rotated = rotatedKeyFile();
    if (Files.exists(rotated)) {
      loadSubmissionKey(rotated);
    } else {
      config.submissionKey().ifPresent(this::loadSubmissionKey);
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
  public synchronized void rotateSubmissionKey(byte[] key) {
    EncryptionCertificate cert;
    try {
      cert = EncryptionCertificate.parse(key);
    } catch (KeyRejectedException e) {
      // The parser's diagnostics stay out of the answer: they are English, and name internals.
      throw new JournalistError(keyRefusal(e.reason()));
    }
    try {
      Path file = rotatedKeyFile();
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      // Crash-safe: a complete, fsynced file replaces the old one atomically, and the rename is
      // made durable, so a restart finds either the old key or the new one, never a torn file.
      try (java.nio.channels.FileChannel ch =
          java.nio.channels.FileChannel.open(
              tmp,
              java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
              java.nio.file.StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(cert.armored().getBytes(StandardCharsets.US_ASCII)));
        ch.force(true);
      }
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      try (java.nio.channels.FileChannel dir =
          java.nio.channels.FileChannel.open(
              file.getParent(), java.nio.file.StandardOpenOption.READ)) {
        dir.force(true);
      }
    } catch (IOException e) {
      throw new JournalistError(JournalistError.Reason.KEY_NOT_STORED);
    }
    submissionKey.set(cert);
  }

  /** The typed refusal of a submission key, one for each reason the parser gives. */
  static JournalistError.Reason keyRefusal(KeyRejectedException.Reason reason) {
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

  private SecretBytes salt(Optional<String> configured, String fileName) {
    if (configured.isPresent()) {
      return SecretBytes.wrap(Base64.getDecoder().decode(configured.get().trim()));
    }
    Path dir = config.dataDir().resolve("secrets");
    Path file = dir.resolve(fileName);
    try {
      if (Files.exists(file)) {
        return SecretBytes.wrap(Files.readAllBytes(file));
      }
      if (hasSources()) {
        throw new IllegalStateException(
            "the store has sources but the salt file "
                + fileName
                + " is missing: refusing to start"
                + " (their codenames would no longer work); restore it from a backup");
      }
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      byte[] salt = new byte[SALT_BYTES];
      random.nextBytes(salt);
      Path tmp = dir.resolve(fileName + ".tmp");
      Files.write(tmp, salt);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return SecretBytes.wrap(salt);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read or create " + fileName, e);
    }
  }

  private boolean hasSources() throws IOException {
    Path storeDir = config.dataDir().resolve("store");
    if (!Files.isDirectory(storeDir)) {
      return false;
    }
    try (var entries = Files.list(storeDir)) {
      return entries.anyMatch(Files::isDirectory);
    }
  }

  /** Loads and validates the submission public key from {@code file}. */
  public void loadSubmissionKey(Path file) {
    try {
      submissionKey.set(EncryptionCertificate.parse(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the submission key file", e);
    } catch (KeyRejectedException e) {
      throw new IllegalStateException("the submission key was refused: " + e.getMessage(), e);
    }
  }

  /** Replaces the submission key (admin rotation); the new one is validated first. */
  public void useSubmissionKey(EncryptionCertificate key) {
    submissionKey.set(key);
  }

  public EncryptionCertificate submissionKey() {
    EncryptionCertificate key = submissionKey.get();
    if (key == null) {
      throw new IllegalStateException("no submission key is configured");
    }
    return key;
  }

  public boolean hasSubmissionKey() {
    return submissionKey.get() != null;
  }

  /** An encryptor to the current submission key. */
  public PgpEncryptor toSubmissionKey() {
    return PgpEncryptor.to(submissionKey());
  }

  public SourceKeyDerivation derivation() {
    return derivation;
  }

  public EncryptedStore store() {
    return store;
  }

  public CodenameGenerator codenames() {
    return codenames;
  }

  public Designations designations() {
    return designations;
  }

  public SecureRandom random() {
    return random;
  }
}
