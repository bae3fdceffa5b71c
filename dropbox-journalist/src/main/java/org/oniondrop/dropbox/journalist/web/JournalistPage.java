package org.oniondrop.dropbox.journalist.web;

import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.oniondrop.dropbox.core.service.JournalistError;
import org.oniondrop.dropbox.core.service.JournalistService;
import org.oniondrop.dropbox.core.view.JournalistView;
import org.oniondrop.dropbox.journalist.session.JournalistSession;

/**
 * What every journalist page resource shares: the caller the {@link JournalistGate} established,
 * the base {@link Page} model, and re-authentication. A page resource holds no access check of its
 * own: its class carries {@link JournalistGate}; a refusal is a thrown {@link JournalistError},
 * rendered by {@link JournalistErrorMapper}.
 */
abstract class JournalistPage {

  @Inject CurrentJournalist current;
  @Inject JournalistService journalists;
  @Inject JMsg msg;

  Auth.Caller caller() {
    return current.require();
  }

  JournalistView me() {
    return caller().journalist();
  }

  JournalistSession session() {
    return caller().session();
  }

  /** The base model of this request's page; takes (and so clears) the session's notice. */
  Page page() {
    Auth.Caller c = caller();
    return new Page(c.journalist(), c.session().csrfToken(), c.session().takeNotice());
  }

  static Response html(int status, TemplateInstance t) {
    return Response.status(status).type(MediaType.TEXT_HTML_TYPE).entity(t).build();
  }

  static Response ok(TemplateInstance t) {
    return html(200, t);
  }

  static Response see(String path) {
    return Response.seeOther(URI.create(path)).build();
  }

  /** Shows {@code notice} once on the next page, then redirects there. */
  Response done(String path, String notice) {
    session().notice(notice);
    return see(path);
  }

  /**
   * Re-authentication before an action that could hand over the dropbox: the acting journalist's
   * passphrase and a fresh TOTP code ({@link JournalistService#reauthenticate}). Returns if it
   * passed; otherwise throws {@code REAUTH_FAILED} or {@code THROTTLED}.
   */
  void reauthenticate(Reauthentication reauth) {
    char[] p = reauth.passphrase == null ? new char[0] : reauth.passphrase.toCharArray();
    try {
      JournalistService.LoginResult r = journalists.reauthenticate(me().uuid(), p, reauth.code);
      if (r.failure() != null) {
        throw new JournalistError(
            r.failure() == JournalistService.LoginFailure.THROTTLED
                ? JournalistError.Reason.THROTTLED
                : JournalistError.Reason.REAUTH_FAILED);
      }
    } finally {
      JournalistService.wipe(p);
    }
  }
}
