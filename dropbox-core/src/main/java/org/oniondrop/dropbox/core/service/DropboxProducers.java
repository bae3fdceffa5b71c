package org.oniondrop.dropbox.core.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import org.oniondrop.crypto.words.CodenameGenerator;
import org.oniondrop.crypto.words.Designations;
import org.oniondrop.dropbox.core.config.DropboxConfig;
import org.oniondrop.dropbox.core.store.EncryptedStore;

/**
 * The small shared parts every service draws on, each produced once: the one {@link SecureRandom}
 * (codenames, designations, salts and session digests all come from it), the codename and
 * designation generators, and the {@link EncryptedStore} under {@code <data-dir>/store}.
 *
 * <p>{@code @Singleton} rather than {@code @ApplicationScoped}: the store is a final class with no
 * client proxy, and none of these need lazy creation or a proxy's indirection.
 */
@ApplicationScoped
public class DropboxProducers {

  /** The store's directory under the data directory; {@link SourceIdentity} looks there too. */
  static final String STORE_DIR = "store";

  @Produces
  @Singleton
  SecureRandom secureRandom() {
    return new SecureRandom();
  }

  @Produces
  @Singleton
  CodenameGenerator codenames(SecureRandom random) {
    return new CodenameGenerator(CodenameGenerator.DEFAULT_WORDS, random);
  }

  @Produces
  @Singleton
  Designations designations(SecureRandom random) {
    return new Designations(random);
  }

  @Produces
  @Singleton
  EncryptedStore store(DropboxConfig config) {
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the data directory", e);
    }
    return new EncryptedStore(
        config.dataDir().resolve(STORE_DIR), config.store().overwriteOnDelete());
  }
}
