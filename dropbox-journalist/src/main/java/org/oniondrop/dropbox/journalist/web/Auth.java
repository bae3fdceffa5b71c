package org.oniondrop.dropbox.journalist.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.oniondrop.dropbox.core.service.JournalistService;
import org.oniondrop.dropbox.core.view.JournalistView;
import org.oniondrop.dropbox.journalist.session.JournalistSession;
import org.oniondrop.dropbox.journalist.session.JournalistSessions;

/** Who is asking: a session (cookie or API token) and its journalist. */
@ApplicationScoped
public class Auth {

  /** A live session with its (current) journalist. */
  public record Caller(JournalistSession session, JournalistView journalist) {}

  @Inject JournalistSessions sessions;
  @Inject JournalistService journalists;

  /** From the pages' session cookie. */
  public Optional<Caller> byPageCookie(String id) {
    return byId(id, JournalistSession.Kind.PAGE);
  }

  private Optional<Caller> byId(String id, JournalistSession.Kind kind) {
    return sessions
        .find(id, kind)
        .flatMap(s -> journalists.view(s.journalistUuid()).map(j -> new Caller(s, j)));
  }

  /** From {@code Authorization: Token <t>}. */
  public Optional<Caller> byAuthorization(String header) {
    if (header == null || !header.startsWith("Token ") || header.length() > 100) {
      return Optional.empty();
    }
    return byId(header.substring(6).strip(), JournalistSession.Kind.API_TOKEN);
  }
}
