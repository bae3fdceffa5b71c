package org.oniondrop.dropbox.journalist.web;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The one request gate of the journalist side: a resource class (or method) carrying this
 * annotation runs only after {@link JournalistGateFilter} has found a live session for the request,
 * checked the role asked for, and, for a page's unsafe method, the form's CSRF token. The resource
 * then reads who is asking from {@link CurrentJournalist}; it checks nothing of its own.
 *
 * <p>Why one gate rather than a check in each method: a page added later with the annotation on its
 * class cannot forget the session, the admin role or the CSRF token, and a reviewer reads the whole
 * policy in one filter (SecureDrop does the same with one {@code before_request} hook per
 * blueprint).
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface JournalistGate {

  /** Who may pass. */
  enum Access {
    /** Any logged-in journalist. */
    JOURNALIST,
    /** Admins only (403 for other journalists). */
    ADMIN
  }

  /** Where the session comes from and how a refusal looks. */
  enum Credentials {
    /**
     * The pages: the {@code od_journalist} cookie (HttpOnly, SameSite=Strict); no session redirects
     * to the login page; every unsafe method must carry the session's {@code csrf_token} form
     * field.
     */
    PAGE_COOKIE,
    /**
     * The Journalist API: {@code Authorization: Token <session id>} (its own kind of session in the
     * same store: a page cookie is not accepted here), a refusal is SecureDrop's JSON 403; no CSRF
     * token, since a browser never adds this header on its own.
     */
    API_TOKEN
  }

  Access value() default Access.JOURNALIST;

  Credentials credentials() default Credentials.PAGE_COOKIE;

  /**
   * Marks a method of a gated class that needs no session (the API's endpoint map and its login,
   * {@code POST /api/v1/token}).
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @interface Open {}
}
