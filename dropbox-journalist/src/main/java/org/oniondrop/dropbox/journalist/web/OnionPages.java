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
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.oniondrop.dropbox.core.service.JournalistError;
import org.oniondrop.dropbox.core.service.SubmissionKeyChanges;
import org.oniondrop.dropbox.core.service.SubmissionKeys;

/**
 * The instance's status and the journalist onion service's client-authorization keys (beyond
 * SecureDrop: one key per journalist or device, added and revoked without a restart, never the last
 * one).
 */
@Path("/journalist/admin")
@Blocking
@Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA})
@JournalistGate(JournalistGate.Access.ADMIN)
public class OnionPages extends JournalistPage {

  @Inject OnionStatus onion;
  @Inject ClientKeys clientKeys;
  @Inject SubmissionKeys submissionKeys;
  @Inject SubmissionKeyChanges keyChanges;

  @GET
  @Path("status")
  @Produces(MediaType.TEXT_HTML)
  public Response status() {
    return ok(statusPage(null, null));
  }

  private io.quarkus.qute.TemplateInstance statusPage(String newKeyName, String newKeyLine) {
    return Pages.status(
        page(),
        onion,
        SubmissionKeyPages.fingerprint(submissionKeys),
        keyChanges.current().orElse(null),
        clientKeys.clientKeys(),
        newKeyName,
        newKeyLine);
  }

  /**
   * A new client-authorization key for the journalist onion service, authorized at once. Its
   * private line is shown on this response only (not stored, not redirected through the session).
   */
  @POST
  @Path("client-keys")
  public Response addClientKey(@FormParam("name") String name) {
    try {
      String line = clientKeys.authorizeClient(name);
      return ok(statusPage(name, line));
    } catch (ClientKeys.Refused e) {
      throw JournalistErrors.refusal(e.reason());
    } catch (IOException e) {
      throw new JournalistError(JournalistError.Reason.CLIENT_KEY_NOT_SAVED);
    }
  }

  @POST
  @Path("client-keys/revoke")
  public Response revokeClientKey(@FormParam("name") String name) {
    try {
      clientKeys.revokeClient(name);
    } catch (ClientKeys.Refused e) {
      throw JournalistErrors.refusal(e.reason());
    } catch (IOException e) {
      throw new JournalistError(JournalistError.Reason.CLIENT_KEY_NOT_SAVED);
    }
    return done("/journalist/admin/status", msg.done());
  }
}
