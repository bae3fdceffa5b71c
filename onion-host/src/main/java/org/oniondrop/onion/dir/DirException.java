package org.oniondrop.onion.dir;

/** A directory document was malformed, unsigned, expired or could not be fetched. */
public final class DirException extends Exception {

  public DirException(String message) {
    super(message);
  }

  public DirException(String message, Throwable cause) {
    super(message, cause);
  }
}
