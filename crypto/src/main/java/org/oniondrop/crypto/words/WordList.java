package org.oniondrop.crypto.words;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An immutable, validated list of distinct words to draw from uniformly.
 *
 * <p>Two formats are read: the EFF diceware format ({@code 11111<TAB>abacus}, the dice digits
 * checked too) and one word per line.
 */
public final class WordList {

  /** The EFF large list has exactly this many words (6^5 dice rolls). */
  public static final int EFF_LARGE_SIZE = 7776;

  /** Longest word accepted in any list: keeps codenames and designations short to type. */
  public static final int MAX_WORD_LENGTH = 12;

  /** Shortest word accepted in any list. */
  public static final int MIN_WORD_LENGTH = 3;

  /** A resource larger than this many lines is refused before it is held in memory. */
  public static final int MAX_LINES = 100_000;

  private static final Pattern DICE = Pattern.compile("[1-6]{5}");
  private static final Pattern EFF_WORD = Pattern.compile("[a-z]+(-[a-z]+)?");
  private static final Pattern PLAIN_WORD = Pattern.compile("[a-z]+");

  private static final String RESOURCE_DIR = "/org/oniondrop/crypto/words/";

  private final String name;
  private final List<String> words;

  private WordList(String name, List<String> words) {
    this.name = name;
    this.words = List.copyOf(words);
  }

  /** The bundled EFF large word list, validated (7,776 distinct words, dice numbering). */
  public static WordList effLarge() {
    return Holder.EFF_LARGE;
  }

  /** The bundled designation adjectives. */
  public static WordList adjectives() {
    return Holder.ADJECTIVES;
  }

  /** The bundled designation nouns. */
  public static WordList nouns() {
    return Holder.NOUNS;
  }

  /** Lazily loaded, validated once. */
  private static final class Holder {
    static final WordList EFF_LARGE = loadEff("eff_large_wordlist.txt");
    static final WordList ADJECTIVES = loadPlain("adjectives.txt", 1000);
    static final WordList NOUNS = loadPlain("nouns.txt", 1000);
  }

  static WordList loadEff(String resource) {
    List<String> lines = readResource(resource);
    List<String> words = new ArrayList<>(lines.size());
    int lineNo = 0;
    for (String line : lines) {
      lineNo++;
      int tab = line.indexOf('\t');
      if (tab < 0) {
        throw new WordListException(resource + " line " + lineNo + ": expected 'dice<TAB>word'");
      }
      String dice = line.substring(0, tab);
      if (!DICE.matcher(dice).matches()) {
        throw new WordListException(resource + " line " + lineNo + ": bad dice number");
      }
      words.add(line.substring(tab + 1));
    }
    return validated(resource, words, EFF_LARGE_SIZE, EFF_LARGE_SIZE, EFF_WORD);
  }

  static WordList loadPlain(String resource, int minimumSize) {
    return validated(resource, readResource(resource), minimumSize, MAX_LINES, PLAIN_WORD);
  }

  /** Validates {@code words} as a list named {@code name}; package-private for tests. */
  static WordList validated(
      String name, List<String> words, int minSize, int maxSize, Pattern allowed) {
    if (words.size() < minSize || words.size() > maxSize) {
      throw new WordListException(
          name
              + ": has "
              + words.size()
              + " words, expected "
              + (minSize == maxSize ? String.valueOf(minSize) : minSize + ".." + maxSize));
    }
    Set<String> seen = new HashSet<>();
    for (String word : words) {
      if (word.length() < MIN_WORD_LENGTH || word.length() > MAX_WORD_LENGTH) {
        throw new WordListException(
            name
                + ": word of length "
                + word.length()
                + " outside "
                + MIN_WORD_LENGTH
                + ".."
                + MAX_WORD_LENGTH);
      }
      if (!allowed.matcher(word).matches()) {
        throw new WordListException(name + ": word with characters outside " + allowed);
      }
      if (!seen.add(word)) {
        throw new WordListException(name + ": duplicate word '" + word + "'");
      }
    }
    return new WordList(name, words);
  }

  private static List<String> readResource(String resource) {
    InputStream in = WordList.class.getResourceAsStream(RESOURCE_DIR + resource);
    if (in == null) {
      throw new WordListException(resource + ": resource missing from the classpath");
    }
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isEmpty()) {
          continue;
        }
        if (lines.size() == MAX_LINES) {
          throw new WordListException(resource + ": more than " + MAX_LINES + " lines");
        }
        lines.add(line);
      }
    } catch (IOException e) {
      throw new WordListException(resource + ": could not be read", e);
    }
    return lines;
  }

  /** The list's name (its resource), for messages. */
  public String name() {
    return name;
  }

  /** Number of words. */
  public int size() {
    return words.size();
  }

  /** The word at {@code index}. */
  public String get(int index) {
    return words.get(index);
  }

  /** Whether {@code word} is in the list. */
  public boolean contains(String word) {
    return words.contains(word);
  }

  /** A word drawn uniformly with {@code random}. */
  public String draw(SecureRandom random) {
    return words.get(random.nextInt(words.size()));
  }

  /** Entropy of one uniformly drawn word, in bits. */
  public double bitsPerWord() {
    return Math.log(words.size()) / Math.log(2);
  }
}
