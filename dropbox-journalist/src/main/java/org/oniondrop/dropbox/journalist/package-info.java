/**
 * The journalist interface: login with passphrase and TOTP, sources by designation, downloads of
 * the stored ciphertext (decrypted offline), replies, admin of users and the instance, and the
 * Journalist API v1 in SecureDrop's shape. Pages live under {@code /journalist/}, the API under
 * {@code /api/v1/}; the server exposes both only on the journalist listener.
 */
package org.oniondrop.dropbox.journalist;
