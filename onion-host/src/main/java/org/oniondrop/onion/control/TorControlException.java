package org.oniondrop.onion.control;

import java.io.IOException;

/** tor refused a command, answered something unparseable, or the connection failed. */
public final class TorControlException extends IOException {
  private static final long serialVersionUID = 1L;

  public TorControlException(String message) {
    super(message);
  }

  public TorControlException(String message, Throwable cause) {
    super(message, cause);
  }
}
