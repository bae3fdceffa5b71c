package org.oniondrop.dropbox.core.codename;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.oniondrop.crypto.words.Codename;
import org.oniondrop.crypto.words.CodenameGenerator;
import org.oniondrop.crypto.words.WordList;

class KeyedCodenameDigestTest {

  private static final SecureRandom RANDOM = new SecureRandom();

  private static String text(Codename c) {
    return new String(c.chars());
  }

  /** About 100,000 characters of EFF words: the message limit, every window all list words. */
  private static StringBuilder longWordListMessage(long seed) {
    WordList list = WordList.effLarge();
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder();
    while (sb.length() < 99_800) {
      sb.append(list.get(r.nextInt(list.size()))).append(' ');
    }
    return sb;
  }

  @Test
  void aCodenameAtTheEndOfAMessageAtTheLimitIsFoundAndEveryWindowIsChecked() {
    // Given a source's codename and a 100,000-character message of list words ending with it
    Codename codename = CodenameGenerator.standard().generate();
    KeyedCodenameDigest digest = KeyedCodenameDigest.of(codename, RANDOM);
    StringBuilder message = longWordListMessage(1);
    int wordsBefore = message.toString().split(" ").length;
    message.append(text(codename));

    // When the whole message is checked
    boolean found = digest.foundIn(message);

    // Then the codename is found, after one HMAC per seven-word window of the whole message
    assertThat(found).isTrue();
    assertThat(message.length()).isGreaterThan(99_800);
    assertThat(digest.lastWindows).isEqualTo(wordsBefore + 7 - 6);
  }

  @Test
  void caseSpacingPunctuationAndLineBreaksDoNotHideIt() {
    Codename codename = Codename.parse("alpha bravo-x charlie delta echo foxtrot golf");
    KeyedCodenameDigest digest = KeyedCodenameDigest.of(codename, RANDOM);
    assertThat(digest.foundIn("my code: Alpha  BRAVO-X,\ncharlie delta\techo foxtrot golf!"))
        .isTrue();
    assertThat(digest.foundIn("alpha bravo-x charlie delta echo foxtrot golfing")).isFalse();
    assertThat(digest.foundIn("alpha bravo charlie delta echo foxtrot golf")).isFalse();
    assertThat(digest.foundIn("alpha bravo-x charlie delta echo foxtrot")).isFalse();
    assertThat(digest.foundIn("")).isFalse();
    assertThat(digest.lastWindows).isZero();
  }

  @Test
  void anotherSourcesCodenameIsNotFound() {
    KeyedCodenameDigest mine =
        KeyedCodenameDigest.of(CodenameGenerator.standard().generate(), RANDOM);
    Codename theirs = CodenameGenerator.standard().generate();
    StringBuilder message = longWordListMessage(2).append(text(theirs));
    assertThat(mine.foundIn(message)).isFalse();
  }

  @Test
  void theSameCodenameGetsADifferentKeyInEverySession() {
    // The digest is keyed per session: two sessions of one codename hold unrelated values, and
    // neither is the codename.
    Codename codename = CodenameGenerator.standard().generate();
    KeyedCodenameDigest a = KeyedCodenameDigest.of(codename, RANDOM);
    KeyedCodenameDigest b = KeyedCodenameDigest.of(codename, RANDOM);
    assertThat(a.foundIn(text(codename))).isTrue();
    assertThat(b.foundIn(text(codename))).isTrue();
    assertThat(a.toString()).isEqualTo("[redacted]");
  }

  @Test
  void aDestroyedDigestRefusesToAnswer() {
    KeyedCodenameDigest digest =
        KeyedCodenameDigest.of(CodenameGenerator.standard().generate(), RANDOM);
    digest.destroy();
    assertThat(digest.isDestroyed()).isTrue();
    assertThatThrownBy(() -> digest.foundIn("anything at all here now"))
        .isInstanceOf(IllegalStateException.class);
  }
}
