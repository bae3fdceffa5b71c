package org.oniondrop.dropbox.core.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;

/** A journalist's reply, stored encrypted to [source key, submission key]. */
@Entity
@Table(name = "replies")
public class Reply {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(nullable = false, unique = true, length = 36)
  public String uuid;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "source_id")
  public Source source;

  @ManyToOne(fetch = FetchType.LAZY)
  @JoinColumn(name = "journalist_id")
  public Journalist journalist;

  @Column(nullable = false, length = 255)
  public String filename;

  @Column(nullable = false)
  public long size;

  @Column(nullable = false, length = 64)
  public String sha256;

  @Column(name = "encrypted_to", nullable = false, length = 64)
  public String encryptedTo;

  @Column(name = "deleted_by_source", nullable = false)
  public boolean deletedBySource;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;
}
