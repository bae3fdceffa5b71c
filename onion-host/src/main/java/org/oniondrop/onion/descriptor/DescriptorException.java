package org.oniondrop.onion.descriptor;

/** A descriptor was refused; {@link #reason()} tells a client which SOCKS error to give. */
public final class DescriptorException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why. */
  public enum Reason {
    /** Not a well-formed descriptor (syntax, sizes, counts, certificates). */
    MALFORMED,
    /** A signature or MAC does not verify, or a certificate is not for this key. */
    BAD_SIGNATURE,
    /** The signing certificate has expired. */
    EXPIRED,
    /** The inner layer needs a client-authorization key and none was given (SOCKS 0xF4). */
    CLIENT_AUTH_MISSING,
    /** A client-authorization key was given but does not open the descriptor (SOCKS 0xF5). */
    CLIENT_AUTH_WRONG
  }

  private final Reason reason;

  public DescriptorException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public DescriptorException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
