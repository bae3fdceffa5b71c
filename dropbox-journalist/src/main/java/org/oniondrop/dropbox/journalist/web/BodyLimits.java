package org.oniondrop.dropbox.journalist.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.oniondrop.dropbox.core.service.InstanceSettings;

/**
 * Bounds request bodies on the journalist paths before anything buffers them. The HTTP server's own
 * body limit is set high for the source interface's streamed uploads, so the journalist pages and
 * the API, whose bodies are forms and small JSON documents read whole, check the declared length
 * here: larger is refused with 413 and a body without a declared length with 411. Nothing is read
 * from a refused request.
 */
@ApplicationScoped
public class BodyLimits {

  /** Forms and JSON on the journalist paths: a reply is at most a few hundred KB of armor. */
  public static final long MAX_FORM_BYTES = 2L * 1024 * 1024;

  /** The logo form: the logo itself plus room for the multipart framing and the CSRF token. */
  public static final long MAX_LOGO_FORM_BYTES = InstanceSettings.MAX_LOGO_BYTES + 64L * 1024;

  /**
   * Routing-context key the server's listener split sets ({@code Boolean}): whether the request
   * came in on the journalist listener. Every request there is bounded, whatever its path; without
   * the key (this module's own tests, which have one listener) the journalist paths are.
   */
  public static final String ON_JOURNALIST_LISTENER = "oniondrop.journalist-listener";

  /**
   * An API v2 batch names up to {@code ApiV2Resource.MAX_BATCH_UUIDS} uuids of 36 characters and
   * their JSON quoting (an initial sync of 10,000 sources and 100,000 items is about 4.4 MB).
   */
  public static final long MAX_API_V2_BATCH_BYTES = 10L * 1024 * 1024;

  /** After the security headers, before routing. */
  static final int PRIORITY = 900;

  void register(@Observes Filters filters) {
    filters.register(this::check, PRIORITY);
  }

  void check(RoutingContext rc) {
    String path = rc.normalizedPath();
    Boolean listener = rc.get(ON_JOURNALIST_LISTENER);
    boolean journalistPath =
        listener != null
            ? listener
            : path.startsWith("/journalist/")
                || path.equals("/journalist")
                || path.startsWith("/api/");
    if (!journalistPath) {
      rc.next();
      return;
    }
    long limit =
        path.equals("/journalist/admin/logo")
            ? MAX_LOGO_FORM_BYTES
            : path.equals("/api/v2/data") ? MAX_API_V2_BATCH_BYTES : MAX_FORM_BYTES;
    String declared = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    String encoding = rc.request().getHeader(HttpHeaders.TRANSFER_ENCODING);
    if (declared == null && encoding != null) {
      refuse(rc, 411, "Length Required", "send a Content-Length header");
      return;
    }
    if (declared != null) {
      long length;
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        refuse(rc, 400, "Bad Request", "the Content-Length header is not a number");
        return;
      }
      if (length < 0 || length > limit) {
        refuse(rc, 413, "Payload Too Large", "the request body is larger than " + limit + " bytes");
        return;
      }
    }
    rc.next();
  }

  private static void refuse(RoutingContext rc, int status, String error, String message) {
    rc.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end("{\"error\":\"" + error + "\",\"message\":\"" + message + "\"}");
  }
}
