package org.oniondrop.dropbox.source.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.oniondrop.crypto.words.Codename;
import org.oniondrop.crypto.words.CodenameGenerator;
import org.oniondrop.dropbox.core.admission.ClientId;
import org.oniondrop.dropbox.core.codename.KeyedCodenameDigest;
import org.oniondrop.dropbox.core.config.DropboxConfig;
import org.oniondrop.dropbox.core.i18n.Language;
import org.oniondrop.dropbox.core.service.InstanceSettings;
import org.oniondrop.dropbox.core.service.ReplyService;
import org.oniondrop.dropbox.core.service.SourceService;
import org.oniondrop.dropbox.core.service.SubmissionKeys;
import org.oniondrop.dropbox.source.session.SessionRefusedException;
import org.oniondrop.dropbox.source.session.SourceSession;
import org.oniondrop.dropbox.source.session.SourceSessions;

/** The source interface's pages (SecureDrop's source flow; works without JavaScript). */
@Path("/")
@Blocking
public class SourceResource {

  /** The version reported by {@code /metadata}. */
  public static final String VERSION = "0.1.0";

  @CheckedTemplate(basePath = "SourcePages", requireTypeSafeExpressions = false)
  static class Templates {
    static native TemplateInstance index(String org);

    static native TemplateInstance generate(String org, String codename, String csrf);

    static native TemplateInstance lookup(
        String org,
        String codename,
        String csrf,
        List<ReplyView> replies,
        boolean allowDocuments,
        String maxSize,
        int maxFiles,
        String maxSubmission);

    static native TemplateInstance received(String org, List<ReceivedView> files, int messageChars);

    static native TemplateInstance login(String org, String csrf, boolean failed);

    static native TemplateInstance loggedOut(String org);

    static native TemplateInstance expired(String org);

    static native TemplateInstance error(String org, String message);
  }

  /** A stored file as the received page shows it: the name the source chose and its size. */
  public record ReceivedView(String name, String size) {
    @Override
    public String toString() {
      return "ReceivedView[redacted]";
    }
  }

  /** A reply as the page shows it. */
  public record ReplyView(String uuid, String date, String text) {}

  /**
   * {@code Clear-Site-Data} on log-out: the browser drops this origin's cache, cookies and storage,
   * so nothing of the visit outlives it in the browser (SecureDrop 2.13 does the same).
   */
  static final String CLEAR_SITE_DATA = "\"cache\", \"cookies\", \"storage\"";

  @Inject SourceSessions sessions;
  @Inject SourceService sources;
  @Inject ReplyService replies;
  @Inject InstanceSettings settings;
  @Inject SubmissionKeys submissionKeys;
  @Inject CodenameGenerator codenames;
  @Inject SecureRandom random;
  @Inject DropboxConfig config;
  @Inject SourceLanguages languages;
  @Inject RoutingContext routing;

  private String org() {
    return settings.current().organizationName();
  }

  static NewCookie cookie(SourceSession session) {
    return new NewCookie.Builder(SourceSessions.COOKIE)
        .value(session.id())
        .path("/")
        .httpOnly(true)
        .sameSite(NewCookie.SameSite.STRICT)
        .build();
  }

  private static Response see(String path) {
    return Response.seeOther(URI.create(path)).build();
  }

  /**
   * One request's session and language. A {@code ?l=} link is remembered in the session; with no
   * session yet, one is made for it (its cookie is the only cookie, as for any session).
   */
  private record Visit(SourceSession session, Language language, boolean newSession) {}

  private Visit visit(SourceSession found) {
    String asked = routing.request().getParam("l");
    SourceSession session = found;
    boolean created = false;
    java.util.Optional<Language> wanted = languages.choice().asked(asked);
    if (wanted.isPresent()) {
      if (session == null) {
        session = sessions.create(client(null));
        created = true;
      }
      session.language(wanted.get());
    }
    Language language =
        languages
            .choice()
            .choose(
                asked,
                session == null ? null : session.language(),
                routing.request().getHeader("Accept-Language"));
    return new Visit(session, language, created);
  }

  private Msg msg(Visit v) {
    return languages.msg(v.language());
  }

