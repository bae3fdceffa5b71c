/**
 * Codenames for sources and designations for journalists, drawn from bundled word lists.
 *
 * <p>A codename is a source's only credential: seven words from the EFF large diceware list (7,776
 * words, log2(7776) = 12.92 bits each, so about 90 bits), drawn with {@link
 * java.security.SecureRandom}. It is a secret ({@link org.oniondrop.crypto.words.Codename} prints
 * as {@code [redacted]}); the server keeps only values derived from it ({@code kdf}).
 *
 * <p>A designation ("adjective noun") is how journalists refer to a source. It carries no secret:
 * it is random, unrelated to the codename, and only ever shown on the journalist side. The lists
 * are the EFF words that WordNet 3.0 tags mostly as adjectives or mostly as nouns (see {@code
 * crypto/tools/make-designation-lists.sh} and NOTICE for sources and licences).
 *
 * <p>Every list is validated when loaded: size, uniqueness, ASCII lowercase letters (and a hyphen
 * in the EFF list), word length; a broken resource refuses to load rather than weakening codenames
 * silently.
 */
package org.oniondrop.crypto.words;
