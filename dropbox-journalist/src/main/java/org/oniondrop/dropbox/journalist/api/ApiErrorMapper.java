package org.oniondrop.dropbox.journalist.api;

import static org.oniondrop.dropbox.journalist.api.ApiErrors.METHOD_NOT_ALLOWED_TEXT;
import static org.oniondrop.dropbox.journalist.api.ApiErrors.error;
import static org.oniondrop.dropbox.journalist.api.ApiErrors.isApiPath;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps the framework's routing failures on API paths to SecureDrop's JSON errors. */
public class ApiErrorMapper {

  /** Unmatched routes: JSON 404 on API paths, the framework's usual answer elsewhere. */
  @ServerExceptionMapper
  public Response unmatched(NotFoundException e, HttpServerRequest request) {
    return isApiPath(request.path()) ? ApiErrors.notFound() : e.getResponse();
  }

  /** A known route with a method it does not take: JSON 405 on API paths. */
  @ServerExceptionMapper
  public Response notAllowed(NotAllowedException e, HttpServerRequest request) {
    if (!isApiPath(request.path())) {
      return e.getResponse();
    }
    Response.ResponseBuilder b = Response.fromResponse(error(405, METHOD_NOT_ALLOWED_TEXT));
    String allow = e.getResponse().getHeaderString("Allow");
    if (allow != null) {
      b.header("Allow", allow);
    }
    return b.build();
  }
}
