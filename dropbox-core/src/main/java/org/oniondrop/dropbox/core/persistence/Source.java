package org.oniondrop.dropbox.core.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A source: known only by ids derived from its codename. */
@Entity
@Table(name = "sources")
public class Source {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(nullable = false, unique = true, length = 36)
  public String uuid;

  /** The source id (SecureDrop's filesystem_id): the store directory name. */
  @Column(name = "filesystem_id", nullable = false, unique = true, length = 52)
  public String filesystemId;

  @Column(name = "journalist_designation", nullable = false, length = 64)
  public String designation;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "last_updated", nullable = false)
  public Instant lastUpdated;

  /** True until the first submission. */
  @Column(nullable = false)
  public boolean pending;

  @Column(name = "interaction_count", nullable = false)
  public int interactionCount;

  @Column(name = "is_starred", nullable = false)
  public boolean starred;

  @Column(name = "reply_public_key", nullable = false)
  public byte[] replyPublicKey;

  /** Protected by the passphrase derived from the codename. */
  @Column(name = "reply_secret_key", nullable = false)
  public byte[] replySecretKey;

  @Column(name = "reply_key_fingerprint", nullable = false, length = 64)
  public String replyKeyFingerprint;
}
