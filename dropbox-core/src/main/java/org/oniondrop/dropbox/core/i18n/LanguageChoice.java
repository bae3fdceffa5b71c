package org.oniondrop.dropbox.core.i18n;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the language of one page for one interface: its offered languages, and whether the admin
 * lets the browser's {@code Accept-Language} pick the default. Pure: no session, no request.
 *
 * <p>Order: a valid {@code ?l=} code among the offered languages; else the language the session
 * remembers; else, if allowed, the best offered match of {@code Accept-Language}; else the first
 * offered language (English).
 */
public final class LanguageChoice {

  /**
   * Longest {@code Accept-Language} header parsed; longer ones are ignored. Browsers send well
   * under 200 bytes; the bound keeps a hostile header from costing parse time.
   */
  static final int MAX_ACCEPT_LANGUAGE = 512;

  private final List<Language> offered;
  private final boolean trustAcceptLanguage;

  /**
   * @param offered the languages whose bundles are complete, the default first
   * @param trustAcceptLanguage whether {@code Accept-Language} may choose the default
   */
  public LanguageChoice(List<Language> offered, boolean trustAcceptLanguage) {
    if (offered.isEmpty()) {
      throw new IllegalArgumentException("no language offered");
    }
    this.offered = List.copyOf(offered);
    this.trustAcceptLanguage = trustAcceptLanguage;
  }

  /** The languages this interface offers, the default first. */
  public List<Language> offered() {
    return offered;
  }

  /** The offered language a {@code ?l=} value asks for, if it asks for one. */
  public Optional<Language> asked(String param) {
    return Language.ofCode(param).filter(offered::contains);
  }

  /** The language to render in. */
  public Language choose(String param, Language remembered, String acceptLanguage) {
    Optional<Language> asked = asked(param);
    if (asked.isPresent()) {
      return asked.get();
    }
    if (remembered != null && offered.contains(remembered)) {
      return remembered;
    }
    if (trustAcceptLanguage) {
      Optional<Language> accepted = fromAcceptLanguage(acceptLanguage);
      if (accepted.isPresent()) {
        return accepted.get();
      }
    }
    return offered.get(0);
  }

  /** The best offered match of an {@code Accept-Language} header (by language, not region). */
  Optional<Language> fromAcceptLanguage(String header) {
    if (header == null || header.isBlank() || header.length() > MAX_ACCEPT_LANGUAGE) {
      return Optional.empty();
    }
    List<Locale.LanguageRange> ranges;
    try {
      ranges = Locale.LanguageRange.parse(header);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    for (Locale.LanguageRange range : ranges) {
      if (range.getWeight() == 0) {
        continue;
      }
      String primary = range.getRange().split("-", 2)[0];
      for (Language l : offered) {
        if (l.code().equals(primary)) {
          return Optional.of(l);
        }
      }
    }
    return Optional.empty();
  }
}
