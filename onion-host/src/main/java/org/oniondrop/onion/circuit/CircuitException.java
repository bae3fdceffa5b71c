package org.oniondrop.onion.circuit;

/** A circuit could not be built or was destroyed; the message says at which step. */
public final class CircuitException extends Exception {
  private static final long serialVersionUID = 1L;

  public CircuitException(String message) {
    super(message);
  }

  public CircuitException(String message, Throwable cause) {
    super(message, cause);
  }
}
