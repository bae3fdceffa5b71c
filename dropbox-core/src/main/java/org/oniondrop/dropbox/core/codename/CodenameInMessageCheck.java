package org.oniondrop.dropbox.core.codename;

/**
 * The question a submission policy asks about a message: does it hold the sender's codename? An
 * implementation never holds the codename itself and never runs a KDF to answer.
 */
public interface CodenameInMessageCheck {

  /** Whether some run of words in {@code message}, normalised as codenames are, is the codename. */
  boolean foundIn(CharSequence message);

  /** A check for a session with no codename digest (nothing can match). */
  CodenameInMessageCheck NONE = message -> false;
}
