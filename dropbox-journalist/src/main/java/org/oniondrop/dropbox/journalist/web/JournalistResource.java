package org.oniondrop.dropbox.journalist.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.resteasy.reactive.RestForm;
import org.oniondrop.crypto.SecretBytes;
import org.oniondrop.crypto.totp.Totp;
import org.oniondrop.dropbox.core.persistence.Journalist;
import org.oniondrop.dropbox.core.persistence.Source;
import org.oniondrop.dropbox.core.service.ConversationService;
import org.oniondrop.dropbox.core.service.DropboxCrypto;
import org.oniondrop.dropbox.core.service.FileNames;
import org.oniondrop.dropbox.core.service.InstanceSettings;
import org.oniondrop.dropbox.core.service.JournalistService;
import org.oniondrop.dropbox.core.service.SubmissionKeyChanges;
import org.oniondrop.dropbox.journalist.session.JournalistSession;
import org.oniondrop.dropbox.journalist.session.JournalistSessions;

/** The journalist and admin pages (SecureDrop's journalist interface, without JavaScript). */
@Path("/journalist")
@Blocking
public class JournalistResource {

  /** Replies typed on the page are at most this long. */
  public static final int MAX_REPLY_CHARS = 100_000;

  /** Items one form may name. */
  static final int MAX_SELECTED = 10_000;

  @CheckedTemplate(basePath = "JournalistPages", requireTypeSafeExpressions = false)
  static class Templates {
    static native TemplateInstance login(String error);

    static native TemplateInstance index(
        Journalist me,
        String csrf,
        List<ConversationService.SourceSummary> sources,
        String filter,
        String notice);

    static native TemplateInstance conversation(
        Journalist me,
        String csrf,
        ConversationService.SourceSummary source,
        List<ConversationService.Item> items,
        String notice);

    static native TemplateInstance account(Journalist me, String csrf, String notice);

    static native TemplateInstance totp(
        Journalist me, String csrf, String forUser, String secret, String error, String notice);

    static native TemplateInstance admin(
        Journalist me, String csrf, List<Journalist> users, String notice);

    static native TemplateInstance instance(
        Journalist me, String csrf, InstanceSettings.Settings settings, String notice);

    static native TemplateInstance key(
        Journalist me,
        String csrf,
        String fingerprint,
        SubmissionKeyChanges.Change keyChange,
        String notice);

    static native TemplateInstance status(
        Journalist me,
        OnionStatus status,
        String fingerprint,
        SubmissionKeyChanges.Change keyChange,
        String csrf,
        java.util.List<String> keys,
        String newKeyName,
        String newKeyLine,
        String notice);

    static native TemplateInstance message(Journalist me, String text);
  }

  @Inject Auth auth;
  @Inject JournalistSessions sessions;
  @Inject JournalistService journalists;
  @Inject ConversationService conversations;
  @Inject InstanceSettings settings;
  @Inject DropboxCrypto crypto;
  @Inject OnionStatus onion;
  @Inject ClientKeys clientKeys;
  @Inject JMsg msg;
  @Inject SubmissionKeyChanges keyChanges;

  private static Response html(int status, TemplateInstance t) {
    return Response.status(status).type(MediaType.TEXT_HTML_TYPE).entity(t).build();
  }

  private static Response see(String path) {
    return Response.seeOther(URI.create(path)).build();
  }

  /** Runs {@code page} for a logged-in journalist (and admin if asked), else redirects to login. */
  private Response as(String cookie, boolean admin, Function<Auth.Caller, Response> page) {
    Optional<Auth.Caller> caller = auth.bySessionId(cookie);
    if (caller.isEmpty()) {
      return see("/journalist/login");
    }
    if (admin && !caller.get().journalist().admin) {
      return html(403, Templates.message(caller.get().journalist(), msg.forbidden()));
    }
    return page.apply(caller.get());
  }

  /** As {@link #as}, for a form post: the CSRF token must match. */
  private Response post(
      String cookie, String csrf, boolean admin, Function<Auth.Caller, Response> action) {
    return as(
        cookie,
        admin,
        c ->
            c.session().csrfMatches(csrf)
                ? action.apply(c)
                : html(400, Templates.message(c.journalist(), msg.bad_form())));
  }

