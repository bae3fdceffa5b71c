package org.oniondrop.onion.keys;

/** A key file or key directory is missing, malformed or inconsistent; the message says which. */
public final class KeyFileException extends Exception {
  private static final long serialVersionUID = 1L;

  public KeyFileException(String message) {
    super(message);
  }

  public KeyFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
