package org.oniondrop.dropbox.core.view;

import java.time.Instant;

/**
 * A journalist account as the web and API layers see it: what they show and send (the Journalist
 * API's user JSON, the pages' "who", the users list), never the passphrase hash, the TOTP secret or
 * the row id. An immutable copy taken inside the service's transaction; the entity stays in
 * dropbox-core.
 */
public record JournalistView(
    String uuid,
    String username,
    String firstName,
    String lastName,
    boolean admin,
    Instant lastAccess) {}
