/**
 * The Journalist API: v1 exactly as SecureDrop serves it (securedrop/journalist_app/api.py), so
 * SecureDrop's clients and scripts keep working, and v2, the sync API the SecureDrop Inbox uses
 * (API2.md). Bodies are records bound by Jackson; queries live in {@link
 * org.oniondrop.dropbox.journalist.api.ApiRepository}; errors are SecureDrop's JSON.
 */
package org.oniondrop.dropbox.journalist.api;
