package org.oniondrop.crypto.words;

import java.security.SecureRandom;

/**
 * Journalist-facing names for sources, "adjective noun" (as SecureDrop shows them).
 *
 * <p>Not secret and not unique by construction (about 6.7 million combinations): callers that need
 * uniqueness draw again on collision.
 */
public final class Designations {

  private final WordList adjectives;
  private final WordList nouns;
  private final SecureRandom random;

  public Designations(SecureRandom random) {
    this(WordList.adjectives(), WordList.nouns(), random);
  }

  Designations(WordList adjectives, WordList nouns, SecureRandom random) {
    this.adjectives = adjectives;
    this.nouns = nouns;
    this.random = random;
  }

  /** A random designation such as "amiable oyster". */
  public String generate() {
    return adjectives.draw(random) + " " + nouns.draw(random);
  }

  /** How many distinct designations exist. */
  public long combinations() {
    return (long) adjectives.size() * nouns.size();
  }
}
