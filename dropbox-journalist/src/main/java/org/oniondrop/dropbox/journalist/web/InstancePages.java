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
import java.nio.file.Files;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.oniondrop.dropbox.core.service.InstanceSettings;

/** Instance settings and the logo (SecureDrop's {@code admin} blueprint, instance part). */
@Path("/journalist/admin")
@Blocking
@Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA})
@JournalistGate(JournalistGate.Access.ADMIN)
public class InstancePages extends JournalistPage {

  @Inject InstanceSettings settings;

  @GET
  @Path("instance")
  @Produces(MediaType.TEXT_HTML)
  public Response instance() {
    return ok(Pages.instance(page(), settings.current()));
  }

  @POST
  @Path("instance")
  public Response saveInstance(
      @FormParam("organization_name") String org,
      @FormParam("allow_document_uploads") boolean allowDocuments,
      @FormParam("initial_message_min_len") int minLength,
      @FormParam("reject_message_with_codename") boolean rejectCodename) {
    settings.update(
        new InstanceSettings.Settings(
            org == null ? "" : org.strip(), allowDocuments, minLength, rejectCodename));
    return done("/journalist/admin/instance", msg.done());
  }

  @POST
  @Path("logo")
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  public Response logo(@RestForm("logo") FileUpload upload) {
    settings.storeLogo(readLogo(upload));
    return done("/journalist/admin/instance", msg.done());
  }

  /** The uploaded logo's bytes; larger than the logo limit reads as empty (refused downstream). */
  private static byte[] readLogo(FileUpload upload) {
    try {
      if (upload == null
          || upload.uploadedFile() == null
          || upload.size() > InstanceSettings.MAX_LOGO_BYTES) {
        return new byte[0];
      }
      return Files.readAllBytes(upload.uploadedFile());
    } catch (IOException e) {
      return new byte[0];
    } finally {
      if (upload != null && upload.uploadedFile() != null) {
        try {
          Files.deleteIfExists(upload.uploadedFile());
        } catch (IOException ignored) {
          // the body handler's temporary directory is cleaned at the end of the request too
        }
      }
    }
  }
}
