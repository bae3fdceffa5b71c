package org.oniondrop.dropbox.journalist.api;

import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The headers API v2 adds to every answer (API2.md), the journalist gate's refusals included (a
 * name-bound response filter also runs when a request filter aborted): the echo of a well-formed
 * {@code X-Request-ID} (never a malformed one, which could carry anything into a client's log), and
 * {@code Preference-Applied} when the client asked for the shape we serve.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ApiV2Headers {

  /** The filter behind the annotation. */
  final class Filter {

    @ApiV2Headers
    @ServerResponseFilter
    public void headers(ContainerRequestContext request, ContainerResponseContext response) {
      String requestId = request.getHeaderString("X-Request-ID");
      if (requestId != null && ApiV2Resource.REQUEST_ID.matcher(requestId).matches()) {
        response.getHeaders().putSingle("X-Request-ID", requestId);
      }
      if (ApiV2Resource.preferredMinor(request.getHeaderString("Prefer")).isPresent()) {
        response
            .getHeaders()
            .putSingle("Preference-Applied", "securedrop=" + ApiIndex.API_MINOR_VERSION);
      }
    }
  }
}
