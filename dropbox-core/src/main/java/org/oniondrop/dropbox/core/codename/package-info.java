/**
 * Whether a message holds its sender's own codename, checked without the codename and without a
 * KDF. SecureDrop can refuse such messages (a source pasting the codename into a message hands it
 * to whoever reads the submission). At create or login, while the codename is in hand anyway, the
 * session keeps an HMAC-SHA256 of the normalised codename under a fresh random per-session key: a
 * value derived from the codename, useless without the key, and wiped with the session. A message
 * is then checked by HMACing every run of as many words as the codename has, over the whole
 * message, and comparing each in constant time: microseconds per window, so nothing needs capping.
 */
package org.oniondrop.dropbox.core.codename;
