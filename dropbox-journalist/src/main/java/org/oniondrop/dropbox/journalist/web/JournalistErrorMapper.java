package org.oniondrop.dropbox.journalist.web;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.oniondrop.dropbox.core.persistence.Journalist;
import org.oniondrop.dropbox.core.service.JournalistError;
import org.oniondrop.dropbox.journalist.api.ApiErrors;

/**
 * Where every {@link JournalistError} thrown below a journalist page or an API endpoint becomes a
 * response: the API gets SecureDrop's JSON ({@link ApiErrors#of}), a page gets the message page
 * with the status and bundle text of {@link JournalistErrors}. Resources and services throw; none
 * of them builds a refusal page of its own.
 */
public class JournalistErrorMapper {

  @Inject JournalistErrors errors;
  @Inject CurrentJournalist current;

  @ServerExceptionMapper
  public Response refused(JournalistError e, HttpServerRequest request) {
    if (ApiErrors.isApiPath(request.path())) {
      return ApiErrors.of(e.reason());
    }
    Journalist me = current.caller().map(Auth.Caller::journalist).orElse(null);
    return errors.page(me, e.reason());
  }
}
