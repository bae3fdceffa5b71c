package org.oniondrop.dropbox.source.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.oniondrop.dropbox.core.admission.ServerBusyException;
import org.oniondrop.dropbox.core.service.InstanceSettings;
import org.oniondrop.dropbox.source.session.SessionRefusedException;

/**
 * The answers to admission refusals, for every JAX-RS page of the application: 503 with {@code
 * Retry-After} and a "busy, try again in a moment" page when the KDF gate or the logged-in session
 * tier is full, 429 when one client created too many sessions. Never an exception text.
 */
public class BusyPages {

  /** Retry-After when the logged-in tier is full (sessions expire or log out over minutes). */
  static final int FULL_RETRY_AFTER_SECONDS = 30;

  @Inject InstanceSettings settings;
  @Inject Msg msg;

  @ServerExceptionMapper
  public Response busy(ServerBusyException e) {
    return busyPage(e.retryAfterSeconds());
  }

  @ServerExceptionMapper
  public Response refused(SessionRefusedException e) {
    if (e.reason() == SessionRefusedException.Reason.CLIENT_RATE) {
      return Response.status(429)
          .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
          .entity(render(msg.error_rate_limited()))
          .build();
    }
    return busyPage(FULL_RETRY_AFTER_SECONDS);
  }

  private Response busyPage(int retryAfterSeconds) {
    return Response.status(503)
        .header("Retry-After", Integer.toString(retryAfterSeconds))
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .entity(render(msg.error_busy()))
        .build();
  }

  /** The error page as a string (a mapper may run where Qute's instance is not resolved). */
  String render(String message) {
    return SourceResource.Templates.error(settings.current().organizationName(), message).render();
  }
}
