package org.oniondrop.crypto.words;

/** A bundled word list failed validation; the message says which list and why. */
public final class WordListException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WordListException(String message) {
    super(message);
  }

  public WordListException(String message, Throwable cause) {
    super(message, cause);
  }
}
