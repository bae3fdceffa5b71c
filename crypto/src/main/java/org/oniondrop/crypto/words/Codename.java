package org.oniondrop.crypto.words;

import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.Destroyable;
import org.oniondrop.crypto.Passphrases;

/**
 * A source's codename: the only credential a source has, so a secret.
 *
 * <p>Security guarantees: {@link #toString()} prints {@code [redacted]}; the characters are only
 * reachable through {@link #chars()} (a copy); {@link #destroy()} wipes the held copy. A codename
 * built with {@link #parse} is normalized (lowercase, single spaces, trimmed), so what a source
 * types with stray capitals or spaces still derives the same values.
 */
public final class Codename implements Destroyable {

  /** Longest input accepted as a codename (SecureDrop's bound too): bounds the KDF input. */
  public static final int MAX_LENGTH = 128;

  private final char[] chars;
  private volatile boolean destroyed;

  private Codename(char[] chars) {
    this.chars = chars;
  }

  /** Joins generated words; package-private: only {@link CodenameGenerator} makes new ones. */
  static Codename ofWords(String[] words) {
    return new Codename(String.join(" ", words).toCharArray());
  }

  /**
   * Normalizes what a source typed: lowercase ASCII letters, hyphens and single spaces, trimmed.
   *
   * @throws IllegalArgumentException with a message safe to show (it never echoes the input) if the
   *     input is empty, longer than {@link #MAX_LENGTH} or has other characters
   */
  public static Codename parse(CharSequence typed) {
    Objects.requireNonNull(typed, "typed");
    if (typed.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("codename longer than " + MAX_LENGTH + " characters");
    }
    char[] out = new char[typed.length()];
    int n = 0;
    boolean pendingSpace = false;
    for (int i = 0; i < typed.length(); i++) {
      char c = typed.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pendingSpace = n > 0;
        continue;
      }
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      if (!((c >= 'a' && c <= 'z') || c == '-')) {
        Passphrases.wipe(out);
        throw new IllegalArgumentException("codename contains characters other than words");
      }
      if (pendingSpace) {
        out[n++] = ' ';
        pendingSpace = false;
      }
      out[n++] = c;
    }
    if (n == 0) {
      throw new IllegalArgumentException("codename is empty");
    }
    char[] exact = Arrays.copyOf(out, n);
    Passphrases.wipe(out);
    return new Codename(exact);
  }

  /** A copy of the normalized characters; wipe it with {@link Passphrases#wipe(char[])}. */
  public char[] chars() {
    if (destroyed) {
      throw new IllegalStateException("codename was destroyed");
    }
    return chars.clone();
  }

  /** Number of words. */
  public int wordCount() {
    int count = 1;
    for (char c : chars) {
      if (c == ' ') {
        count++;
      }
    }
    return count;
  }

  @Override
  public void destroy() {
    Passphrases.wipe(chars);
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "[redacted]";
  }
}
