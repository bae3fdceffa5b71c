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

  @Inject EntityManager em;

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
      throw new IllegalArgumentException(
          "organization name must be 1.." + InstanceConfig.MAX_ORGANIZATION_NAME + " characters");
    }
    c.organizationName = s.organizationName();
    c.allowDocumentUploads = s.allowDocumentUploads();
    c.initialMessageMinLength = Math.max(0, s.initialMessageMinLength());
    c.rejectMessageWithCodename = s.rejectMessageWithCodename();
  }
}