  private Response page(int status, Visit v, String here, TemplateInstance page) {
    Response.ResponseBuilder b =
        Response.status(status)
            .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
            .entity(languages.dress(page, v.language(), here, v.session()));
    if (v.newSession()) {
      b.cookie(cookie(v.session()));
    }
    return b.build();
  }

  /** A page that shows the session's codename, which never becomes a {@code String}. */
  private Response pageWithCodename(
      Visit v, String here, TemplateInstance page, CodenameSlot slot, byte[] codename) {
    String html = languages.dress(page, v.language(), here, v.session()).render();
    return Response.ok(slot.fill(html, codename))
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .cookie(cookie(v.session()))
        .build();
  }

  private Response error(int status, Visit v, String message) {
    String here = v.session() != null && v.session().loggedIn() ? "/lookup" : "/";
    return page(status, v, here, Templates.error(org(), message));
  }

  /**
   * Who this request comes from: its rendezvous circuit when the listener received one (PROXY
   * protocol), else its session cookie.
   */
  private ClientId client(String cookie) {
    return clientOf(routing, cookie);
  }

  /** The client of a Vert.x request (also used by {@link SubmitRoute}). */
  static ClientId clientOf(RoutingContext rc, String cookie) {
    io.vertx.core.net.SocketAddress remote = rc.request().remoteAddress();
    return ClientId.of(remote == null ? null : remote.hostAddress(), cookie);
  }

  /** A session and the answer to give instead when there is none (expired page or redirect). */
  private record Gate(Visit visit, Response refusal) {}

  /** The caller's session; {@code loggedIn} demands a logged-in source (else to /login). */
  private Gate gate(String cookie, boolean loggedIn) {
    SourceSessions.Result found = sessions.find(cookie);
    if (found.status() == SourceSessions.Lookup.EXPIRED) {
      Visit v = visit(null);
      return new Gate(v, page(401, v, "/login", Templates.expired(org())));
    }
    SourceSession session = found.session();
    if (loggedIn && (session == null || !session.loggedIn())) {
      return new Gate(null, see("/login"));
    }
    return new Gate(visit(session), null);
  }

  @GET
  @Produces(MediaType.TEXT_HTML)
  public Response index(@CookieParam(SourceSessions.COOKIE) String cookie) {
    Visit v = visit(sessions.active(cookie).orElse(null));
    return page(200, v, "/", Templates.index(org()));
  }

  @GET
  @Path("generate")
  @Produces(MediaType.TEXT_HTML)
  public Response generate(@CookieParam(SourceSessions.COOKIE) String cookie) {
    SourceSession session = sessions.active(cookie).orElse(null);
    if (session != null && session.loggedIn()) {
      return see("/lookup");
    }
    Visit v = visit(session);
    if (v.session() == null) {
      v = new Visit(sessions.create(client(null)), v.language(), true);
    }
    Codename codename = codenames.generate();
    v.session().newCodename(codename);
    codename.destroy();
    CodenameSlot slot = new CodenameSlot();
    return pageWithCodename(
        v,
        "/generate",
        Templates.generate(org(), slot.mark(), v.session().csrfToken()),
        slot,
        v.session().newCodenameBytes());
  }

  @POST
  @Path("create")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response create(
      @CookieParam(SourceSessions.COOKIE) String cookie, @FormParam("csrf_token") String csrf) {
    Gate gate = gate(cookie, false);
    if (gate.refusal() != null) {
      return gate.refusal();
    }
    Visit v = gate.visit();
    SourceSession session = v.session();
    if (session == null || !session.csrfMatches(csrf)) {
      return error(400, v, msg(v).error_csrf());
    }
    if (session.loggedIn()) {
      return see("/lookup");
    }
    Codename codename = session.newCodename();
    if (codename == null) {
      return see("/generate");
    }
    try {
      if (!sessions.hasRoomForLogin(session)) {
        throw new SessionRefusedException(SessionRefusedException.Reason.FULL);
      }
      SourceService.SourceCredentials creds = sources.derive(client(cookie), codename);
      sources.createSource(creds);
      sessions.logIn(session, creds, KeyedCodenameDigest.of(codename, random));
    } finally {
      codename.destroy();
    }
    sessions.rotate(session);
    return Response.seeOther(URI.create("/lookup")).cookie(cookie(session)).build();
  }

