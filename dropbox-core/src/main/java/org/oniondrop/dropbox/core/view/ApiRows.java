package org.oniondrop.dropbox.core.view;

import java.time.Instant;
import org.oniondrop.dropbox.core.persistence.Submission;

/**
 * The Journalist API's read model: flat rows that {@code ApiRepository}'s projection queries fill
 * directly (no entity is loaded, so none is touched after its transaction), read by both API
 * versions and the v2 index.
 */
public final class ApiRows {

  private ApiRows() {}

  /** A source as the API shows it. */
  public record SourceRow(
      long id,
      String uuid,
      String filesystemId,
      String designation,
      Instant lastUpdated,
      int interactionCount,
      boolean starred,
      byte[] publicKey,
      String fingerprint) {}

  /** A submission with its source's uuid; {@code document} is false for a message. */
  public record SubmissionRow(
      long id,
      String uuid,
      String sourceUuid,
      long sourceId,
      String filename,
      boolean document,
      long size,
      String sha256,
      boolean downloaded) {

    /**
     * The projection's constructor ({@code ApiRepository}'s {@code select new}; Hibernate reaches
     * it by reflection): the entity's kind becomes {@code document}. Package-private, so no public
     * signature of this package names a persistence type ({@code CoreApiBoundaryTest}).
     */
    SubmissionRow(
        long id,
        String uuid,
        String sourceUuid,
        long sourceId,
        String filename,
        Submission.Kind kind,
        long size,
        String sha256,
        boolean downloaded) {
      this(
          id,
          uuid,
          sourceUuid,
          sourceId,
          filename,
          kind == Submission.Kind.document,
          size,
          sha256,
          downloaded);
    }

    /** SecureDrop's interaction count of an item: the number its file name starts with. */
    public int interactionCount() {
      return ApiRows.interactionCount(filename);
    }
  }

  /** A reply with its source's and author's identity (author null once deleted). */
  public record ReplyRow(
      long id,
      String uuid,
      String sourceUuid,
      long sourceId,
      String filename,
      long size,
      String sha256,
      boolean deletedBySource,
      Long journalistId) {

    public int interactionCount() {
      return ApiRows.interactionCount(filename);
    }
  }

  /** A journalist as the API shows one. */
  public record JournalistRow(
      long id,
      String uuid,
      String username,
      String firstName,
      String lastName,
      boolean admin,
      Instant lastAccess) {}

  static int interactionCount(String filename) {
    int dash = filename.indexOf('-');
    try {
      return dash > 0 ? Integer.parseInt(filename.substring(0, dash)) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
