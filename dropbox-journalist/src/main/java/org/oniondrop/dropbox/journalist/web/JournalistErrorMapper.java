package org.oniondrop.dropbox.journalist.web;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.oniondrop.dropbox.core.service.JournalistError;
import org.oniondrop.dropbox.core.view.JournalistView;
import org.oniondrop.dropbox.journalist.api.ApiErrors;

/**
 * Where every {@link JournalistError} thrown below a journalist page or an API endpoint becomes a
 * response: the API gets SecureDrop's JSON ({@link ApiErrors#of}), a page gets the message page
 * with the status and bundle text of {@link JournalistErrors}. Resources and services throw; none
 * of them builds a refusal page of its own.
 */
public class JournalistErrorMapper {

  private static final Logger LOG = Logger.getLogger(JournalistErrorMapper.class.getName());

  @Inject JournalistErrors errors;
  @Inject CurrentJournalist current;

  @ServerExceptionMapper
  public Response refused(JournalistError e, HttpServerRequest request) {
    if (ApiErrors.isApiPath(request.path())) {
      return ApiErrors.of(e.reason());
    }
    JournalistView me = current.caller().map(Auth.Caller::journalist).orElse(null);
    return errors.page(me, e.reason());
  }

  /**
   * A request body that could not be read: a multipart body cut short ({@link IOException}) or a
   * form with broken percent-encoding ({@link IllegalArgumentException}), both thrown by the REST
   * layer's parsers before any resource runs. On the journalist side it is a refused form ({@code
   * BAD_FORM}), page or JSON; elsewhere a bare 500 as before, but without the framework's error
   * body, which names the exception (and, in dev and test mode, prints its stack).
   */
  @ServerExceptionMapper({IOException.class, IllegalArgumentException.class})
  public Response unreadable(Exception e, HttpServerRequest request) {
    LOG.fine(() -> "an unreadable request body: " + e.getClass().getSimpleName());
    String path = request.path();
    if (ApiErrors.isApiPath(path)) {
      return ApiErrors.of(JournalistError.Reason.BAD_FORM);
    }
    if (path != null && (path.equals("/journalist") || path.startsWith("/journalist/"))) {
      JournalistView me = current.caller().map(Auth.Caller::journalist).orElse(null);
      return errors.page(me, JournalistError.Reason.BAD_FORM);
    }
    return Response.serverError().build();
  }
}
