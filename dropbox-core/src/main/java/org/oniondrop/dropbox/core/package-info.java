/**
 * What both dropbox interfaces share: configuration ({@code config}), entities and repositories
 * ({@code persistence}), the encrypted store ({@code store}) and the services on top ({@code
 * service}). Depends on {@code crypto} and nothing else of ours.
 */
package org.oniondrop.dropbox.core;
