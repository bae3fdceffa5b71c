package org.oniondrop.dropbox.core.i18n;

import java.util.Locale;
import java.util.Optional;

/**
 * A language an interface can be read in.
 *
 * <p>{@link #code()} is what a {@code ?l=} link carries and the suffix of the message bundle file
 * ({@code msg_fa.properties}); {@link #htmlTag()} is the BCP 47 tag written into {@code <html
 * lang>} (it names the script or region where that tells a screen reader or a font more, such as
 * {@code zh-Hans}); {@link #rtl()} is whether the page is laid out right to left.
 */
public enum Language {
  EN("en", "en", "English", false),
  ES("es", "es", "Español", false),
  FR("fr", "fr", "Français", false),
  PT("pt", "pt-BR", "Português", false),
  RU("ru", "ru", "Русский", false),
  TR("tr", "tr", "Türkçe", false),
  ZH("zh", "zh-Hans", "简体中文", false),
  AR("ar", "ar", "العربية", true),
  FA("fa", "fa", "فارسی", true);

  /** Longest {@code ?l=} value looked at; every code is two letters. */
  static final int MAX_CODE_LENGTH = 8;

  private final String code;
  private final String htmlTag;
  private final String nativeName;
  private final boolean rtl;

  Language(String code, String htmlTag, String nativeName, boolean rtl) {
    this.code = code;
    this.htmlTag = htmlTag;
    this.nativeName = nativeName;
    this.rtl = rtl;
  }

  /** The short code of {@code ?l=} links and bundle file names. */
  public String code() {
    return code;
  }

  /** The value of {@code <html lang>}. */
  public String htmlTag() {
    return htmlTag;
  }

  /** The language's name in itself, as the language menu shows it. */
  public String nativeName() {
    return nativeName;
  }

  /** Whether pages in this language run right to left. */
  public boolean rtl() {
    return rtl;
  }

  /** The value of {@code <html dir>}. */
  public String dir() {
    return rtl ? "rtl" : "ltr";
  }

  /** The locale the message bundles are looked up with. */
  public Locale locale() {
    return Locale.forLanguageTag(code);
  }

  /** The language of a {@code ?l=} code (exact, lower case), if there is one. */
  public static Optional<Language> ofCode(String code) {
    if (code == null || code.isEmpty() || code.length() > MAX_CODE_LENGTH) {
      return Optional.empty();
    }
    for (Language l : values()) {
      if (l.code.equals(code)) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }
}
