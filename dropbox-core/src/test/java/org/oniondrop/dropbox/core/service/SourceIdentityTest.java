package org.oniondrop.dropbox.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oniondrop.crypto.kdf.KdfException;
import org.oniondrop.dropbox.core.config.DropboxConfig;

/**
 * Production refuses cheap KDF parameters and bad salts; salts are generated once and kept, and a
 * missing salt with sources in the store refuses to start.
 */
class SourceIdentityTest {

  @TempDir Path data;

  private static SourceIdentity identity(DropboxConfig config) {
    return new SourceIdentity(config, new SecureRandom());
  }

  private DropboxConfig config(String kdf, boolean allowTest, String idSalt, String passSalt) {
    return config(data, kdf, allowTest, idSalt, passSalt, null);
  }

  /** A configuration over {@code data}, for the unit tests of this package's beans. */
  static DropboxConfig config(
      Path data, String kdf, boolean allowTest, String idSalt, String passSalt, Path key) {
    return new DropboxConfig() {
      @Override
      public Path dataDir() {
        return data;
      }

      @Override
      public Optional<Path> submissionKey() {
        return Optional.ofNullable(key);
      }

      @Override
      public Sources sources() {
        return new Sources() {
          @Override
          public String kdf() {
            return kdf;
          }

          @Override
          public boolean allowTestKdf() {
            return allowTest;
          }

          @Override
          public Optional<String> idSalt() {
            return Optional.ofNullable(idSalt);
          }

          @Override
          public Optional<String> passphraseSalt() {
            return Optional.ofNullable(passSalt);
          }
        };
      }

      @Override
      public Limits limits() {
        return null;
      }

      @Override
      public Store store() {
        return () -> true;
      }

      @Override
      public Journalists journalists() {
        return null;
      }
    };
  }

  @Test
  void theChecksRunWhileTheServerStarts() {
    // A lazy bean would first be built by the KDF calibration thread, which swallows errors.
    assertThat(SourceIdentity.class).hasAnnotation(io.quarkus.runtime.Startup.class);
  }

  @Test
  void productionRefusesTheTestKdf() {
    assertThatThrownBy(() -> identity(config("scrypt:N=16,r=1,p=1", false, null, null)))
        .isInstanceOf(KdfException.class)
        .hasMessageContaining("below the production floor");
    identity(config("scrypt:N=16384,r=8,p=1", false, null, null));
  }

  @Test
  void equalSaltsAreRefused() {
    String salt = Base64.getEncoder().encodeToString(new byte[32]);
    assertThatThrownBy(() -> identity(config("scrypt:N=16,r=1,p=1", true, salt, salt)))
        .isInstanceOf(KdfException.class)
        .hasMessageContaining("must be different");
  }

  @Test
  void generatedSaltsAreKeptAndMissingOnesWithSourcesRefuseToStart() throws Exception {
    identity(config("scrypt:N=16,r=1,p=1", true, null, null));
    Path idSalt = data.resolve("secrets").resolve(SourceIdentity.ID_SALT_FILE);
    byte[] first = Files.readAllBytes(idSalt);
    identity(config("scrypt:N=16,r=1,p=1", true, null, null));
    assertThat(Files.readAllBytes(idSalt)).isEqualTo(first);
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(idSalt)))
        .isEqualTo("rw-------");
    Path passSalt = data.resolve("secrets").resolve(SourceIdentity.PASSPHRASE_SALT_FILE);
    assertThat(Files.readAllBytes(passSalt)).hasSize(SourceIdentity.SALT_BYTES).isNotEqualTo(first);
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data.resolve("secrets"))))
        .isEqualTo("rwx------");

    Files.createDirectories(data.resolve("store").resolve("A".repeat(52)));
    Files.delete(idSalt);
    assertThatThrownBy(() -> identity(config("scrypt:N=16,r=1,p=1", true, null, null)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refusing to start");
  }
}
