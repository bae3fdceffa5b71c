/**
 * Journalist sessions, server-side: a random id in an HttpOnly, SameSite=Strict cookie for the
 * pages, or as {@code Authorization: Token <id>} for the API. Sessions last 2 hours, renewed while
 * active; logout revokes.
 */
package org.oniondrop.dropbox.journalist.session;
