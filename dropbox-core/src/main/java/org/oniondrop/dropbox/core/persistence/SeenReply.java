package org.oniondrop.dropbox.core.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;

/** A reply a journalist has seen. */
@Entity
@Table(name = "seen_replies")
@IdClass(SeenReply.Key.class)
public class SeenReply {

  @Id
  @Column(name = "reply_id")
  public Long replyId;

  @Id
  @Column(name = "journalist_id")
  public Long journalistId;

  public SeenReply() {}

  public SeenReply(Long replyId, Long journalistId) {
    this.replyId = replyId;
    this.journalistId = journalistId;
  }

  /** Composite key. */
  public record Key(Long replyId, Long journalistId) implements Serializable {}
}
