package org.oniondrop.crypto.passphrase;

/** A stored passphrase hash is not a PHC Argon2id string this module accepts. */
public final class PassphraseHashFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PassphraseHashFormatException(String message) {
    super(message);
  }
}
