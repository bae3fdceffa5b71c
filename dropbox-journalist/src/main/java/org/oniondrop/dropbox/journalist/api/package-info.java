/**
 * The Journalist API v1 in SecureDrop's shape (securedrop/journalist_app/api.py), so SecureDrop's
 * own clients could use it: token login, sources, submissions, replies, seen, users.
 */
package org.oniondrop.dropbox.journalist.api;
