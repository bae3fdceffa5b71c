package org.oniondrop.dropbox.journalist.api;

import jakarta.ws.rs.core.Response;
import org.oniondrop.dropbox.core.service.JournalistError;
import org.oniondrop.dropbox.journalist.web.JournalistErrors;

/**
 * SecureDrop's API errors: every failure is {@code {"error": <reason phrase>, "message": <text>}}
 * with Werkzeug's default text where SecureDrop aborts without one. Unmatched routes and wrong
 * methods under {@code /api/} get the same JSON (SecureDrop's application-level handler sends API
 * paths to the blueprint's JSON handler), never an HTML page or an empty body.
 */
public final class ApiErrors {

  /** Werkzeug's Forbidden description: what SecureDrop sends for a missing or bad token. */
  public static final String FORBIDDEN_TEXT =
      "You don't have the permission to access the requested resource. It is either"
          + " read-protected or not readable by the server.";

  /** Werkzeug's NotFound description: what {@code get_or_404} sends. */
  public static final String NOT_FOUND_TEXT =
      "The requested URL was not found on the server. If you entered the URL manually please"
          + " check your spelling and try again.";

  /** Werkzeug's MethodNotAllowed description. */
  public static final String METHOD_NOT_ALLOWED_TEXT =
      "The method is not allowed for the requested URL.";

  /** Werkzeug's TooManyRequests description. */
  public static final String TOO_MANY_TEXT =
      "This user has exceeded an allotted request count. Try again later.";

  /** Werkzeug's BadRequest description. */
  public static final String BAD_REQUEST_TEXT =
      "The browser (or proxy) sent a request that this server could not understand.";

  /** Werkzeug's Unauthorized description. */
  public static final String UNAUTHORIZED_TEXT =
      "The server could not verify that you are authorized to access the URL requested. You"
          + " either supplied the wrong credentials (e.g. a bad password), or your browser doesn't"
          + " understand how to supply the credentials required.";

  /** Werkzeug's Conflict description. */
  public static final String CONFLICT_TEXT =
      "A conflict happened while processing the request. The resource might have been modified"
          + " while the request was being processed.";

  /** Werkzeug's InternalServerError description. */
  public static final String INTERNAL_TEXT =
      "The server encountered an internal error and was unable to complete your request. Either"
          + " the server is overloaded or there is an error in the application.";

  private ApiErrors() {}

  /**
   * The API's one mapping of a typed journalist-side refusal: the status the pages use, in
   * SecureDrop's JSON shape with Werkzeug's description for that status (never the exception's
   * text, which carries none anyway).
   */
  public static Response of(JournalistError.Reason reason) {
    int status = JournalistErrors.status(reason);
    return switch (status) {
      case 403 -> forbidden();
      case 404 -> notFound();
      case 401 -> error(401, UNAUTHORIZED_TEXT);
      case 409 -> error(409, CONFLICT_TEXT);
      case 429 -> error(429, TOO_MANY_TEXT);
      case 500 -> error(500, INTERNAL_TEXT);
      default -> error(status, BAD_REQUEST_TEXT);
    };
  }

  public static Response error(int status, String message) {
    return ApiJson.json(status, new ApiJson.Error(reason(status), message));
  }

  public static Response forbidden() {
    return error(403, FORBIDDEN_TEXT);
  }

  public static Response notFound() {
    return error(404, NOT_FOUND_TEXT);
  }

  public static Response badRequest(String message) {
    return error(400, message);
  }

  static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Request Entity Too Large";
      case 415 -> "Unsupported Media Type";
      case 416 -> "Requested Range Not Satisfiable";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default ->
          Response.Status.fromStatusCode(status) == null
              ? "Error"
              : Response.Status.fromStatusCode(status).getReasonPhrase();
    };
  }

  public static boolean isApiPath(String path) {
    return path != null && (path.startsWith("/api/") || path.equals("/api"));
  }
}
