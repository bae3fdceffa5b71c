package org.oniondrop.dropbox.journalist.web;

import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.oniondrop.crypto.SecretBytes;
import org.oniondrop.crypto.totp.Totp;
import org.oniondrop.dropbox.core.service.JournalistError;
import org.oniondrop.dropbox.core.view.JournalistView;
import org.oniondrop.dropbox.journalist.session.JournalistSessions;

/**
 * One's own account (SecureDrop's {@code account} blueprint): a new passphrase, and two-factor
 * enrolment, for oneself or, for an admin, for a user being reset. Both credential changes ask for
 * the passphrase and a fresh TOTP code first, and end every other session and API token of the
 * journalist whose credentials changed.
 */
@Path("/journalist")
@Blocking
@Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA})
@JournalistGate
public class AccountPages extends JournalistPage {

  @Inject JournalistSessions sessions;

  @GET
  @Path("account")
  @Produces(MediaType.TEXT_HTML)
  public Response account() {
    return ok(Pages.account(page()));
  }

  @POST
  @Path("account/new-passphrase")
  public Response newPassphrase(@BeanParam Reauthentication reauth) {
    reauthenticate(reauth);
    char[] p = journalists.resetPassphrase(me().uuid());
    // Every other session and API token of this journalist ends with the old passphrase.
    sessions.revokeAllExcept(me().uuid(), session());
    try {
      return done("/journalist/account", msg.new_passphrase_shown() + " " + new String(p));
    } finally {
      org.oniondrop.dropbox.core.service.JournalistService.wipe(p);
    }
  }

  /**
   * Starts TOTP enrolment for oneself ({@code user} empty) or, as an admin, for a user.
   * Re-enrolling a second factor hands over the account as surely as a new passphrase, so it asks
   * for the passphrase and a fresh code too.
   */
  @POST
  @Path("totp/start")
  public Response totpStart(@FormParam("user") String user, @BeanParam Reauthentication reauth) {
    String target = user == null || user.isBlank() ? me().uuid() : user;
    if (!target.equals(me().uuid()) && !me().admin()) {
      throw new JournalistError(JournalistError.Reason.FORBIDDEN);
    }
    if (journalists.view(target).isEmpty()) {
      throw new JournalistError(JournalistError.Reason.NO_SUCH_USER);
    }
    reauthenticate(reauth);
    session().pendingTotp(target, journalists.newTotpSecret());
    return see("/journalist/totp");
  }

  /** The journalist whose TOTP secret this session is enrolling, if any. */
  private JournalistView pendingFor() {
    return journalists
        .view(session().pendingTotpFor())
        .orElseThrow(() -> new JournalistError(JournalistError.Reason.NO_SUCH_USER));
  }

  @GET
  @Path("totp")
  @Produces(MediaType.TEXT_HTML)
  public Response totpPage() {
    SecretBytes pending = session().pendingTotp();
    if (pending == null) {
      return see("/journalist/account");
    }
    return ok(Pages.totp(page(), pendingFor().username(), Totp.base32(pending), null));
  }

  @GET
  @Path("totp/qr.png")
  @Produces("image/png")
  public Response totpQr() {
    SecretBytes pending = session().pendingTotp();
    if (pending == null) {
      throw new JournalistError(JournalistError.Reason.NOT_FOUND);
    }
    return Response.ok(Qr.png(journalists.otpauthUri(pendingFor(), pending)), "image/png").build();
  }

  @POST
  @Path("totp")
  public Response totpVerify(@FormParam("token") String code) {
    SecretBytes pending = session().pendingTotp();
    if (pending == null) {
      return see("/journalist/account");
    }
    JournalistView target = pendingFor();
    if (!journalists.enrollTotp(target.uuid(), pending, code)) {
      return html(
          JournalistErrors.status(JournalistError.Reason.TOTP_FAILED),
          Pages.totp(page(), target.username(), Totp.base32(pending), msg.totp_failed()));
    }
    session().pendingTotp(null, null);
    boolean self = target.uuid().equals(me().uuid());
    if (self) {
      // A new second factor: every other session and API token of this journalist ends.
      sessions.revokeAllExcept(target.uuid(), session());
    }
    return done(
        me().admin() && !self ? "/journalist/admin" : "/journalist/account", msg.totp_done());
  }
}
