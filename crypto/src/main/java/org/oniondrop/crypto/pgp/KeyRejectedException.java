package org.oniondrop.crypto.pgp;

/** A public key was refused as a recipient; {@link #reason()} names why, for the admin. */
public final class KeyRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a key was refused. */
  public enum Reason {
    /** Not OpenPGP, or damaged. */
    MALFORMED,
    /** More than one key in the input: which one is meant is ambiguous. */
    MULTIPLE_KEYS,
    /** A secret key was given where a public key is expected: the server must not hold it. */
    SECRET_KEY_GIVEN,
    /** The key (or every encryption subkey) is revoked. */
    REVOKED,
    /** The key (or every encryption subkey) has expired. */
    EXPIRED,
    /** An RSA key under {@value EncryptionCertificate#MIN_RSA_BITS} bits. */
    WEAK_RSA,
    /** The self-signature or the subkey binding relies on SHA-1, which is broken for this. */
    SHA1_BINDING,
    /** No valid subkey (or primary key) is marked for encryption. */
    NO_ENCRYPTION_KEY
  }

  private final Reason reason;

  public KeyRejectedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public KeyRejectedException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
