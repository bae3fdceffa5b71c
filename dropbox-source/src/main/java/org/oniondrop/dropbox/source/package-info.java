/**
 * The source interface: what an anonymous source sees. Pages work with JavaScript disabled and
 * contain no script; the codename is never stored, logged or put in a cookie (sessions hold only
 * derived values); uploads stream straight into encryption. Packages: {@code config}, {@code
 * session} (server-side sessions, CSRF, rate limits), {@code web} (pages, the streaming upload
 * route, security headers).
 */
package org.oniondrop.dropbox.source;