  /**
   * Re-authentication before an action that could hand over the dropbox: the acting journalist's
   * passphrase and a fresh TOTP code ({@link JournalistService#reauthenticate}). Empty when it
   * passed; otherwise the refusal page.
   */
  private Optional<Response> reauthRefused(Auth.Caller c, String passphrase, String code) {
    char[] p = passphrase == null ? new char[0] : passphrase.toCharArray();
    try {
      JournalistService.LoginResult r = journalists.reauthenticate(c.journalist().uuid, p, code);
      if (r.failure() == null) {
        return Optional.empty();
      }
      return Optional.of(
          r.failure() == JournalistService.LoginFailure.THROTTLED
              ? html(429, Templates.message(c.journalist(), msg.login_throttled()))
              : html(401, Templates.message(c.journalist(), msg.reauth_failed())));
    } finally {
      JournalistService.wipe(p);
    }
  }

  // ---- login ----

  @GET
  @Path("login")
  @Produces(MediaType.TEXT_HTML)
  public Response loginForm() {
    return html(200, Templates.login(null));
  }

  @POST
  @Path("login")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response login(
      @FormParam("username") String username,
      @FormParam("passphrase") String passphrase,
      @FormParam("token") String code) {
    char[] pass = passphrase == null ? new char[0] : passphrase.toCharArray();
    JournalistService.LoginResult r;
    try {
      r = journalists.login(username, pass, code);
    } finally {
      JournalistService.wipe(pass);
    }
    if (r.failure() != null) {
      return switch (r.failure()) {
        case THROTTLED -> html(429, Templates.login(msg.login_throttled()));
        case CODE_REUSED -> html(401, Templates.login(msg.login_code_reused()));
        default -> html(401, Templates.login(msg.login_failed()));
      };
    }
    JournalistSession s = sessions.create(r.journalist().uuid);
    return Response.seeOther(URI.create("/journalist/")).cookie(cookie(s.id(), -1)).build();
  }

  static NewCookie cookie(String value, int maxAge) {
    return new NewCookie.Builder(JournalistSessions.COOKIE)
        .value(value)
        .path("/")
        .httpOnly(true)
        .sameSite(NewCookie.SameSite.STRICT)
        .maxAge(maxAge)
        .build();
  }

  @POST
  @Path("logout")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response logout(
      @CookieParam(JournalistSessions.COOKIE) String cookie, @FormParam("csrf_token") String csrf) {
    return post(
        cookie,
        csrf,
        false,
        c -> {
          sessions.revoke(c.session());
          return Response.seeOther(URI.create("/journalist/login")).cookie(cookie("", 0)).build();
        });
  }

  // ---- sources ----

  @GET
  @Path("/")
  @Produces(MediaType.TEXT_HTML)
  public Response index(
      @CookieParam(JournalistSessions.COOKIE) String cookie, @QueryParam("filter") String filter) {
    return as(
        cookie,
        false,
        c ->
            html(
                200,
                Templates.index(
                    c.journalist(),
                    c.session().csrfToken(),
                    conversations.sources(c.journalist(), filter),
                    filter == null ? "" : filter,
                    c.session().takeNotice())));
  }

  @POST
  @Path("star")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response star(
      @CookieParam(JournalistSessions.COOKIE) String cookie,
      @FormParam("csrf_token") String csrf,
      @FormParam("source") String source,
      @FormParam("starred") boolean starred) {
    return post(
        cookie,
        csrf,
        false,
        c -> {
          if (conversations.source(source).isEmpty()) {
            return html(404, Templates.message(c.journalist(), msg.not_found()));
          }
          conversations.star(source, starred);
          return see("/journalist/");
        });
  }

  @GET
  @Path("col/{source}")
  @Produces(MediaType.TEXT_HTML)
  public Response conversation(
      @CookieParam(JournalistSessions.COOKIE) String cookie, @PathParam("source") String uuid) {
    return as(
        cookie,
        false,
        c ->
            conversations
                .source(uuid)
                .map(
                    s ->
                        html(
                            200,
                            Templates.conversation(
                                c.journalist(),
                                c.session().csrfToken(),
                                conversations.summary(uuid, c.journalist()),
                                conversations.items(s, c.journalist()),
                                c.session().takeNotice())))
                .orElseGet(() -> html(404, Templates.message(c.journalist(), msg.not_found()))));
  }

