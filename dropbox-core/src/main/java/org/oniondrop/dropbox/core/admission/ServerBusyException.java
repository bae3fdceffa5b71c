package org.oniondrop.dropbox.core.admission;

/**
 * The server refused to queue more work right now; the client should come back after {@link
 * #retryAfterSeconds()}. The web layers answer 503 with a Retry-After header and a "busy" page.
 */
public final class ServerBusyException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int retryAfterSeconds;

  public ServerBusyException(int retryAfterSeconds) {
    super("busy: retry after " + retryAfterSeconds + " s", null, false, false);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Whole seconds the client should wait before trying again (at least 1). */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
