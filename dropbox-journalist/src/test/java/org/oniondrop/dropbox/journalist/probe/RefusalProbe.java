package org.oniondrop.dropbox.journalist.probe;

import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.oniondrop.dropbox.core.service.JournalistError;
import org.oniondrop.dropbox.journalist.web.JournalistGate;

/**
 * Test-only resources that throw any {@link JournalistError.Reason} from behind the gate, so that
 * every reason (also those no page can provoke on demand, such as a full disk) is driven through
 * the real mapper and layout.
 */
public final class RefusalProbe {

  private RefusalProbe() {}

  /** A page that refuses with the reason named in the path. */
  @Path("/journalist/probe-refusal")
  @Blocking
  @JournalistGate
  public static class PageProbe {
    @GET
    @Path("{reason}")
    @Produces(MediaType.TEXT_HTML)
    public String refuse(@PathParam("reason") String reason) {
      throw new JournalistError(JournalistError.Reason.valueOf(reason));
    }
  }

  /** An API endpoint that refuses with the reason named in the path. */
  @Path("/api/v1/probe-refusal")
  @Blocking
  @JournalistGate(credentials = JournalistGate.Credentials.API_TOKEN)
  public static class ApiProbe {
    @GET
    @Path("{reason}")
    @Produces(MediaType.APPLICATION_JSON)
    public String refuse(@PathParam("reason") String reason) {
      throw new JournalistError(JournalistError.Reason.valueOf(reason));
    }
  }
}
