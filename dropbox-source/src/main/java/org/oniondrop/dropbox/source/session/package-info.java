/**
 * Server-side source sessions. The cookie carries only a random id (HttpOnly, SameSite=Strict); the
 * session holds the source id and reply-key passphrase derived from the codename, a CSRF token,
 * and, until logout, the codename of a source that was just created so the page can show it again
 * (in memory only, wiped when the session ends). Rate limits are global and per session, because
 * every request reaches us from 127.0.0.1 through the onion service.
 */
package org.oniondrop.dropbox.source.session;
