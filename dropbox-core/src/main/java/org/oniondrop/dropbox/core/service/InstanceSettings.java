package org.oniondrop.dropbox.core.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.oniondrop.dropbox.core.persistence.InstanceConfig;

/** The instance settings row (admins change it; both interfaces read it). */
@ApplicationScoped
public class InstanceSettings {

  /** A detached snapshot of the settings. */
  public record Settings(
      String organizationName,
      boolean allowDocumentUploads,
      int initialMessageMinLength,
      boolean rejectMessageWithCodename) {}

  /** Largest logo accepted. */
  public static final int MAX_LOGO_BYTES = PngLogo.MAX_BYTES;

  /** Largest logo dimensions accepted. */
  public static final int MAX_LOGO_PIXELS = PngLogo.MAX_PIXELS;

  @Inject EntityManager em;
  @Inject org.oniondrop.dropbox.core.config.DropboxConfig config;

  /**
   * Stores the organization's logo after checking it is a real PNG (signature, decodable, size and
   * dimension limits) into {@code <data-dir>/instance/logo.png}.
   *
   * @throws JournalistError {@code LOGO_REFUSED} or {@code LOGO_NOT_STORED}
   */
  public void storeLogo(byte[] png) {
    try {
      PngLogo.check(png);
    } catch (IllegalArgumentException notAPng) {
      throw new JournalistError(JournalistError.Reason.LOGO_REFUSED);
    }
    try {
      java.nio.file.Path dir = config.dataDir().resolve("instance");
      java.nio.file.Files.createDirectories(dir);
      java.nio.file.Path tmp = dir.resolve("logo.png.tmp");
      java.nio.file.Files.write(tmp, png);
      java.nio.file.Files.move(
          tmp,
          dir.resolve("logo.png"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (java.io.IOException e) {
      throw new JournalistError(JournalistError.Reason.LOGO_NOT_STORED);
    }
  }

  @Transactional
  public Settings current() {
    InstanceConfig c = em.find(InstanceConfig.class, 1L);
    return new Settings(
        c.organizationName,
        c.allowDocumentUploads,
        c.initialMessageMinLength,
        c.rejectMessageWithCodename);
  }

  @Transactional
  public void update(Settings s) {
    InstanceConfig c = em.find(InstanceConfig.class, 1L);
    if (s.organizationName().isBlank()
        || s.organizationName().length() > InstanceConfig.MAX_ORGANIZATION_NAME) {
      throw new JournalistError(JournalistError.Reason.ORGANIZATION_NAME_INVALID);
    }
    c.organizationName = s.organizationName();
    c.allowDocumentUploads = s.allowDocumentUploads();
    c.initialMessageMinLength = Math.max(0, s.initialMessageMinLength());
    c.rejectMessageWithCodename = s.rejectMessageWithCodename();
  }
}
