package org.oniondrop.dropbox.core.upload;

/**
 * Why a submission form was refused. The web layer maps each {@link Reason} to a status and a
 * localized page; the exception never carries source data (no names, no content).
 */
public final class UploadRejectedException extends Exception {

  private static final long serialVersionUID = 1L;

  /** What went wrong, in terms a page can explain. */
  public enum Reason {
    /** The body is not the multipart/form-data it claims to be, or ended early. */
    MALFORMED,
    /** More parts than a form of ours can have. */
    TOO_MANY_PARTS,
    /** A part's header block is larger than any browser sends. */
    HEADERS_TOO_LARGE,
    /** The whole body passed the form byte bound. */
    FORM_TOO_LARGE,
    /** One file passed the per-file limit. */
    FILE_TOO_LARGE,
    /** The files and the message together passed the per-submission limit. */
    SUBMISSION_TOO_LARGE,
    /** More files than the per-submission count limit. */
    TOO_MANY_FILES,
    /** The client sent slower than the minimum data rate (slow-loris). */
    TOO_SLOW,
    /** Missing or wrong CSRF token, or not the first field. */
    CSRF,
    /** Documents are switched off on this instance. */
    NO_DOCUMENTS,
    /** Neither a message nor a file. */
    EMPTY,
    /** The message has more characters than allowed. */
    MESSAGE_TOO_LONG,
    /** A first submission's message is shorter than the instance's minimum. */
    MESSAGE_TOO_SHORT,
    /** The message contains the source's own codename. */
    MESSAGE_HAS_CODENAME,
    /** The submission rate limit was hit. */
    RATE_LIMITED,
    /** Too many uploads are running right now; try again shortly. */
    BUSY,
    /** The KDF gate is full (the codename check could not run now); try again shortly. */
    KDF_BUSY,
    /** Encrypting or storing failed; nothing was stored. */
    STORE_FAILED,
    /** The store's file system is full (507); nothing was stored, the next upload may work. */
    STORE_FULL
  }

  private final Reason reason;
  private final int retryAfterSeconds;

  public UploadRejectedException(Reason reason) {
    super(reason.name(), null, false, false);
    this.reason = reason;
    this.retryAfterSeconds = 0;
  }

  /** A busy refusal with the Retry-After the admission gate chose. */
  public UploadRejectedException(Reason reason, int retryAfterSeconds) {
    super(reason.name(), null, false, false);
    this.reason = reason;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public UploadRejectedException(Reason reason, Throwable cause) {
    super(reason.name(), cause, false, false);
    this.reason = reason;
    this.retryAfterSeconds = 0;
  }

  /** Seconds to advise in Retry-After, or 0 for none. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public Reason reason() {
    return reason;
  }
}
