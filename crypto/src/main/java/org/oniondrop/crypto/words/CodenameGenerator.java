package org.oniondrop.crypto.words;

import java.security.SecureRandom;

/** Draws diceware codenames: {@value #DEFAULT_WORDS} EFF words by default (about 90 bits). */
public final class CodenameGenerator {

  /** SecureDrop's default too: 7 x 12.92 = 90.5 bits. */
  public static final int DEFAULT_WORDS = 7;

  /** Below this a codename is guessable offline from a seized database (< 77 bits). */
  public static final int MIN_WORDS = 6;

  /** Above this it stops being typeable and may pass {@link Codename#MAX_LENGTH}. */
  public static final int MAX_WORDS = 10;

  private final WordList words;
  private final int count;
  private final SecureRandom random;

  /** A generator of {@code count} words from the EFF large list. */
  public CodenameGenerator(int count, SecureRandom random) {
    this(WordList.effLarge(), count, random);
  }

  CodenameGenerator(WordList words, int count, SecureRandom random) {
    if (count < MIN_WORDS || count > MAX_WORDS) {
      throw new IllegalArgumentException(
          "codename words must be " + MIN_WORDS + ".." + MAX_WORDS + ", got " + count);
    }
    this.words = words;
    this.count = count;
    this.random = random;
  }

  /** The default generator: {@value #DEFAULT_WORDS} words, a new {@link SecureRandom}. */
  public static CodenameGenerator standard() {
    return new CodenameGenerator(DEFAULT_WORDS, new SecureRandom());
  }

  /** A fresh codename. */
  public Codename generate() {
    String[] drawn = new String[count];
    for (int i = 0; i < count; i++) {
      drawn[i] = words.draw(random);
    }
    return Codename.ofWords(drawn);
  }

  /** Entropy of a generated codename in bits. */
  public double entropyBits() {
    return count * words.bitsPerWord();
  }
}
