package org.oniondrop.dropbox.core.store;

/** A store operation failed; the message names the operation, never a file name or id. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
