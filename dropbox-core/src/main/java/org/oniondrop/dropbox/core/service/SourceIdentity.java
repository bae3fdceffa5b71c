package org.oniondrop.dropbox.core.service;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.oniondrop.crypto.SecretBytes;
import org.oniondrop.crypto.kdf.KdfParameters;
import org.oniondrop.crypto.kdf.KdfPolicy;
import org.oniondrop.crypto.kdf.SourceKeyDerivation;
import org.oniondrop.crypto.words.Codename;
import org.oniondrop.dropbox.core.config.DropboxConfig;

/**
 * Who a source is to the server: the source id and the reply-key passphrase, both derived from the
 * codename with the per-install secret salts (SecureDrop's two salts: a leaked database without the
 * salts does not let anyone test codenames, and one derived value does not give the other).
 *
 * <p>The salts come from configuration, or are generated once into {@code <data-dir>/secrets/}
 * (directory {@code rwx------}, files {@code rw-------}, written to a temporary file and moved
 * atomically). If a salt file is missing while the store already holds sources, startup is refused:
 * a new salt would silently lock every existing source out. Production refuses cheap KDF parameters
 * ({@link KdfPolicy#PRODUCTION}).
 *
 * <p>{@code @Startup}: built while the server starts, so a missing salt or a refused KDF stops it
 * before it listens (the first user of this bean otherwise runs on a background thread, the KDF
 * calibration, which swallows errors).
 */
@Startup
@ApplicationScoped
public class SourceIdentity {

  static final String ID_SALT_FILE = "source-id.salt";
  static final String PASSPHRASE_SALT_FILE = "reply-passphrase.salt";
  static final int SALT_BYTES = 32;

  private final DropboxConfig config;
  private final SecureRandom random;
  private final SourceKeyDerivation derivation;

  @Inject
  public SourceIdentity(DropboxConfig config, SecureRandom random) {
    this.config = config;
    this.random = random;
    KdfParameters kdf = KdfParameters.parse(config.sources().kdf());
    this.derivation =
        new SourceKeyDerivation(
            kdf,
            salt(config.sources().idSalt(), ID_SALT_FILE),
            salt(config.sources().passphraseSalt(), PASSPHRASE_SALT_FILE),
            config.sources().allowTestKdf() ? KdfPolicy.TESTS_ONLY : KdfPolicy.PRODUCTION);
  }

  /** The source id (the store directory name) of {@code codename}: one KDF run. */
  public String sourceId(Codename codename) {
    return derivation.sourceId(codename);
  }

  /** The passphrase of the source's reply key; the caller wipes it. One KDF run. */
  public char[] replyKeyPassphrase(Codename codename) {
    return derivation.replyKeyPassphrase(codename);
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
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      return SecretBytes.wrap(salt);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read or create " + fileName, e);
    }
  }

  private boolean hasSources() throws IOException {
    Path storeDir = config.dataDir().resolve(DropboxProducers.STORE_DIR);
    if (!Files.isDirectory(storeDir)) {
      return false;
    }
    try (var entries = Files.list(storeDir)) {
      return entries.anyMatch(Files::isDirectory);
    }
  }
}
