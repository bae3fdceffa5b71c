package org.oniondrop.dropbox.core.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A journalist or admin account (used by the journalist interface). */
@Entity
@Table(name = "journalists")
public class Journalist {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(nullable = false, unique = true, length = 36)
  public String uuid;

  @Column(nullable = false, unique = true, length = 64)
  public String username;

  @Column(name = "first_name", length = 100)
  public String firstName;

  @Column(name = "last_name", length = 100)
  public String lastName;

  /** Argon2id PHC string. */
  @Column(name = "passphrase_hash", nullable = false, length = 256)
  public String passphraseHash;

  @Column(name = "is_admin", nullable = false)
  public boolean admin;

  /** Base32 TOTP secret. */
  @Column(name = "totp_secret", length = 128)
  public String totpSecret;

  /** The last TOTP step accepted, to refuse reuse. */
  @Column(name = "totp_last_step")
  public Long totpLastStep;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "last_access")
  public Instant lastAccess;
}
