package org.oniondrop.dropbox.journalist.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.oniondrop.dropbox.core.service.JournalistError;
import org.oniondrop.dropbox.core.service.JournalistError.Reason;
import org.oniondrop.dropbox.core.view.JournalistView;

/**
 * The one place where a journalist-side refusal becomes what a person sees: each {@link Reason}
 * maps to one HTTP status and one message-bundle text ({@link JMsg}, so translations follow). No
 * exception class, message or stack trace is ever part of a page: a {@link JournalistError} carries
 * nothing but its reason. The API has its own single mapping ({@code ApiErrors.of}), because its
 * bodies must stay SecureDrop-shaped.
 */
@ApplicationScoped
public class JournalistErrors {

  @Inject JMsg msg;

  /** The HTTP status a page answers {@code reason} with. */
  public static int status(Reason reason) {
    return switch (reason) {
      case USERNAME_INVALID,
          USERNAME_RESERVED,
          NAME_TOO_LONG,
          BAD_FORM,
          TOTP_FAILED,
          KEY_MALFORMED,
          KEY_MULTIPLE,
          KEY_SECRET_GIVEN,
          KEY_REVOKED,
          KEY_EXPIRED,
          KEY_WEAK_RSA,
          KEY_SHA1_BINDING,
          KEY_NO_ENCRYPTION_KEY,
          ORGANIZATION_NAME_INVALID,
          LOGO_REFUSED,
          CLIENT_KEY_INVALID_NAME,
          CLIENT_KEY_EXISTS,
          CLIENT_KEY_UNKNOWN,
          NO_ONION_HOSTING ->
          400;
      case REAUTH_FAILED -> 401;
      case FORBIDDEN -> 403;
      case NO_SUCH_USER, NOT_FOUND -> 404;
      case USERNAME_TAKEN, LAST_ADMIN, SYSTEM_USER, CLIENT_KEY_LAST -> 409;
      case THROTTLED -> 429;
      case KEY_NOT_STORED, LOGO_NOT_STORED, REPLY_NOT_STORED, CLIENT_KEY_NOT_SAVED -> 500;
    };
  }

  /** The text a page shows for {@code reason}, from the message bundle. */
  public String text(Reason reason) {
    return switch (reason) {
      case USERNAME_INVALID -> msg.error_username_invalid();
      case USERNAME_RESERVED -> msg.error_username_reserved();
      case USERNAME_TAKEN -> msg.error_username_taken();
      case NAME_TOO_LONG -> msg.error_name_too_long();
      case NO_SUCH_USER -> msg.error_no_such_user();
      case LAST_ADMIN -> msg.error_last_admin();
      case SYSTEM_USER -> msg.error_system_user();
      case NOT_FOUND -> msg.not_found();
      case BAD_FORM -> msg.bad_form();
      case FORBIDDEN -> msg.forbidden();
      case REAUTH_FAILED -> msg.reauth_failed();
      case THROTTLED -> msg.login_throttled();
      case TOTP_FAILED -> msg.totp_failed();
      case KEY_MALFORMED -> msg.error_key_malformed();
      case KEY_MULTIPLE -> msg.error_key_multiple();
      case KEY_SECRET_GIVEN -> msg.error_key_secret_given();
      case KEY_REVOKED -> msg.error_key_revoked();
      case KEY_EXPIRED -> msg.error_key_expired();
      case KEY_WEAK_RSA -> msg.error_key_weak_rsa();
      case KEY_SHA1_BINDING -> msg.error_key_sha1_binding();
      case KEY_NO_ENCRYPTION_KEY -> msg.error_key_no_encryption_key();
      case KEY_NOT_STORED -> msg.error_key_not_stored();
      case ORGANIZATION_NAME_INVALID -> msg.error_organization_name();
      case LOGO_REFUSED -> msg.error_logo_refused();
      case LOGO_NOT_STORED -> msg.error_logo_not_stored();
      case REPLY_NOT_STORED -> msg.error_reply_not_stored();
      case CLIENT_KEY_INVALID_NAME -> msg.client_key_invalid_name();
      case CLIENT_KEY_EXISTS -> msg.client_key_exists();
      case CLIENT_KEY_UNKNOWN -> msg.client_key_unknown();
      case CLIENT_KEY_LAST -> msg.client_key_last();
      case NO_ONION_HOSTING -> msg.client_key_no_onion();
      case CLIENT_KEY_NOT_SAVED -> msg.client_key_not_saved();
    };
  }

  /** The refusal page for {@code reason}: its status, and its text on the message page. */
  public Response page(JournalistView me, Reason reason) {
    return Response.status(status(reason))
        .type(MediaType.TEXT_HTML_TYPE)
        .entity(Pages.message(new Page(me, null, null), text(reason)))
        .build();
  }

  /** The typed refusal of a client-key change (the server's {@link ClientKeys} reasons). */
  public static JournalistError refusal(ClientKeys.Reason reason) {
    return new JournalistError(
        switch (reason) {
          case INVALID_NAME -> Reason.CLIENT_KEY_INVALID_NAME;
          case EXISTS -> Reason.CLIENT_KEY_EXISTS;
          case NO_SUCH_KEY -> Reason.CLIENT_KEY_UNKNOWN;
          case LAST_KEY -> Reason.CLIENT_KEY_LAST;
          case NO_ONION_HOSTING -> Reason.NO_ONION_HOSTING;
        });
  }
}
