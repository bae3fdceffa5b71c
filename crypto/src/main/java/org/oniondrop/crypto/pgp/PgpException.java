package org.oniondrop.crypto.pgp;

/**
 * An OpenPGP operation failed (bad ciphertext, wrong passphrase, integrity failure). The message
 * says which operation; it never contains key material or plaintext.
 */
public final class PgpException extends Exception {
  private static final long serialVersionUID = 1L;

  public PgpException(String message) {
    super(message);
  }

  public PgpException(String message, Throwable cause) {
    super(message, cause);
  }
}
