package org.oniondrop.onion.cert;

/** A certificate is malformed, badly signed or expired; the message says which. */
public final class CertException extends Exception {
  private static final long serialVersionUID = 1L;

  public CertException(String message) {
    super(message);
  }

  public CertException(String message, Throwable cause) {
    super(message, cause);
  }
}
