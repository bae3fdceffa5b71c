package org.oniondrop.dropbox.journalist.probe;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * A test-only journalist-module resource at a path outside the journalist prefixes: the listener
 * resource gate, not the path split, must keep it off the source listener.
 */
@Path("/probe-journalist-resource")
public class JournalistProbe {
  @GET
  public String get() {
    return "journalist-probe";
  }
}