  @GET
  @Path("col/{source}/{filename}")
  public Response download(
      @CookieParam(JournalistSessions.COOKIE) String cookie,
      @PathParam("source") String uuid,
      @PathParam("filename") String filename,
      @HeaderParam("Range") String range) {
    return as(
        cookie,
        false,
        c -> {
          Source s = conversations.source(uuid).orElse(null);
          if (s == null) {
            return Response.status(404).build();
          }
          ConversationService.Item item =
              conversations.items(s, c.journalist()).stream()
                  .filter(i -> i.filename().equals(filename))
                  .findFirst()
                  .orElse(null);
          if (item == null) {
            return Response.status(404).build();
          }
          if (item.isReply()) {
            conversations.markSeen(c.journalist(), List.of(), List.of(item.uuid()));
          } else {
            conversations.markSeen(c.journalist(), List.of(item.uuid()), List.of());
          }
          try {
            return Downloads.file(conversations.file(s, filename), item.sha256(), filename, range);
          } catch (IOException e) {
            return Response.status(404).build();
          }
        });
  }

  @POST
  @Path("col/{source}/action")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response action(
      @CookieParam(JournalistSessions.COOKIE) String cookie,
      @PathParam("source") String uuid,
      @FormParam("csrf_token") String csrf,
      @FormParam("action") String action,
      @FormParam("item") List<String> selected) {
    return post(
        cookie,
        csrf,
        false,
        c -> {
          Source s = conversations.source(uuid).orElse(null);
          if (s == null) {
            return html(404, Templates.message(c.journalist(), msg.not_found()));
          }
          List<String> chosen =
              selected == null
                  ? List.of()
                  : selected.subList(0, Math.min(selected.size(), MAX_SELECTED));
          List<ConversationService.Item> items = conversations.items(s, c.journalist());
          String designation = FileNames.journalistFilename(s.designation);
          switch (action == null ? "" : action) {
            case "download-selected", "download-unread", "download-all" -> {
              List<ConversationService.Item> pick =
                  items.stream()
                      .filter(
                          i ->
                              switch (action) {
                                case "download-selected" -> chosen.contains(i.uuid());
                                case "download-unread" -> !i.isReply() && !i.seenByMe();
                                default -> true;
                              })
                      .toList();
              List<Downloads.Entry> entries = new ArrayList<>();
              for (ConversationService.Item i : pick) {
                entries.add(
                    new Downloads.Entry(
                        designation + "/" + i.filename(), conversations.file(s, i.filename())));
              }
              conversations.markSeen(
                  c.journalist(),
                  pick.stream()
                      .filter(i -> !i.isReply())
                      .map(ConversationService.Item::uuid)
                      .toList(),
                  pick.stream()
                      .filter(ConversationService.Item::isReply)
                      .map(ConversationService.Item::uuid)
                      .toList());
              return Downloads.zip(entries, designation + ".zip");
            }
            case "seen" -> {
              conversations.markSeen(
                  c.journalist(),
                  items.stream()
                      .filter(i -> !i.isReply() && chosen.contains(i.uuid()))
                      .map(ConversationService.Item::uuid)
                      .toList(),
                  items.stream()
                      .filter(i -> i.isReply() && chosen.contains(i.uuid()))
                      .map(ConversationService.Item::uuid)
                      .toList());
              return see("/journalist/col/" + uuid);
            }
            case "delete-selected" -> {
              conversations.deleteSubmissions(s, chosen);
              for (ConversationService.Item i : items) {
                if (i.isReply() && chosen.contains(i.uuid())) {
                  conversations.deleteReply(s, i.uuid());
                }
              }
              return see("/journalist/col/" + uuid);
            }
            case "delete-conversation" -> {
              conversations.deleteConversation(s);
              return see("/journalist/col/" + uuid);
            }
            case "delete-source" -> {
              conversations.deleteSource(s);
              return see("/journalist/");
            }
            default -> {
              return html(400, Templates.message(c.journalist(), msg.bad_form()));
            }
          }
        });
  }

