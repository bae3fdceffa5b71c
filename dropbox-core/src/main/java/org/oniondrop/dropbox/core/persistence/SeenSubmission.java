package org.oniondrop.dropbox.core.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;

/** A submission a journalist has seen (SecureDrop's seen_files/seen_messages). */
@Entity
@Table(name = "seen_submissions")
@IdClass(SeenSubmission.Key.class)
public class SeenSubmission {

  @Id
  @Column(name = "submission_id")
  public Long submissionId;

  @Id
  @Column(name = "journalist_id")
  public Long journalistId;

  public SeenSubmission() {}

  public SeenSubmission(Long submissionId, Long journalistId) {
    this.submissionId = submissionId;
    this.journalistId = journalistId;
  }

  /** Composite key. */
  public record Key(Long submissionId, Long journalistId) implements Serializable {}
}
