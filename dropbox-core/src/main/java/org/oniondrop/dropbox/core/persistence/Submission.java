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

/** A message or document as stored: ciphertext metadata only. */
@Entity
@Table(name = "submissions")
public class Submission {

  /** What a submission is. */
  public enum Kind {
    message,
    document
  }

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(nullable = false, unique = true, length = 36)
  public String uuid;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "source_id")
  public Source source;

  /** The store file name, e.g. {@code 3-amiable_oyster-doc.gz.gpg}. */
  @Column(nullable = false, length = 255)
  public String filename;

  @Column(nullable = false, length = 8)
  @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
  public Kind kind;

  /** Bytes of ciphertext. */
  @Column(nullable = false)
  public long size;

  /** SHA-256 of the ciphertext, hex. */
  @Column(nullable = false, length = 64)
  public String sha256;

  /** Fingerprint of the key it was encrypted to (survives key rotation). */
  @Column(name = "encrypted_to", nullable = false, length = 64)
  public String encryptedTo;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(nullable = false)
  public boolean downloaded;
}
