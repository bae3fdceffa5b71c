package org.oniondrop.dropbox.server;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses, on both listeners and before any routing, a request whose target could be read two ways
 * (design promise 5).
 *
 * <p>Why: the listener split, the body limits and the REST layer each look at the path. If one of
 * them strips {@code ;matrix} parameters, decodes {@code %2F} or resolves {@code ..} and another
 * does not, a journalist path can pass the split as a source path and still be routed to a
 * journalist resource (seen: {@code /journalist;x/login} on the source listener answered the
 * journalist login page). Instead of teaching every layer the same normalisation, only targets that
 * every layer reads identically are let through: an origin-form path of printable ASCII with no
 * {@code ;}, no {@code \}, no percent-encoding, no empty segment and no dot segment. None of
 * OnionDrop's own URLs needs any of these (identifiers and file names are {@code [A-Za-z0-9._-]},
 * see {@code FileNames}); the query string is not used for routing and is left alone.
 *
 * <p>Refused: absolute-form ({@code GET http://host/path}), authority-form and asterisk-form
 * targets (RFC 9112 section 3.2), HTTP/2 {@code :path} values with the same problems, and
 * fragments. The answer is a bare 400 with no detail and the connection is closed.
 */
@ApplicationScoped
public class RequestTargetGate {

  /**
   * After the security headers (1000, so the refusal carries them) and before the listener split
   * and the body limits.
   */
  static final int PRIORITY = 990;

  /** Longer paths are refused: OnionDrop's longest URL is well under 300 characters. */
  static final int MAX_PATH_CHARS = 2048;

  void register(@Observes Filters filters) {
    filters.register(this::check, PRIORITY);
  }

  void check(RoutingContext rc) {
    if (!acceptable(rc.request().uri())) {
      rc.response()
          .setStatusCode(400)
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .putHeader("Connection", "close")
          .end("Bad Request\n");
      return;
    }
    rc.next();
  }

  /** Whether every layer reads {@code target} (the raw request target) as the same path. */
  static boolean acceptable(String target) {
    if (target == null || target.isEmpty() || target.charAt(0) != '/') {
      return false; // absolute-form, authority-form, asterisk-form, empty
    }
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);
    if (path.length() > MAX_PATH_CHARS) {
      return false;
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == ';' || c == '\\' || c == '%' || c == '#') {
        return false;
      }
    }
    // Segment checks: "//" (empty segment), "." and ".." (dot segments, RFC 3986 section 5.2.4).
    int start = 1;
    while (start <= path.length()) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      String segment = path.substring(start, end);
      boolean last = end == path.length();
      if (segment.equals(".") || segment.equals("..") || (segment.isEmpty() && !last)) {
        return false;
      }
      start = end + 1;
    }
    if (query >= 0) {
      for (int i = query; i < target.length(); i++) {
        char c = target.charAt(i);
        if (c <= 0x20 || c >= 0x7f || c == '#') {
          return false;
        }
      }
    }
    return true;
  }
}
