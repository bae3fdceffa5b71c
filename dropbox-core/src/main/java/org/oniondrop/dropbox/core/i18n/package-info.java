/**
 * The languages of both interfaces and how a page's language is chosen, with no JavaScript and no
 * cookie of its own: a {@code ?l=xx} link (the interface keeps the choice in its server-side
 * session), else the session's earlier choice, else, only when the admin allows it, the browser's
 * {@code Accept-Language} (off by default: Tor Browser normalises that header to English so that it
 * does not single a user out; trusting it helps nobody on Tor and can mislead elsewhere), else
 * English. The strings themselves live in each interface's Qute message bundle;
 * docs/translations.md says how to add a language and which translations await native review.
 */
package org.oniondrop.dropbox.core.i18n;
