package org.oniondrop.dropbox.journalist.web;

import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.oniondrop.dropbox.core.service.JournalistService;
import org.oniondrop.dropbox.journalist.session.JournalistSession;
import org.oniondrop.dropbox.journalist.session.JournalistSessions;

/**
 * Logging in and out (SecureDrop's {@code main} blueprint: login, logout). The login form is the
 * only journalist page outside the gate; logging out is behind it (session and CSRF token).
 */
@Path("/journalist")
@Blocking
public class LoginPages extends JournalistPage {

  @Inject JournalistSessions sessions;

  @GET
  @Path("login")
  @Produces(MediaType.TEXT_HTML)
  public Response loginForm() {
    return ok(Pages.login(new Page(null, null, null), null));
  }

  @POST
  @Path("login")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response login(
      @FormParam("username") String username,
      @FormParam("passphrase") String passphrase,
      @FormParam("token") String code) {
    char[] pass = passphrase == null ? new char[0] : passphrase.toCharArray();
    JournalistService.LoginResult r;
    try {
      r = journalists.login(username, pass, code);
    } finally {
      JournalistService.wipe(pass);
    }
    if (r.failure() != null) {
      Page anonymous = new Page(null, null, null);
      return switch (r.failure()) {
        case THROTTLED -> html(429, Pages.login(anonymous, msg.login_throttled()));
        case CODE_REUSED -> html(401, Pages.login(anonymous, msg.login_code_reused()));
        case BAD_CREDENTIALS -> html(401, Pages.login(anonymous, msg.login_failed()));
      };
    }
    JournalistSession s = sessions.create(r.journalist().uuid(), JournalistSession.Kind.PAGE);
    return Response.seeOther(URI.create("/journalist/")).cookie(cookie(s.id(), -1)).build();
  }

  static NewCookie cookie(String value, int maxAge) {
    return new NewCookie.Builder(JournalistSessions.COOKIE)
        .value(value)
        .path("/")
        .httpOnly(true)
        .sameSite(NewCookie.SameSite.STRICT)
        .maxAge(maxAge)
        .build();
  }

  @POST
  @Path("logout")
  @JournalistGate
  @Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA})
  public Response logout() {
    sessions.revoke(session());
    return Response.seeOther(URI.create(JournalistGateFilter.LOGIN)).cookie(cookie("", 0)).build();
  }
}
