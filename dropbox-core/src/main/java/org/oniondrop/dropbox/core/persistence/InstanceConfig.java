package org.oniondrop.dropbox.core.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Instance settings admins change (one row, id 1). */
@Entity
@Table(name = "instance_config")
public class InstanceConfig {

  /** Organization names are short (SecureDrop's limit). */
  public static final int MAX_ORGANIZATION_NAME = 64;

  @Id public Long id;

  @Column(name = "organization_name", nullable = false, length = MAX_ORGANIZATION_NAME)
  public String organizationName;

  @Column(name = "allow_document_uploads", nullable = false)
  public boolean allowDocumentUploads;

  @Column(name = "initial_message_min_len", nullable = false)
  public int initialMessageMinLength;

  @Column(name = "reject_message_with_codename", nullable = false)
  public boolean rejectMessageWithCodename;
}
