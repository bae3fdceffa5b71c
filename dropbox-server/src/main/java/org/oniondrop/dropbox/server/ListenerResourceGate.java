package org.oniondrop.dropbox.server;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * The second half of the listener split (design promise 5), by construction rather than by path:
 * after the REST layer has matched a resource method, a method of a journalist-module class (the
 * journalist pages and the Journalist API) runs only if the request came in on the journalist
 * listener, and any other resource method only if it came in on the source listener. Otherwise the
 * answer is a bare 404, as if nothing were there. This holds whatever path, encoding or method
 * matched, so a journalist resource added later at a new path is still unreachable from the source
 * onion service.
 */
public class ListenerResourceGate {

  /** Resource classes under this package belong to the journalist interface. */
  static final String JOURNALIST_PACKAGE = "org.oniondrop.dropbox.journalist";

  @Inject Listeners listeners;

  /** Whether a resource class belongs to the journalist interface. */
  static boolean journalistResource(Class<?> resourceClass) {
    String p = resourceClass.getPackageName();
    return p.equals(JOURNALIST_PACKAGE) || p.startsWith(JOURNALIST_PACKAGE + ".");
  }

  @ServerRequestFilter
  public Optional<Response> gate(SimpleResourceInfo info, HttpServerRequest request) {
    if (info == null || info.getResourceClass() == null) {
      return Optional.of(notFound()); // nothing matched that we can attribute: fail closed
    }
    if (journalistResource(info.getResourceClass()) != listeners.onJournalist(request)) {
      return Optional.of(notFound());
    }
    return Optional.empty();
  }

  private static Response notFound() {
    return Response.status(404).type(MediaType.TEXT_PLAIN_TYPE).entity("Not Found\n").build();
  }
}