  @POST
  @Path("col/{source}/reply")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response reply(
      @CookieParam(JournalistSessions.COOKIE) String cookie,
      @PathParam("source") String uuid,
      @FormParam("csrf_token") String csrf,
      @FormParam("message") String text) {
    return post(
        cookie,
        csrf,
        false,
        c -> {
          Source s = conversations.source(uuid).orElse(null);
          if (s == null) {
            return html(404, Templates.message(c.journalist(), msg.not_found()));
          }
          if (text == null || text.isBlank() || text.length() > MAX_REPLY_CHARS) {
            return html(400, Templates.message(c.journalist(), msg.bad_form()));
          }
          try {
            conversations.reply(c.journalist(), s, text);
          } catch (IOException e) {
            return html(500, Templates.message(c.journalist(), msg.bad_form()));
          }
          c.session().notice(msg.reply_sent());
          return see("/journalist/col/" + uuid);
        });
  }

  // ---- account ----

  @GET
  @Path("account")
  @Produces(MediaType.TEXT_HTML)
  public Response account(@CookieParam(JournalistSessions.COOKIE) String cookie) {
    return as(
        cookie,
        false,
        c ->
            html(
                200,
                Templates.account(
                    c.journalist(), c.session().csrfToken(), c.session().takeNotice())));
  }

  @POST
  @Path("account/new-passphrase")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response newPassphrase(
      @CookieParam(JournalistSessions.COOKIE) String cookie,
      @FormParam("current_passphrase") String currentPassphrase,
      @FormParam("current_token") String currentCode,
      @FormParam("csrf_token") String csrf) {
    return post(
        cookie,
        csrf,
        false,
        c -> {
          Optional<Response> refused = reauthRefused(c, currentPassphrase, currentCode);
          if (refused.isPresent()) {
            return refused.get();
          }
          char[] p = journalists.resetPassphrase(c.journalist().uuid);
          // Every other session and API token of this journalist ends with the old passphrase.
          sessions.revokeAllExcept(c.journalist().uuid, c.session());
          c.session().notice(msg.new_passphrase_shown() + " " + new String(p));
          JournalistService.wipe(p);
          return see("/journalist/account");
        });
  }

  /** Starts TOTP enrollment for oneself ({@code user} empty) or, as an admin, for a user. */
  @POST
  @Path("totp/start")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response totpStart(
      @CookieParam(JournalistSessions.COOKIE) String cookie,
      @FormParam("csrf_token") String csrf,
      @FormParam("user") String user) {
    return post(
        cookie,
        csrf,
        false,
        c -> {
          String target = user == null || user.isBlank() ? c.journalist().uuid : user;
          if (!target.equals(c.journalist().uuid) && !c.journalist().admin) {
            return html(403, Templates.message(c.journalist(), msg.forbidden()));
          }
          if (journalists.findByUuid(target).isEmpty()) {
            return html(404, Templates.message(c.journalist(), msg.not_found()));
          }
          c.session().pendingTotp(target, journalists.newTotpSecret());
          return see("/journalist/totp");
        });
  }

  @GET
  @Path("totp")
  @Produces(MediaType.TEXT_HTML)
  public Response totpPage(@CookieParam(JournalistSessions.COOKIE) String cookie) {
    return as(
        cookie,
        false,
        c -> {
          SecretBytes pending = c.session().pendingTotp();
          if (pending == null) {
            return see("/journalist/account");
          }
          Journalist target = journalists.findByUuid(c.session().pendingTotpFor()).orElseThrow();
          return html(
              200,
              Templates.totp(
                  c.journalist(),
                  c.session().csrfToken(),
                  target.username,
                  Totp.base32(pending),
                  null,
                  c.session().takeNotice()));
        });
  }

