package org.oniondrop.onion.bytes;

/** Input bytes do not form the expected message; the message says what and where. */
public class DecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  public DecodeException(String message) {
    super(message);
  }

  public DecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
