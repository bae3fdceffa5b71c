package org.oniondrop.dropbox.server;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * A test-only non-journalist resource under {@code /journalist/}: the listener resource gate, not
 * the path split, must keep it off the journalist listener.
 */
@Path("/journalist/probe-source-resource")
public class SourceProbe {
  @GET
  public String get() {
    return "source-probe";
  }
}
