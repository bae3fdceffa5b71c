package org.oniondrop.crypto.passphrase;

/** A passphrase is not acceptable; {@link #reason()} says why. The passphrase is never shown. */
public final class PassphraseRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a passphrase was refused. */
  public enum Reason {
    TOO_SHORT,
    TOO_LONG
  }

  private final Reason reason;

  public PassphraseRejectedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
