/**
 * The Journalist API: v1 exactly as SecureDrop serves it (securedrop/journalist_app/api.py), so
 * SecureDrop's clients and scripts keep working, and v2, the sync API the SecureDrop Inbox uses
 * (API2.md). Bodies are records bound by Jackson; reads are dropbox-core's {@link
 * org.oniondrop.dropbox.core.service.ApiReads} (flat rows of {@link
 * org.oniondrop.dropbox.core.view.ApiRows}, its queries in dropbox-core's {@code ApiRepository}),
 * changes go through {@link org.oniondrop.dropbox.core.service.ConversationService}; no entity
 * reaches this package. Errors are SecureDrop's JSON.
 */
package org.oniondrop.dropbox.journalist.api;
