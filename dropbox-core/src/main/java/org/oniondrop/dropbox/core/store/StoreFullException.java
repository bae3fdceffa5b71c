package org.oniondrop.dropbox.core.store;

import java.io.IOException;

/**
 * The store's file system is full (ENOSPC or a quota): the write was refused and its temporary file
 * removed. The web layer answers 507 Insufficient Storage with a readable page; nothing of the
 * submission stays on disk. The message never names a file or a source.
 */
public final class StoreFullException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What the JDK puts in an IOException for ENOSPC and EDQUOT (strerror text on Linux). */
  private static final String[] NO_SPACE = {"No space left on device", "Disk quota exceeded"};

  public StoreFullException(Throwable cause) {
    super("the store's file system is full", cause);
  }

  /** Whether {@code e} says the file system is out of space or over quota. */
  static boolean isNoSpace(IOException e) {
    String m = e.getMessage();
    if (m == null) {
      return false;
    }
    for (String s : NO_SPACE) {
      if (m.contains(s)) {
        return true;
      }
    }
    return false;
  }

  /** {@code e} as a StoreFullException when it reports a full file system, else {@code e}. */
  static IOException classify(IOException e) {
    return e instanceof StoreFullException || !isNoSpace(e) ? e : new StoreFullException(e);
  }

  /** Whether {@code t} or one of its causes is a full store (bounded walk of the cause chain). */
  public static boolean in(Throwable t) {
    for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
      if (t instanceof StoreFullException) {
        return true;
      }
      if (t instanceof IOException io && isNoSpace(io)) {
        return true;
      }
    }
    return false;
  }
}