  @GET
  @Path("lookup")
  @Produces(MediaType.TEXT_HTML)
  public Response lookup(@CookieParam(SourceSessions.COOKIE) String cookie) {
    Gate gate = gate(cookie, true);
    if (gate.refusal() != null) {
      return gate.refusal();
    }
    Visit v = gate.visit();
    SourceSession session = v.session();
    DateTimeFormatter format =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    List<ReplyView> views =
        replies
            .repliesFor(session.credentials().sourceId(), session.credentials().replyPassphrase())
            .stream()
            .map(r -> new ReplyView(r.uuid(), format.format(r.createdAt()), r.text()))
            .toList();
    byte[] shown = session.newCodenameBytes();
    CodenameSlot slot = shown == null ? null : new CodenameSlot();
    TemplateInstance page =
        Templates.lookup(
            org(),
            slot == null ? null : slot.mark(),
            session.csrfToken(),
            views,
            settings.current().allowDocumentUploads(),
            humanSize(config.limits().maxUploadBytes()),
            config.limits().maxFilesPerSubmission(),
            humanSize(config.limits().maxSubmissionBytes()));
    if (slot == null) {
      return page(200, v, "/lookup", page);
    }
    return pageWithCodename(v, "/lookup", page, slot, shown);
  }

  @GET
  @Path("received")
  @Produces(MediaType.TEXT_HTML)
  public Response received(@CookieParam(SourceSessions.COOKIE) String cookie) {
    Gate gate = gate(cookie, true);
    if (gate.refusal() != null) {
      return gate.refusal();
    }
    Visit v = gate.visit();
    SourceSession session = v.session();
    SourceSession.Receipt receipt = session.receipt();
    List<ReceivedView> files =
        receipt == null
            ? List.of()
            : receipt.files().stream()
                .map(f -> new ReceivedView(f.name(), exactSize(f.bytes())))
                .toList();
    int chars = receipt == null ? 0 : receipt.messageChars();
    return page(200, v, "/received", Templates.received(org(), files, chars));
  }

  @GET
  @Path("login")
  @Produces(MediaType.TEXT_HTML)
  public Response loginForm(@CookieParam(SourceSessions.COOKIE) String cookie) {
    Visit v = visit(sessions.active(cookie).orElse(null));
    if (v.session() == null) {
      v = new Visit(sessions.create(client(null)), v.language(), true);
    }
    return Response.ok(
            languages.dress(
                Templates.login(org(), v.session().csrfToken(), false),
                v.language(),
                "/login",
                v.session()))
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .cookie(cookie(v.session()))
        .build();
  }

  /**
   * Logs a source in. The body is read raw ({@link LoginForm}) so that the typed codename is never
   * a {@code String}; the session gets a new id on success.
   */
  @POST
  @Path("login")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response login(@CookieParam(SourceSessions.COOKIE) String cookie, byte[] body) {
    LoginForm form = LoginForm.parse(body);
    try {
      Gate gate = gate(cookie, false);
      if (gate.refusal() != null) {
        return gate.refusal();
      }
      Visit v = gate.visit();
      SourceSession session = v.session();
      if (session == null || !session.csrfMatches(form.csrf())) {
        return error(400, v, msg(v).error_csrf());
      }
      Codename codename;
      try {
        codename = form.codename();
      } catch (IllegalArgumentException e) {
        return page(401, v, "/login", Templates.login(org(), session.csrfToken(), true));
      }
      try {
        // Allowances are charged only for a request that passed CSRF and body checks: per session
        // and per client (circuit, else session), never instance-wide.
        ClientId client = client(cookie);
        if (!session.logins().tryAcquire() || !sessions.tryLogin(client)) {
          return error(429, v, msg(v).error_rate_limited());
        }
        if (!sessions.hasRoomForLogin(session)) {
          throw new SessionRefusedException(SessionRefusedException.Reason.FULL);
        }
        SourceService.SourceCredentials creds = sources.derive(client, codename);
        if (!sources.sourceExists(creds.sourceId())) {
          SourceService.forget(creds);
          return page(401, v, "/login", Templates.login(org(), session.csrfToken(), true));
        }
        session.newCodename(null);
        sessions.logIn(session, creds, KeyedCodenameDigest.of(codename, random));
      } finally {
        codename.destroy();
      }
      sessions.rotate(session);
      return Response.seeOther(URI.create("/lookup")).cookie(cookie(session)).build();
    } finally {
      form.destroy();
    }
  }

