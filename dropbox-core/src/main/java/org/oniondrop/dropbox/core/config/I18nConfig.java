package org.oniondrop.dropbox.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the interfaces choose a page's language. */
@ConfigMapping(prefix = "oniondrop.i18n")
public interface I18nConfig {

  /**
   * Whether the browser's {@code Accept-Language} may choose the default language (a {@code ?l=}
   * link always wins). Off by default: Tor Browser normalises the header to {@code en-US,en} so
   * that it does not single its users out, so on Tor it says nothing about the reader; turn it on
   * only for an instance that is also reached without Tor Browser.
   */
  @WithDefault("false")
  boolean acceptLanguage();
}
