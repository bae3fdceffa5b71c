package org.oniondrop.dropbox.journalist.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;
import org.oniondrop.dropbox.core.service.JournalistError.Reason;
import org.oniondrop.dropbox.journalist.api.ApiErrors;
import org.oniondrop.dropbox.journalist.session.JournalistSessions;

/**
 * The filter behind {@link JournalistGate} (name-bound: it runs for gated resources only, after the
 * listener gate has confirmed the request came in on the journalist listener). In this order:
 *
 * <ol>
 *   <li>the session: the page cookie or the API token, looked up (and renewed) in the one session
 *       store; none, unknown or expired: the login page (303) or SecureDrop's JSON 403;
 *   <li>the role: an {@link JournalistGate.Access#ADMIN} resource refuses other journalists (403);
 *   <li>for a page's unsafe method (anything but GET and HEAD), the form's {@code csrf_token} must
 *       equal the session's, compared in constant time (400 otherwise). The form is read before
 *       this filter ({@link WithFormRead}), urlencoded and multipart alike.
 * </ol>
 *
 * The caller is then handed to the resource through {@link CurrentJournalist}.
 */
public class JournalistGateFilter {

  /** The login page, where a page request without a live session is sent. */
  static final String LOGIN = "/journalist/login";

  /** The form field that carries the CSRF token on every page form. */
  static final String CSRF_FIELD = "csrf_token";

  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD");

  @Inject Auth auth;
  @Inject CurrentJournalist current;
  @Inject JournalistErrors errors;

  @JournalistGate
  @WithFormRead
  @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
  public Optional<Response> gate(ResteasyReactiveContainerRequestContext ctx, ResourceInfo info) {
    Method method = info.getResourceMethod();
    JournalistGate gate = method == null ? null : method.getAnnotation(JournalistGate.class);
    if (gate == null && info.getResourceClass() != null) {
      gate = info.getResourceClass().getAnnotation(JournalistGate.class);
    }
    if (gate == null) {
      return Optional.empty(); // not bound here (name binding already keeps us off other resources)
    }
    if (method.isAnnotationPresent(JournalistGate.Open.class)) {
      return Optional.empty();
    }
    if (gate.credentials() == JournalistGate.Credentials.API_TOKEN) {
      Optional<Auth.Caller> caller = auth.byAuthorization(ctx.getHeaderString("Authorization"));
      if (caller.isEmpty()) {
        return Optional.of(ApiErrors.forbidden());
      }
      current.set(caller.get());
      return Optional.empty();
    }
    Cookie cookie = ctx.getCookies().get(JournalistSessions.COOKIE);
    Optional<Auth.Caller> caller = auth.byPageCookie(cookie == null ? null : cookie.getValue());
    if (caller.isEmpty()) {
      return Optional.of(Response.seeOther(URI.create(LOGIN)).build());
    }
    Auth.Caller c = caller.get();
    current.set(c);
    if (gate.value() == JournalistGate.Access.ADMIN && !c.journalist().admin()) {
      return Optional.of(errors.page(c.journalist(), Reason.FORBIDDEN));
    }
    if (!SAFE_METHODS.contains(ctx.getMethod())) {
      Object token =
          ((ResteasyReactiveRequestContext) ctx.getServerRequestContext())
              .getFormParameter(CSRF_FIELD, true, false);
      if (!(token instanceof String t) || !c.session().csrfMatches(t)) {
        return Optional.of(errors.page(c.journalist(), Reason.BAD_FORM));
      }
    }
    return Optional.empty();
  }
}
