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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.oniondrop.dropbox.core.service.JournalistError;
import org.oniondrop.dropbox.core.service.SubmissionKeyChanges;
import org.oniondrop.dropbox.core.service.SubmissionKeys;

/**
 * The submission key (SecureDrop's {@code admin} blueprint, key part): whoever replaces it reads
 * every later submission, so a replacement asks for the admin's passphrase and a fresh code, and is
 * recorded (when, by whom, fingerprint) for the key and status pages and the event log.
 */
@Path("/journalist/admin")
@Blocking
@Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA})
@JournalistGate(JournalistGate.Access.ADMIN)
public class SubmissionKeyPages extends JournalistPage {

  @Inject SubmissionKeys submissionKeys;
  @Inject SubmissionKeyChanges keyChanges;

  /** The fingerprint of the submission key in use, as people compare it; null if none. */
  static String fingerprint(SubmissionKeys keys) {
    return keys.isPresent() ? keys.current().fingerprint().toDisplayString() : null;
  }

  @GET
  @Path("key")
  @Produces(MediaType.TEXT_HTML)
  public Response key() {
    return ok(Pages.key(page(), fingerprint(submissionKeys), keyChanges.current().orElse(null)));
  }

  @POST
  @Path("key")
  public Response rotateKey(@FormParam("key") String armored, @BeanParam Reauthentication reauth) {
    reauthenticate(reauth);
    try {
      // Recorded durably (who, when, fingerprint) before the new key takes effect.
      keyChanges.replace(
          armored == null ? new byte[0] : armored.getBytes(StandardCharsets.US_ASCII),
          me().username());
    } catch (IOException e) {
      throw new JournalistError(JournalistError.Reason.KEY_NOT_STORED);
    }
    return done("/journalist/admin/key", msg.done());
  }
}
