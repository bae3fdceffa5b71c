package org.oniondrop.dropbox.journalist.web;

import io.quarkus.arc.Arc;
import io.quarkus.qute.EngineBuilder;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.oniondrop.dropbox.core.config.I18nConfig;
import org.oniondrop.dropbox.core.i18n.Language;
import org.oniondrop.dropbox.core.i18n.LanguageChoice;

/**
 * The journalist interface's languages, on the mechanism the source interface uses ({@link
 * LanguageChoice}): English, plus every language whose {@code jmsg_xx.properties} exists ({@code
 * JournalistBundlesTest} fails when such a file misses a key). Each journalist page gets {@code
 * jui} (its {@code <html lang dir>} and the language links) and its locale when the engine creates
 * it, so the pages need no change of their own.
 *
 * <p>Not done yet: remembering a journalist's {@code ?l=} choice in the journalist session (the
 * journalist web layer is being restructured); today a choice holds for the page it was asked on.
 */
@ApplicationScoped
public class JournalistLanguages {

  /** Journalist pages' template ids start with this (the checked templates' base path). */
  static final String TEMPLATES = "JournalistPages";

  private final LanguageChoice choice;

  @Inject
  JournalistLanguages(I18nConfig config) {
    this.choice = new LanguageChoice(offered(), config.acceptLanguage());
  }

  /** English and each language with a journalist bundle. */
  static List<Language> offered() {
    List<Language> offered = new ArrayList<>();
    for (Language l : Language.values()) {
      if (l == Language.EN
          || JournalistLanguages.class.getResource("/messages/jmsg_" + l.code() + ".properties")
              != null) {
        offered.add(l);
      }
    }
    return offered;
  }

  public LanguageChoice choice() {
    return choice;
  }

  /**
   * What a journalist page's layout reads.
   *
   * @param lang {@code <html lang>}
   * @param dir {@code <html dir>}
   * @param languages {@code ?l=} links, shown only when there is more than one language
   */
  public record JournalistUi(String lang, String dir, List<Link> languages) {}

  /** One language link, its name written in the language itself. */
  public record Link(String href, String tag, String dir, String name) {}

  void onEngine(@Observes EngineBuilder builder) {
    builder.addTemplateInstanceInitializer(this::dress);
  }

  private void dress(TemplateInstance page) {
    if (!page.getTemplate().getId().startsWith(TEMPLATES)) {
      return;
    }
    String asked = null;
    String accept = null;
    if (Arc.container() != null && Arc.container().requestContext().isActive()) {
      RoutingContext ctx = Arc.container().instance(CurrentVertxRequest.class).get().getCurrent();
      if (ctx != null) {
        asked = ctx.request().getParam("l");
        accept = ctx.request().getHeader("Accept-Language");
      }
    }
    Language language = choice.choose(asked, null, accept);
    List<Link> links = new ArrayList<>();
    if (choice.offered().size() > 1) {
      for (Language l : choice.offered()) {
        links.add(new Link("?l=" + l.code(), l.htmlTag(), l.dir(), l.nativeName()));
      }
    }
    page.data("jui", new JournalistUi(language.htmlTag(), language.dir(), links))
        .setLocale(language.locale());
  }
}
