package org.oniondrop.dropbox.source.web;

import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.oniondrop.dropbox.core.admission.ServerBusyException;
import org.oniondrop.dropbox.core.i18n.Language;
import org.oniondrop.dropbox.core.service.InstanceSettings;
import org.oniondrop.dropbox.source.session.SessionRefusedException;
import org.oniondrop.dropbox.source.session.SourceSession;
import org.oniondrop.dropbox.source.session.SourceSessions;

/**
 * The answers to admission refusals, for every JAX-RS page of the application: 503 with {@code
 * Retry-After} and a "busy, try again in a moment" page when the KDF gate or the logged-in session
 * tier is full, 429 when one client created too many sessions. Never an exception text.
 */
public class BusyPages {

  /** Retry-After when the logged-in tier is full (sessions expire or log out over minutes). */
  static final int FULL_RETRY_AFTER_SECONDS = 30;

  @Inject InstanceSettings settings;
  @Inject SourceLanguages languages;
  @Inject SourceSessions sessions;
  @Inject RoutingContext routing;

  /** The language of the refused request: its link, else its session's choice, else English. */
  private Language language() {
    String asked = routing.request().getParam("l");
    io.vertx.core.http.Cookie cookie = routing.request().getCookie(SourceSessions.COOKIE);
    SourceSession session = cookie == null ? null : sessions.active(cookie.getValue()).orElse(null);
    return languages
        .choice()
        .choose(
            asked,
            session == null ? null : session.language(),
            routing.request().getHeader("Accept-Language"));
  }

  @ServerExceptionMapper
  public Response busy(ServerBusyException e) {
    return busyPage(e.retryAfterSeconds());
  }

  @ServerExceptionMapper
  public Response refused(SessionRefusedException e) {
    if (e.reason() == SessionRefusedException.Reason.CLIENT_RATE) {
      return Response.status(429)
          .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
          .entity(render(languages.msg(language()).error_rate_limited()))
          .build();
    }
    return busyPage(FULL_RETRY_AFTER_SECONDS);
  }

  private Response busyPage(int retryAfterSeconds) {
    return Response.status(503)
        .header("Retry-After", Integer.toString(retryAfterSeconds))
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .entity(render(languages.msg(language()).error_busy()))
        .build();
  }

  /** The error page as a string (a mapper may run where Qute's instance is not resolved). */
  String render(String message) {
    return languages
        .dress(
            SourceResource.Templates.error(settings.current().organizationName(), message),
            language(),
            "/",
            null)
        .render();
  }
}
