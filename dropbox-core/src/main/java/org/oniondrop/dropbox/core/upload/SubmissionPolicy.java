package org.oniondrop.dropbox.core.upload;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.oniondrop.dropbox.core.config.DropboxConfig;
import org.oniondrop.dropbox.core.service.InstanceSettings;
import org.oniondrop.dropbox.core.upload.UploadRejectedException.Reason;

/**
 * The rules a submission form must meet: the byte and count limits (from configuration), the
 * first-message minimum and the codename-in-message rule (from the admin's instance settings). The
 * limits are enforced while the form streams ({@link SubmissionForm}); the message rules once the
 * form is complete, before anything is committed.
 */
@ApplicationScoped
public class SubmissionPolicy {

  /** A CSRF token is 43 base64url characters; anything much longer is not one. */
  public static final int MAX_CSRF_BYTES = 256;

  /** Text fields the form does not know are dropped, but never longer than this (still counted). */
  public static final int MAX_OTHER_FIELD_BYTES = 1024;

  /**
   * A part's header block: browsers send about 150 bytes plus the file name (at most 255 UTF-8
   * bytes by most file systems, percent-escaped by some browsers: three times that).
   */
  public static final int MAX_PART_HEADER_BYTES = 4096;

  /** Parts besides the files: the CSRF token, the message, and a few fields we ignore. */
  public static final int EXTRA_PARTS = 4;

  /** Per part: the delimiter line ("\r\n--" + a boundary of at most 70 bytes + CRLF). */
  static final int DELIMITER_BYTES = 2 + 2 + 70 + 2;

  /** Whether a message holds the source's codename; the session supplies it. */
  @FunctionalInterface
  public interface CodenameCheck {
    boolean containsCodename(String message);
  }

  /** The limits of one form, fixed when it starts. */
  public record Limits(
      long maxFileBytes,
      long maxSubmissionBytes,
      int maxFiles,
      int maxMessageChars,
      boolean allowDocuments) {

    /** UTF-8 bytes a message of {@link #maxMessageChars()} characters can take. */
    public long maxMessageBytes() {
      return 4L * maxMessageChars;
    }

    /** Parts a form may have. */
    public int maxParts() {
      return maxFiles + EXTRA_PARTS;
    }

    /**
     * Every byte of the body: the submission, the largest message, the CSRF token, and each part's
     * headers and delimiter. The message counts towards {@link #maxSubmissionBytes()} too.
     */
    public long maxFormBytes() {
      return maxSubmissionBytes
          + maxMessageBytes()
          + MAX_CSRF_BYTES
          + (long) EXTRA_PARTS * MAX_OTHER_FIELD_BYTES
          + (long) (maxParts() + 1) * (MAX_PART_HEADER_BYTES + DELIMITER_BYTES);
    }

    public MultipartParser.Limits parser() {
      return new MultipartParser.Limits(maxParts(), MAX_PART_HEADER_BYTES, maxFormBytes());
    }
  }

  @Inject DropboxConfig config;

  /** The limits for a form under {@code settings}. */
  public Limits limits(InstanceSettings.Settings settings) {
    DropboxConfig.Limits l = config.limits();
    return new Limits(
        l.maxUploadBytes(),
        l.maxSubmissionBytes(),
        l.maxFilesPerSubmission(),
        l.maxMessageChars(),
        settings.allowDocumentUploads());
  }

  /**
   * Checks a complete form: something to store, the message length, the first-message minimum
   * (files excuse it, as in SecureDrop), and the codename rule.
   */
  public Optional<Reason> check(
      InstanceSettings.Settings settings,
      Limits limits,
      String message,
      int files,
      boolean firstSubmission,
      CodenameCheck codename) {
    boolean hasMessage = message != null && !message.isBlank();
    if (!hasMessage && files == 0) {
      return Optional.of(Reason.EMPTY);
    }
    if (hasMessage && message.codePointCount(0, message.length()) > limits.maxMessageChars()) {
      return Optional.of(Reason.MESSAGE_TOO_LONG);
    }
    int min = settings.initialMessageMinLength();
    if (firstSubmission
        && min > 0
        && files == 0
        && (!hasMessage || message.strip().length() < min)) {
      return Optional.of(Reason.MESSAGE_TOO_SHORT);
    }
    if (hasMessage && settings.rejectMessageWithCodename() && codename.containsCodename(message)) {
      return Optional.of(Reason.MESSAGE_HAS_CODENAME);
    }
    return Optional.empty();
  }
}
