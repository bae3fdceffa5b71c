package org.oniondrop.dropbox.source.session;

/** A session could not be created or logged in; {@link #reason()} says why. */
public final class SessionRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why a session was refused. */
  public enum Reason {
    /** This client created too many sessions recently (429). */
    CLIENT_RATE,
    /** The logged-in sessions are at their cap; nobody is evicted for a newcomer (503). */
    FULL
  }

  private final Reason reason;

  public SessionRefusedException(Reason reason) {
    super(reason.name(), null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
