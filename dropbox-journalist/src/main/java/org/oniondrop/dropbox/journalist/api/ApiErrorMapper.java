package org.oniondrop.dropbox.journalist.api;

import static org.oniondrop.dropbox.journalist.api.ApiErrors.METHOD_NOT_ALLOWED_TEXT;
import static org.oniondrop.dropbox.journalist.api.ApiErrors.error;
import static org.oniondrop.dropbox.journalist.api.ApiErrors.isApiPath;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

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

  /**
   * Flask routes are strict about the trailing slash: {@code /api/v1/sources/<uuid>/} is not a
   * route, so it is a JSON 404 here too rather than the same answer as without the slash. Only the
   * endpoint maps ({@code /api/v1/}) end in a slash.
   */
  @ServerRequestFilter(preMatching = true)
  public Response strictSlashes(HttpServerRequest request) {
    String path = request.path();
    if (isApiPath(path)
        && path.endsWith("/")
        && !path.equals("/api/v1/")
        && !path.equals("/api/v2/")) {
      return ApiErrors.notFound();
    }
    return null;
  }
}