  /**
   * Ends the session: wipes it server-side, expires the cookie and asks the browser to clear this
   * site's cache, cookies and storage.
   */
  @POST
  @Path("logout")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response logout(
      @CookieParam(SourceSessions.COOKIE) String cookie, @FormParam("csrf_token") String csrf) {
    SourceSession session = sessions.active(cookie).orElse(null);
    Visit v = visit(null);
    if (session != null) {
      v = new Visit(null, session.language() != null ? session.language() : v.language(), false);
    }
    if (session != null && !session.csrfMatches(csrf)) {
      return error(400, new Visit(session, v.language(), false), msg(v).error_csrf());
    }
    if (session != null) {
      sessions.remove(session);
    }
    return Response.ok(languages.dress(Templates.loggedOut(org()), v.language(), "/", null))
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .header("Clear-Site-Data", CLEAR_SITE_DATA)
        .cookie(
            new NewCookie.Builder(SourceSessions.COOKIE)
                .value("")
                .path("/")
                .maxAge(0)
                .httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT)
                .build())
        .build();
  }

  @POST
  @Path("delete-reply")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response deleteReply(
      @CookieParam(SourceSessions.COOKIE) String cookie,
      @FormParam("csrf_token") String csrf,
      @FormParam("reply") String replyUuid) {
    Gate gate = gate(cookie, true);
    if (gate.refusal() != null) {
      return gate.refusal();
    }
    Visit v = gate.visit();
    SourceSession session = v.session();
    if (!session.csrfMatches(csrf)) {
      return error(400, v, msg(v).error_csrf());
    }
    if (replyUuid == null || replyUuid.length() > 36) {
      return error(400, v, msg(v).error_bad_request());
    }
    replies.deleteReplyForSource(session.credentials().sourceId(), replyUuid);
    return see("/lookup");
  }

  /** SecureDrop's public instance metadata. */
  @GET
  @Path("metadata")
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> metadata() {
    InstanceSettings.Settings s = settings.current();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("organization_name", s.organizationName());
    m.put("allow_document_uploads", s.allowDocumentUploads());
    m.put(
        "gpg_fpr",
        submissionKeys.isPresent() ? submissionKeys.current().fingerprint().hex() : null);
    m.put("sd_version", VERSION);
    m.put("server_os", "Debian 12");
    m.put(
        "supported_languages",
        SourceLanguages.OFFERED.stream()
            .map(l -> l == Language.EN ? "en_US" : l.htmlTag().replace('-', '_'))
            .toList());
    m.put("v2_source_url", null);
    m.put("v3_source_url", null);
    return m;
  }

  /** The submission public key, for sources who encrypt before uploading. */
  @GET
  @Path("public-key")
  @Produces("application/pgp-keys")
  public Response publicKey() {
    if (!submissionKeys.isPresent()) {
      return Response.status(404).build();
    }
    return Response.ok(submissionKeys.current().armored())
        .header("Content-Disposition", "attachment; filename=\"public-key.asc\"")
        .build();
  }

  /** The organization's logo: an uploaded PNG, or the bundled one. */
  @GET
  @Path("logo")
  public Response logo() throws java.io.IOException {
    java.nio.file.Path custom = config.dataDir().resolve("instance").resolve("logo.png");
    if (Files.isRegularFile(custom)) {
      return Response.ok(Files.readAllBytes(custom), "image/png").build();
    }
    return see("/static/logo.svg");
  }

  /** A stored file's size as the source reads it: bytes below 1 KB, then KB, MB, GB. */
  static String exactSize(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KB", "MB", "GB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /**
   * A limit as sources read it, in binary units labelled the way SecureDrop labels its 500 MB
   * (524,288,000 bytes) limit: "500 MB", "2.5 GB".
   */
  static String humanSize(long bytes) {
    if (bytes >= 1L << 30) {
      return String.format(java.util.Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
    }
    return (bytes >> 20) + " MB";
  }
}
