package org.oniondrop.crypto.kdf;

/** KDF parameters or salts are unacceptable; the message names the parameter, never a secret. */
public final class KdfException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KdfException(String message) {
    super(message);
  }
}
