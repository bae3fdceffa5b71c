package org.oniondrop.dropbox.journalist.web;

import org.oniondrop.dropbox.core.view.JournalistView;

/**
 * What every journalist page's layout reads: who is logged in (null on the login page and on a
 * refusal without a session), the session's CSRF token for the page's forms, and the one-time
 * notice (a generated passphrase, "Done."), shown once by the layout.
 */
public record Page(JournalistView me, String csrf, String notice) {}