  @GET
  @Path("totp/qr.png")
  @Produces("image/png")
  public Response totpQr(@CookieParam(JournalistSessions.COOKIE) String cookie) {
    return as(
        cookie,
        false,
        c -> {
          SecretBytes pending = c.session().pendingTotp();
          if (pending == null) {
            return Response.status(404).build();
          }
          Journalist target = journalists.findByUuid(c.session().pendingTotpFor()).orElseThrow();
          return Response.ok(Qr.png(journalists.otpauthUri(target, pending)), "image/png").build();
        });
  }

  @POST
  @Path("totp")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response totpVerify(
      @CookieParam(JournalistSessions.COOKIE) String cookie,
      @FormParam("csrf_token") String csrf,
      @FormParam("token") String code) {
    return post(
        cookie,
        csrf,
        false,
        c -> {
          SecretBytes pending = c.session().pendingTotp();
          if (pending == null) {
            return see("/journalist/account");
          }
          Journalist target = journalists.findByUuid(c.session().pendingTotpFor()).orElseThrow();
          if (!journalists.enrollTotp(target.uuid, pending, code)) {
            return html(
                400,
                Templates.totp(
                    c.journalist(),
                    c.session().csrfToken(),
                    target.username,
                    Totp.base32(pending),
                    msg.totp_failed(),
                    null));
          }
          c.session().pendingTotp(null, null);
          if (target.uuid.equals(c.journalist().uuid)) {
            // A new second factor: every other session and API token of this journalist ends.
            sessions.revokeAllExcept(target.uuid, c.session());
          }
          c.session().notice(msg.totp_done());
          return see(
              c.journalist().admin && !target.uuid.equals(c.journalist().uuid)
                  ? "/journalist/admin"
                  : "/journalist/account");
        });
  }

  // ---- admin ----

  @GET
  @Path("admin")
  @Produces(MediaType.TEXT_HTML)
  public Response admin(@CookieParam(JournalistSessions.COOKIE) String cookie) {
    return as(
        cookie,
        true,
        c ->
            html(
                200,
                Templates.admin(
                    c.journalist(),
                    c.session().csrfToken(),
                    journalists.all(),
                    c.session().takeNotice())));
  }

  @POST
  @Path("admin/users")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response addUser(
      @CookieParam(JournalistSessions.COOKIE) String cookie,
      @FormParam("csrf_token") String csrf,
      @FormParam("username") String username,
      @FormParam("first_name") String first,
      @FormParam("last_name") String last,
      @FormParam("is_admin") boolean admin,
      @FormParam("current_passphrase") String currentPassphrase,
      @FormParam("current_token") String currentCode) {
    return post(
        cookie,
        csrf,
        true,
        c -> {
          if (admin) { // a new admin is a new way into the dropbox
            Optional<Response> refused = reauthRefused(c, currentPassphrase, currentCode);
            if (refused.isPresent()) {
              return refused.get();
            }
          }
          JournalistService.NewAccount account;
          try {
            account = journalists.create(username, first, last, admin);
          } catch (IllegalArgumentException e) {
            return html(400, Templates.message(c.journalist(), e.getMessage()));
          }
          // The new user's TOTP takes effect only once a code from it verifies.
          journalists.clearTotp(account.journalist().uuid);
          c.session().pendingTotp(account.journalist().uuid, account.totpSecret());
          c.session().notice(msg.new_passphrase_shown() + " " + new String(account.passphrase()));
          JournalistService.wipe(account.passphrase());
          return see("/journalist/totp");
        });
  }

