package org.oniondrop.onion.client;

/** A connection to an onion service failed; {@link #error()} carries the SOCKS reply code. */
public final class OnionConnectException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ConnectError error;

  public OnionConnectException(ConnectError error, String message) {
    super(message);
    this.error = error;
  }

  public ConnectError error() {
    return error;
  }
}
