package org.oniondrop.onion.keys;

/** A string is not a valid v3 onion address; the message says which check failed. */
public final class OnionAddressException extends Exception {
  private static final long serialVersionUID = 1L;

  public OnionAddressException(String message) {
    super(message);
  }
}
