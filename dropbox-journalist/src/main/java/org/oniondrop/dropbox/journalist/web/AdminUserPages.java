package org.oniondrop.dropbox.journalist.web;

import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.oniondrop.dropbox.core.service.JournalistError;
import org.oniondrop.dropbox.core.service.JournalistService;
import org.oniondrop.dropbox.core.view.JournalistView;
import org.oniondrop.dropbox.journalist.session.JournalistSessions;

/**
 * Users (SecureDrop's {@code admin} blueprint, users part): add, edit, reset passphrase or
 * two-factor, delete. What can hand over the dropbox (a new admin, another user's credentials) asks
 * for the acting admin's passphrase and a fresh code first.
 */
@Path("/journalist/admin")
@Blocking
@Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA})
@JournalistGate(JournalistGate.Access.ADMIN)
public class AdminUserPages extends JournalistPage {

  /** A user's details as the add and edit forms send them. */
  public static class UserFields {
    @FormParam("first_name")
    String firstName;

    @FormParam("last_name")
    String lastName;

    @FormParam("is_admin")
    boolean admin;
  }

  @Inject JournalistSessions sessions;

  @GET
  @Produces(MediaType.TEXT_HTML)
  public Response users() {
    return ok(Pages.admin(page(), journalists.all()));
  }

  @POST
  @Path("users")
  public Response addUser(
      @FormParam("username") String username,
      @BeanParam UserFields user,
      @BeanParam Reauthentication reauth) {
    if (user.admin) { // a new admin is a new way into the dropbox
      reauthenticate(reauth);
    }
    JournalistService.NewAccount account =
        journalists.create(username, user.firstName, user.lastName, user.admin);
    // The new user's TOTP takes effect only once a code from it verifies.
    journalists.clearTotp(account.journalist().uuid());
    session().pendingTotp(account.journalist().uuid(), account.totpSecret());
    try {
      return done(
          "/journalist/totp", msg.new_passphrase_shown() + " " + new String(account.passphrase()));
    } finally {
      JournalistService.wipe(account.passphrase());
    }
  }

  @POST
  @Path("users/{user}")
  public Response editUser(
      @PathParam("user") String user,
      @FormParam("action") String action,
      @BeanParam UserFields fields,
      @BeanParam Reauthentication reauth) {
    JournalistView target = journalists.requireView(user);
    String act = action == null ? "" : action;
    boolean grantsAdmin = act.equals("edit") && fields.admin && !target.admin();
    if (grantsAdmin || act.equals("reset-passphrase") || act.equals("reset-totp")) {
      reauthenticate(reauth);
    }
    switch (act) {
      case "edit" -> journalists.update(user, fields.firstName, fields.lastName, fields.admin);
      case "reset-passphrase" -> {
        char[] p = journalists.resetPassphrase(user);
        sessions.revokeAll(user);
        try {
          return done("/journalist/admin", msg.new_passphrase_shown() + " " + new String(p));
        } finally {
          JournalistService.wipe(p);
        }
      }
      case "reset-totp" -> {
        journalists.clearTotp(user);
        sessions.revokeAll(user);
        session().pendingTotp(user, journalists.newTotpSecret());
        return see("/journalist/totp");
      }
      case "delete" -> {
        journalists.delete(user);
        sessions.revokeAll(user);
      }
      default -> throw new JournalistError(JournalistError.Reason.BAD_FORM);
    }
    return see("/journalist/admin");
  }
}