  @POST
  @Path("admin/users/{user}")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response editUser(
      @CookieParam(JournalistSessions.COOKIE) String cookie,
      @PathParam("user") String user,
      @FormParam("csrf_token") String csrf,
      @FormParam("action") String action,
      @FormParam("first_name") String first,
      @FormParam("last_name") String last,
      @FormParam("is_admin") boolean admin,
      @FormParam("current_passphrase") String currentPassphrase,
      @FormParam("current_token") String currentCode) {
    return post(
        cookie,
        csrf,
        true,
        c -> {
          Optional<Journalist> target = journalists.findByUuid(user);
          if (target.isEmpty()) {
            return html(404, Templates.message(c.journalist(), msg.not_found()));
          }
          String act = action == null ? "" : action;
          boolean grantsAdmin = act.equals("edit") && admin && !target.get().admin;
          if (grantsAdmin || act.equals("reset-passphrase") || act.equals("reset-totp")) {
            Optional<Response> refused = reauthRefused(c, currentPassphrase, currentCode);
            if (refused.isPresent()) {
              return refused.get();
            }
          }
          try {
            switch (action == null ? "" : action) {
              case "edit" -> journalists.update(user, first, last, admin);
              case "reset-passphrase" -> {
                char[] p = journalists.resetPassphrase(user);
                sessions.revokeAll(user);
                c.session().notice(msg.new_passphrase_shown() + " " + new String(p));
                JournalistService.wipe(p);
              }
              case "reset-totp" -> {
                journalists.clearTotp(user);
                sessions.revokeAll(user);
                c.session().pendingTotp(user, journalists.newTotpSecret());
                return see("/journalist/totp");
              }
              case "delete" -> {
                journalists.delete(user);
                sessions.revokeAll(user);
              }
              default -> {
                return html(400, Templates.message(c.journalist(), msg.bad_form()));
              }
            }
          } catch (IllegalArgumentException e) {
            return html(400, Templates.message(c.journalist(), e.getMessage()));
          }
          return see("/journalist/admin");
        });
  }

  @GET
  @Path("admin/instance")
  @Produces(MediaType.TEXT_HTML)
  public Response instance(@CookieParam(JournalistSessions.COOKIE) String cookie) {
    return as(
        cookie,
        true,
        c ->
            html(
                200,
                Templates.instance(
                    c.journalist(),
                    c.session().csrfToken(),
                    settings.current(),
                    c.session().takeNotice())));
  }

  @POST
  @Path("admin/instance")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response saveInstance(
      @CookieParam(JournalistSessions.COOKIE) String cookie,
      @FormParam("csrf_token") String csrf,
      @FormParam("organization_name") String org,
      @FormParam("allow_document_uploads") boolean allowDocuments,
      @FormParam("initial_message_min_len") int minLength,
      @FormParam("reject_message_with_codename") boolean rejectCodename) {
    return post(
        cookie,
        csrf,
        true,
        c -> {
          try {
            settings.update(
                new InstanceSettings.Settings(
                    org == null ? "" : org.strip(), allowDocuments, minLength, rejectCodename));
          } catch (IllegalArgumentException e) {
            return html(400, Templates.message(c.journalist(), e.getMessage()));
          }
          c.session().notice(msg.done());
          return see("/journalist/admin/instance");
        });
  }

  @POST
  @Path("admin/logo")
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  public Response logo(
      @CookieParam(JournalistSessions.COOKIE) String cookie,
      @RestForm("csrf_token") String csrf,
      @RestForm("logo") org.jboss.resteasy.reactive.multipart.FileUpload upload) {
    return post(
        cookie,
        csrf,
        true,
        c -> {
          try {
            settings.storeLogo(readLogo(upload));
          } catch (IllegalArgumentException e) {
            return html(400, Templates.message(c.journalist(), e.getMessage()));
          }
          c.session().notice(msg.done());
          return see("/journalist/admin/instance");
        });
  }

  /** The uploaded logo's bytes; larger than the logo limit reads as empty (refused downstream). */
  private static byte[] readLogo(org.jboss.resteasy.reactive.multipart.FileUpload upload) {
    try {
      if (upload == null
          || upload.uploadedFile() == null
          || upload.size() > InstanceSettings.MAX_LOGO_BYTES) {
        return new byte[0];
      }
      return java.nio.file.Files.readAllBytes(upload.uploadedFile());
    } catch (java.io.IOException e) {
      return new byte[0];
    } finally {
      if (upload != null && upload.uploadedFile() != null) {
        try {
          java.nio.file.Files.deleteIfExists(upload.uploadedFile());
        } catch (java.io.IOException ignored) {
          // the body handler's temporary directory is cleaned at the end of the request too
        }
      }
    }
  }

