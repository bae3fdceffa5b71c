package org.oniondrop.onion.link;

/** A link handshake or a link's certificates failed; the message says which check and why. */
public final class LinkException extends Exception {

  public LinkException(String message) {
    super(message);
  }

  public LinkException(String message, Throwable cause) {
    super(message, cause);
  }
}
