package org.oniondrop.crypto.words;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class WordsTest {

  @Test
  void effListLoadsValidated() {
    WordList eff = WordList.effLarge();
    assertThat(eff.size()).isEqualTo(7776);
    assertThat(eff.get(0)).isEqualTo("abacus");
    assertThat(eff.contains("zoom")).isTrue();
    assertThat(eff.bitsPerWord()).isBetween(12.92, 12.93);
  }

  @Test
  void codenamesHaveSevenListWordsAndAbout90Bits() {
    CodenameGenerator generator = CodenameGenerator.standard();
    assertThat(generator.entropyBits()).isGreaterThan(90);
    Codename codename = generator.generate();
    String text = new String(codename.chars());
    assertThat(text.split(" ")).hasSize(7).allMatch(WordList.effLarge()::contains);
    assertThat(codename.wordCount()).isEqualTo(7);
    assertThat(codename.toString()).isEqualTo("[redacted]");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      assertThat(seen.add(new String(generator.generate().chars()))).isTrue();
    }
  }

  @Test
  void codenameParsingNormalizesAndBounds() {
    assertThat(new String(Codename.parse("\tAbacus  ZOOM\n yo-yo ").chars()))
        .isEqualTo("abacus zoom yo-yo");
    assertThatThrownBy(() -> Codename.parse("   "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("codename is empty");
    assertThatThrownBy(() -> Codename.parse("abacus; drop table"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("codename contains characters other than words");
    assertThatThrownBy(() -> Codename.parse("a".repeat(129)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than 128");
  }

  @Test
  void destroyedCodenameIsUnreadable() {
    Codename codename = Codename.parse("abacus zoom");
    codename.destroy();
    assertThatThrownBy(codename::chars).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void generatorRefusesWeakWordCounts() {
    assertThatThrownBy(() -> new CodenameGenerator(5, new SecureRandom()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void designationsAreAdjectiveNoun() {
    Designations designations = new Designations(new SecureRandom());
    assertThat(designations.combinations()).isGreaterThan(1_000_000);
    String designation = designations.generate();
    String[] parts = designation.split(" ");
    assertThat(parts).hasSize(2);
    assertThat(WordList.adjectives().contains(parts[0])).isTrue();
    assertThat(WordList.nouns().contains(parts[1])).isTrue();
  }

  @Test
  void validationRefusesBrokenLists() {
    Pattern letters = Pattern.compile("[a-z]+");
    assertThatThrownBy(
            () -> WordList.validated("t", List.of("apple", "apple", "pear"), 1, 10, letters))
        .isInstanceOf(WordListException.class)
        .hasMessage("t: duplicate word 'apple'");
    assertThatThrownBy(() -> WordList.validated("t", List.of("apple"), 2, 10, letters))
        .isInstanceOf(WordListException.class)
        .hasMessage("t: has 1 words, expected 2..10");
    assertThatThrownBy(() -> WordList.validated("t", List.of("Ápple"), 1, 10, letters))
        .isInstanceOf(WordListException.class)
        .hasMessageContaining("characters outside");
    assertThatThrownBy(() -> WordList.validated("t", List.of("ab"), 1, 10, letters))
        .isInstanceOf(WordListException.class)
        .hasMessageContaining("length 2");
  }
}
