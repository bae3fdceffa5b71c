package org.oniondrop.dropbox.core.service;

/**
 * A refused journalist-side operation, with a typed {@link Reason} and no free text.
 *
 * <p>Why no message: whatever an exception says tends to end up in a response, and English text (or
 * worse, an {@code IOException}'s path or a parser's diagnostics) is neither translatable nor safe
 * to show. The web layer maps each reason to a message-bundle key and an HTTP status in one place
 * ({@code JournalistErrors} for the pages, {@code ApiErrors} for the API); the CLI maps it to a
 * fixed line. The exception carries no cause and no stack trace: it is an answer, not a crash.
 *
 * <p>Unchecked so that a {@code @Transactional} service method that throws it rolls back.
 */
public final class JournalistError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why an operation was refused. Each has exactly one page text and one status. */
  public enum Reason {
    /** A username is not 3-64 letters, digits, dots, dashes or underscores. */
    USERNAME_INVALID,
    /** The username is reserved (the system "deleted" user). */
    USERNAME_RESERVED,
    /** An account with that username exists. */
    USERNAME_TAKEN,
    /** A first or last name is longer than {@link JournalistService#MAX_NAME}. */
    NAME_TOO_LONG,
    /** No account has that id. */
    NO_SUCH_USER,
    /** The change would leave the instance without an admin (demote or delete the last one). */
    LAST_ADMIN,
    /** The system "deleted" user cannot be changed or deleted. */
    SYSTEM_USER,
    /** No source, or no item of that source, has that id. */
    NOT_FOUND,
    /** A form was incomplete, out of bounds, or its CSRF token did not match. */
    BAD_FORM,
    /** The caller is not an admin. */
    FORBIDDEN,
    /** Re-authentication (passphrase + fresh TOTP code) failed. */
    REAUTH_FAILED,
    /** Too many failed logins or re-authentications for this account. */
    THROTTLED,
    /** A new TOTP secret's first code did not verify. */
    TOTP_FAILED,
    /** A new submission key is not OpenPGP, or is damaged. */
    KEY_MALFORMED,
    /** More than one key was given: which one is meant is ambiguous. */
    KEY_MULTIPLE,
    /** A secret key was given: the server must never hold the submission secret key. */
    KEY_SECRET_GIVEN,
    /** The key (or every encryption subkey) is revoked. */
    KEY_REVOKED,
    /** The key (or every encryption subkey) has expired. */
    KEY_EXPIRED,
    /** An RSA key that is too short. */
    KEY_WEAK_RSA,
    /** The key's binding signatures rely on SHA-1. */
    KEY_SHA1_BINDING,
    /** No valid (sub)key is marked for encryption. */
    KEY_NO_ENCRYPTION_KEY,
    /** A new submission key, or the record of its change, could not be written to disk. */
    KEY_NOT_STORED,
    /** The organization name is empty or too long. */
    ORGANIZATION_NAME_INVALID,
    /** The logo is not a readable PNG within the size and dimension limits. */
    LOGO_REFUSED,
    /** The logo could not be written to disk. */
    LOGO_NOT_STORED,
    /** A reply could not be encrypted or stored. */
    REPLY_NOT_STORED,
    /** A client-authorization key name is not 1-64 letters, digits, '-' or '_'. */
    CLIENT_KEY_INVALID_NAME,
    /** A client-authorization key with that name exists. */
    CLIENT_KEY_EXISTS,
    /** No client-authorization key has that name. */
    CLIENT_KEY_UNKNOWN,
    /** It is the last client-authorization key (revoking it would lock every journalist out). */
    CLIENT_KEY_LAST,
    /** This server hosts no onion services. */
    NO_ONION_HOSTING,
    /** A client-authorization key change could not be written to disk. */
    CLIENT_KEY_NOT_SAVED
  }

  private final Reason reason;

  public JournalistError(Reason reason) {
    // The reason's name only (for logs and debuggers), no cause, no stack trace.
    super(reason.name(), null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
