package org.oniondrop.dropbox.source.web;

import java.util.List;

/**
 * What the layout needs besides the page: the language ({@code <html lang dir>}), the language menu
 * (plain links, so it works without JavaScript), and, for a logged-in source, the CSRF token of the
 * log-out form that every logged-in page carries.
 *
 * @param lang the BCP 47 tag of {@code <html lang>}
 * @param dir {@code ltr} or {@code rtl}
 * @param languages the menu, one link per offered language
 * @param loggedIn whether the page shows the log-out control
 * @param csrf the session's CSRF token for the log-out form, or null
 */
public record Ui(
    String lang, String dir, List<LanguageLink> languages, boolean loggedIn, String csrf) {

  /**
   * One entry of the language menu.
   *
   * @param tag the language's {@code lang} attribute (the name is written in the language itself)
   * @param dir its direction, so that a Persian name in an English page is laid out right
   * @param name the language's own name for itself
   * @param href {@code <page>?l=<code>}
   * @param current whether it is the page's language
   */
  public record LanguageLink(String tag, String dir, String name, String href, boolean current) {}
}
