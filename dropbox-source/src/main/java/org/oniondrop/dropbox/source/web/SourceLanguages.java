package org.oniondrop.dropbox.source.web;

import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.oniondrop.dropbox.core.config.I18nConfig;
import org.oniondrop.dropbox.core.i18n.Language;
import org.oniondrop.dropbox.core.i18n.LanguageChoice;
import org.oniondrop.dropbox.source.session.SourceSession;

/**
 * The source interface's languages: every {@link Language} (each has a complete {@code msg} bundle:
 * {@code SourceBundlesTest} fails otherwise), chosen per page by {@link LanguageChoice} and dressed
 * onto each template.
 */
@ApplicationScoped
public class SourceLanguages {

  /** The source interface's languages, English (the default) first. */
  public static final List<Language> OFFERED = List.of(Language.values());

  private final LanguageChoice choice;
  private final Map<Language, Msg> bundles = new EnumMap<>(Language.class);

  @Inject
  SourceLanguages(I18nConfig config) {
    this.choice = new LanguageChoice(OFFERED, config.acceptLanguage());
  }

  public LanguageChoice choice() {
    return choice;
  }

  /** The message bundle of {@code language} (for strings built in Java: error pages). */
  public synchronized Msg msg(Language language) {
    return bundles.computeIfAbsent(
        language,
        l ->
            l == Language.EN
                ? MessageBundles.get(Msg.class)
                : MessageBundles.get(Msg.class, Localized.Literal.of(l.code())));
  }

  /**
   * Sets a page's language and layout data.
   *
   * @param here the path the language links point at (a GET page)
   * @param session the session, or null; the log-out control shows only when it is logged in
   */
  public TemplateInstance dress(
      TemplateInstance page, Language language, String here, SourceSession session) {
    List<Ui.LanguageLink> links = new ArrayList<>();
    for (Language l : choice.offered()) {
      links.add(
          new Ui.LanguageLink(
              l.htmlTag(), l.dir(), l.nativeName(), here + "?l=" + l.code(), l == language));
    }
    boolean loggedIn = session != null && session.loggedIn();
    Ui ui =
        new Ui(
            language.htmlTag(),
            language.dir(),
            links,
            loggedIn,
            loggedIn ? session.csrfToken() : null);
    return page.data("ui", ui).setLocale(language.locale());
  }
}
