package org.oniondrop.dropbox.core.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LanguageChoiceTest {

  private static final List<Language> ALL = List.of(Language.values());

  @Test
  void aLinkWinsThenTheSessionThenEnglish() {
    LanguageChoice choice = new LanguageChoice(ALL, false);
    assertThat(choice.choose("fa", Language.ES, "fr")).isEqualTo(Language.FA);
    assertThat(choice.choose(null, Language.ES, "fr")).isEqualTo(Language.ES);
    assertThat(choice.choose(null, null, "fr")).isEqualTo(Language.EN);
  }

  @Test
  void acceptLanguageIsIgnoredUnlessTheAdminAllowsIt() {
    // Tor Browser sends en-US,en whatever its user reads: by default the header decides nothing.
    assertThat(new LanguageChoice(ALL, false).choose(null, null, "fa-IR,fa;q=0.9"))
        .isEqualTo(Language.EN);
    LanguageChoice trusting = new LanguageChoice(ALL, true);
    assertThat(trusting.choose(null, null, "fa-IR,fa;q=0.9,en;q=0.5")).isEqualTo(Language.FA);
    assertThat(trusting.choose(null, null, "de-DE,zh-CN;q=0.8")).isEqualTo(Language.ZH);
    assertThat(trusting.choose(null, null, "de;q=1, ru;q=0")).isEqualTo(Language.EN);
    assertThat(trusting.choose(null, Language.TR, "fa")).isEqualTo(Language.TR);
    assertThat(trusting.choose(null, null, "not a ;;; header")).isEqualTo(Language.EN);
    assertThat(trusting.choose(null, null, "fa," + "x".repeat(600))).isEqualTo(Language.EN);
  }

  @Test
  void unknownOrUnofferedCodesAreIgnored() {
    LanguageChoice englishAndSpanish = new LanguageChoice(List.of(Language.EN, Language.ES), true);
    assertThat(englishAndSpanish.asked("fa")).isEmpty();
    assertThat(englishAndSpanish.asked("FA")).isEmpty();
    assertThat(englishAndSpanish.asked("es")).contains(Language.ES);
    assertThat(englishAndSpanish.asked("../etc")).isEmpty();
    assertThat(englishAndSpanish.asked("x".repeat(100))).isEmpty();
    assertThat(englishAndSpanish.choose(null, Language.FA, "fa")).isEqualTo(Language.EN);
  }

  @Test
  void arabicAndPersianRunRightToLeft() {
    for (Language l : Language.values()) {
      assertThat(l.dir())
          .as(l.code())
          .isEqualTo(l == Language.AR || l == Language.FA ? "rtl" : "ltr");
    }
    assertThat(Language.ZH.htmlTag()).isEqualTo("zh-Hans");
  }
}