  @GET
  @Path("admin/key")
  @Produces(MediaType.TEXT_HTML)
  public Response key(@CookieParam(JournalistSessions.COOKIE) String cookie) {
    return as(
        cookie,
        true,
        c ->
            html(
                200,
                Templates.key(
                    c.journalist(),
                    c.session().csrfToken(),
                    crypto.hasSubmissionKey()
                        ? crypto.submissionKey().fingerprint().toDisplayString()
                        : null,
                    keyChanges.current().orElse(null),
                    c.session().takeNotice())));
  }

  @POST
  @Path("admin/key")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response rotateKey(
      @CookieParam(JournalistSessions.COOKIE) String cookie,
      @FormParam("csrf_token") String csrf,
      @FormParam("key") String armored,
      @FormParam("current_passphrase") String currentPassphrase,
      @FormParam("current_token") String currentCode) {
    return post(
        cookie,
        csrf,
        true,
        c -> {
          Optional<Response> refused = reauthRefused(c, currentPassphrase, currentCode);
          if (refused.isPresent()) {
            return refused.get();
          }
          try {
            keyChanges.replace(
                armored == null
                    ? new byte[0]
                    : armored.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                c.journalist().username);
          } catch (IllegalArgumentException e) {
            return html(400, Templates.message(c.journalist(), e.getMessage()));
          } catch (IOException e) {
            return html(500, Templates.message(c.journalist(), msg.client_key_not_saved()));
          }
          c.session().notice(msg.done());
          return see("/journalist/admin/key");
        });
  }

  @GET
  @Path("admin/status")
  @Produces(MediaType.TEXT_HTML)
  public Response status(@CookieParam(JournalistSessions.COOKIE) String cookie) {
    return as(cookie, true, c -> html(200, statusPage(c, null, null, c.session().takeNotice())));
  }

  private TemplateInstance statusPage(
      Auth.Caller c, String newKeyName, String newKeyLine, String notice) {
    return Templates.status(
        c.journalist(),
        onion,
        crypto.hasSubmissionKey() ? crypto.submissionKey().fingerprint().toDisplayString() : null,
        keyChanges.current().orElse(null),
        c.session().csrfToken(),
        clientKeys.clientKeys(),
        newKeyName,
        newKeyLine,
        notice);
  }

  /**
   * A new client-authorization key for the journalist onion service, authorized at once. Its
   * private line is shown on this response only (not stored, not redirected through the session).
   */
  @POST
  @Path("admin/client-keys")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response addClientKey(
      @CookieParam(JournalistSessions.COOKIE) String cookie,
      @FormParam("csrf_token") String csrf,
      @FormParam("name") String name) {
    return post(
        cookie,
        csrf,
        true,
        c -> {
          try {
            String line = clientKeys.authorizeClient(name);
            return html(200, statusPage(c, name, line, null));
          } catch (ClientKeys.Refused e) {
            return html(400, Templates.message(c.journalist(), refusal(e.reason())));
          } catch (java.io.IOException e) {
            return html(500, Templates.message(c.journalist(), msg.client_key_not_saved()));
          }
        });
  }

  @POST
  @Path("admin/client-keys/revoke")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response revokeClientKey(
      @CookieParam(JournalistSessions.COOKIE) String cookie,
      @FormParam("csrf_token") String csrf,
      @FormParam("name") String name) {
    return post(
        cookie,
        csrf,
        true,
        c -> {
          try {
            clientKeys.revokeClient(name);
          } catch (ClientKeys.Refused e) {
            return html(
                e.reason() == ClientKeys.Reason.LAST_KEY ? 409 : 400,
                Templates.message(c.journalist(), refusal(e.reason())));
          } catch (java.io.IOException e) {
            return html(500, Templates.message(c.journalist(), msg.client_key_not_saved()));
          }
          c.session().notice(msg.done());
          return see("/journalist/admin/status");
        });
  }

  private String refusal(ClientKeys.Reason reason) {
    return switch (reason) {
      case INVALID_NAME -> msg.client_key_invalid_name();
      case EXISTS -> msg.client_key_exists();
      case NO_SUCH_KEY -> msg.client_key_unknown();
      case LAST_KEY -> msg.client_key_last();
      case NO_ONION_HOSTING -> msg.client_key_no_onion();
    };
  }
}
