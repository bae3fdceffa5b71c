package org.oniondrop.dropbox.journalist.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.oniondrop.dropbox.core.persistence.Journalist;
import org.oniondrop.dropbox.core.persistence.Reply;
import org.oniondrop.dropbox.core.persistence.Source;
import org.oniondrop.dropbox.core.service.ConversationService;
import org.oniondrop.dropbox.core.service.JournalistService;
import org.oniondrop.dropbox.core.service.ReplyService;
import org.oniondrop.dropbox.journalist.session.JournalistSession;
import org.oniondrop.dropbox.journalist.session.JournalistSessions;
import org.oniondrop.dropbox.journalist.web.Auth;
import org.oniondrop.dropbox.journalist.web.Downloads;

/** {@code /api/v1}: the Journalist API, field names, types and status codes as SecureDrop's. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "Journalist API v1")
public class ApiV1Resource {

  /** Request bodies are small JSON documents; the declared length was checked on arrival. */
  static final long MAX_BODY_BYTES = org.oniondrop.dropbox.journalist.web.BodyLimits.MAX_FORM_BYTES;

  /** The most uuids one {@code POST /seen} may name per list. */
  static final int MAX_SEEN_ITEMS = 10_000;

  private static final String BASE = "/api/v1";
  private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

  @Inject Auth auth;
  @Inject JournalistSessions sessions;
  @Inject JournalistService journalists;
  @Inject ConversationService conversations;
  @Inject ReplyService replies;
  @Inject ObjectMapper json;

  private static Response error(int status, String error, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", error);
    m.put("message", message);
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(m).build();
  }

  private static Response message(int status, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(Map.of("message", message))
        .build();
  }

  private Response authed(String authorization, Function<Auth.Caller, Response> body) {
    Optional<Auth.Caller> caller = auth.byAuthorization(authorization);
    if (caller.isEmpty()) {
      return error(403, "Forbidden", "API token not found in Authorization header.");
    }
    return body.apply(caller.get());
  }

  private Response withSource(
      String authorization,
      String uuid,
      java.util.function.BiFunction<Auth.Caller, Source, Response> body) {
    return authed(
        authorization,
        c ->
            conversations
                .source(uuid)
                .map(s -> body.apply(c, s))
                .orElseGet(() -> error(404, "Not Found", "Source not found")));
  }

  private JsonNode parse(String body) {
    if (body == null || body.length() > MAX_BODY_BYTES) {
      return null;
    }
    try {
      JsonNode n = json.readTree(body);
      return n != null && n.isObject() ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  @GET
  @Path("/")
  @Operation(summary = "Endpoint map")
  public Map<String, String> root() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("all_replies_url", BASE + "/replies");
    m.put("auth_token_url", BASE + "/token");
    m.put("current_user_url", BASE + "/user");
    m.put("all_users_url", BASE + "/users");
    m.put("replies_url", BASE + "/replies");
    m.put("seen_url", BASE + "/seen");
    m.put("sources_url", BASE + "/sources");
    m.put("submissions_url", BASE + "/submissions");
    return m;
  }

  @POST
  @Path("token")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Log in: username, passphrase, one_time_code -> token")
  public Response token(String body) {
    JsonNode n = parse(body);
    if (n == null) {
      return error(400, "Bad Request", "Please send requests in valid JSON.");
    }
    String username = n.path("username").asText(null);
    String passphrase = n.path("passphrase").asText(null);
    String code = n.path("one_time_code").asText(null);
    if (username == null || passphrase == null || code == null) {
      return error(400, "Bad Request", "username, passphrase or one_time_code missing");
    }
    char[] pass = passphrase.toCharArray();
    JournalistService.LoginResult r;
    try {
      r = journalists.login(username, pass, code);
    } finally {
      JournalistService.wipe(pass);
    }
    if (r.failure() != null) {
      return error(403, "Forbidden", "Token authentication failed.");
    }
    Journalist j = r.journalist();
    JournalistSession s = sessions.create(j.uuid);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("expiration", ISO.format(sessions.expiration(s)));
    m.put("journalist_first_name", j.firstName);
    m.put("journalist_last_name", j.lastName);
    m.put("journalist_uuid", j.uuid);
    m.put("token", s.id());
    return Response.ok(m).build();
  }

  @POST
  @Path("logout")
  @Consumes(MediaType.WILDCARD)
  public Response logout(@HeaderParam("Authorization") String authorization) {
    return authed(
        authorization,
        c -> {
          sessions.revoke(c.session());
          return message(200, "Your token has been revoked.");
        });
  }

  // ---- sources ----

  Map<String, Object> sourceJson(Source s, Journalist me) {
    ConversationService.SourceSummary sum = conversations.summary(s.uuid, me);
    String url = BASE + "/sources/" + s.uuid;
    Map<String, Object> key = new LinkedHashMap<>();
    key.put("fingerprint", s.replyKeyFingerprint);
    key.put("public", armored(s.replyPublicKey));
    key.put("type", "PGP");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("add_star_url", url + "/add_star");
    m.put("interaction_count", s.interactionCount);
    m.put("is_flagged", false);
    m.put("is_starred", sum.starred());
    m.put("journalist_designation", s.designation);
    m.put("key", key);
    m.put("last_updated", ISO.format(s.lastUpdated));
    m.put("number_of_documents", sum.documents());
    m.put("number_of_messages", sum.messages());
    m.put("remove_star_url", url + "/remove_star");
    m.put("replies_url", url + "/replies");
    m.put("submissions_url", url + "/submissions");
    m.put("url", url);
    m.put("uuid", s.uuid);
    return m;
  }

  private static String armored(byte[] cert) {
    try {
      return org.oniondrop.crypto.pgp.EncryptionCertificate.parse(cert).armored();
    } catch (org.oniondrop.crypto.pgp.KeyRejectedException e) {
      return null;
    }
  }

  @GET
  @Path("sources")
  public Response sources(@HeaderParam("Authorization") String authorization) {
    return authed(
        authorization,
        c -> {
          List<Map<String, Object>> out = new ArrayList<>();
          for (ConversationService.SourceSummary s : conversations.sources(c.journalist(), null)) {
            out.add(sourceJson(conversations.source(s.uuid()).orElseThrow(), c.journalist()));
          }
          return Response.ok(Map.of("sources", out)).build();
        });
  }

  @GET
  @Path("sources/{source}")
  public Response source(
      @HeaderParam("Authorization") String authorization, @PathParam("source") String uuid) {
    return withSource(
        authorization, uuid, (c, s) -> Response.ok(sourceJson(s, c.journalist())).build());
  }

  @DELETE
  @Path("sources/{source}")
  public Response deleteSource(
      @HeaderParam("Authorization") String authorization, @PathParam("source") String uuid) {
    return withSource(
        authorization,
        uuid,
        (c, s) -> {
          conversations.deleteSource(s);
          return message(200, "Source and submissions deleted");
        });
  }

  @POST
  @Path("sources/{source}/add_star")
  @Consumes(MediaType.WILDCARD)
  public Response addStar(
      @HeaderParam("Authorization") String authorization, @PathParam("source") String uuid) {
    return withSource(
        authorization,
        uuid,
        (c, s) -> {
          conversations.star(uuid, true);
          return message(201, "Star added");
        });
  }

  @POST
  @Path("sources/{source}/flag")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Kept for SecureDrop clients; flagging was removed and does nothing")
  public Response flag(
      @HeaderParam("Authorization") String authorization, @PathParam("source") String uuid) {
    return withSource(authorization, uuid, (c, s) -> message(200, "Source flagged for reply"));
  }

  @DELETE
  @Path("sources/{source}/remove_star")
  public Response removeStar(
      @HeaderParam("Authorization") String authorization, @PathParam("source") String uuid) {
    return withSource(
        authorization,
        uuid,
        (c, s) -> {
          conversations.star(uuid, false);
          return message(200, "Star removed");
        });
  }

  @DELETE
  @Path("sources/{source}/conversation")
  public Response deleteConversation(
      @HeaderParam("Authorization") String authorization, @PathParam("source") String uuid) {
    return withSource(
        authorization,
        uuid,
        (c, s) -> {
          conversations.deleteConversation(s);
          return message(200, "Source data deleted");
        });
  }

  // ---- submissions ----

  Map<String, Object> submissionJson(Source s, ConversationService.Item i) {
    String sourceUrl = BASE + "/sources/" + s.uuid;
    String url = sourceUrl + "/submissions/" + i.uuid();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("download_url", url + "/download");
    m.put("filename", i.filename());
    m.put("is_file", i.kind().equals("document"));
    m.put("is_message", i.kind().equals("message"));
    m.put("is_read", i.seenByAnyone());
    m.put("seen_by", i.seenBy());
    m.put("size", i.size());
    m.put("source_url", sourceUrl);
    m.put("submission_url", url);
    m.put("uuid", i.uuid());
    return m;
  }

  Map<String, Object> replyJson(Source s, ConversationService.Item i, Reply r) {
    String sourceUrl = BASE + "/sources/" + s.uuid;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("filename", i.filename());
    m.put("is_deleted_by_source", r.deletedBySource);
    m.put("journalist_first_name", r.journalist == null ? null : r.journalist.firstName);
    m.put("journalist_last_name", r.journalist == null ? null : r.journalist.lastName);
    m.put("journalist_username", r.journalist == null ? "deleted" : r.journalist.username);
    m.put("journalist_uuid", r.journalist == null ? "deleted" : r.journalist.uuid);
    m.put("reply_url", sourceUrl + "/replies/" + i.uuid());
    m.put("seen_by", i.seenBy());
    m.put("size", i.size());
    m.put("source_url", sourceUrl);
    m.put("uuid", i.uuid());
    return m;
  }

  private List<Map<String, Object>> submissionsOf(Source s, Journalist me) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ConversationService.Item i : conversations.items(s, me)) {
      if (!i.isReply()) {
        out.add(submissionJson(s, i));
      }
    }
    return out;
  }

  private List<Map<String, Object>> repliesOf(Source s, Journalist me) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ConversationService.Item i : conversations.items(s, me)) {
      if (i.isReply()) {
        out.add(replyJson(s, i, conversations.reply(s, i.uuid()).orElseThrow()));
      }
    }
    return out;
  }

  @GET
  @Path("sources/{source}/submissions")
  public Response sourceSubmissions(
      @HeaderParam("Authorization") String authorization, @PathParam("source") String uuid) {
    return withSource(
        authorization,
        uuid,
        (c, s) -> Response.ok(Map.of("submissions", submissionsOf(s, c.journalist()))).build());
  }

  @GET
  @Path("submissions")
  public Response allSubmissions(@HeaderParam("Authorization") String authorization) {
    return authed(
        authorization,
        c -> {
          List<Map<String, Object>> out = new ArrayList<>();
          for (ConversationService.SourceSummary sum :
              conversations.sources(c.journalist(), null)) {
            out.addAll(
                submissionsOf(conversations.source(sum.uuid()).orElseThrow(), c.journalist()));
          }
          return Response.ok(Map.of("submissions", out)).build();
        });
  }

  private Optional<ConversationService.Item> item(
      Source s, Journalist me, String uuid, boolean reply) {
    return conversations.items(s, me).stream()
        .filter(i -> i.uuid().equals(uuid) && i.isReply() == reply)
        .findFirst();
  }

  @GET
  @Path("sources/{source}/submissions/{submission}")
  public Response submission(
      @HeaderParam("Authorization") String authorization,
      @PathParam("source") String uuid,
      @PathParam("submission") String sub) {
    return withSource(
        authorization,
        uuid,
        (c, s) ->
            item(s, c.journalist(), sub, false)
                .map(i -> Response.ok(submissionJson(s, i)).build())
                .orElseGet(() -> error(404, "Not Found", "Submission not found")));
  }

  @DELETE
  @Path("sources/{source}/submissions/{submission}")
  public Response deleteSubmission(
      @HeaderParam("Authorization") String authorization,
      @PathParam("source") String uuid,
      @PathParam("submission") String sub) {
    return withSource(
        authorization,
        uuid,
        (c, s) -> {
          if (conversations.deleteSubmissions(s, List.of(sub)) == 0) {
            return error(404, "Not Found", "Submission not found");
          }
          return message(200, "Submission deleted");
        });
  }

  @GET
  @Path("sources/{source}/submissions/{submission}/download")
  @Produces(MediaType.WILDCARD)
  public Response downloadSubmission(
      @HeaderParam("Authorization") String authorization,
      @HeaderParam("Range") String range,
      @PathParam("source") String uuid,
      @PathParam("submission") String sub) {
    return withSource(authorization, uuid, (c, s) -> download(c, s, sub, false, range));
  }

  private Response download(Auth.Caller c, Source s, String uuid, boolean reply, String range) {
    ConversationService.Item i = item(s, c.journalist(), uuid, reply).orElse(null);
    if (i == null) {
      return error(404, "Not Found", reply ? "Reply not found" : "Submission not found");
    }
    if (reply) {
      conversations.markSeen(c.journalist(), List.of(), List.of(uuid));
    } else {
      conversations.markSeen(c.journalist(), List.of(uuid), List.of());
    }
    try {
      return Downloads.file(conversations.file(s, i.filename()), i.sha256(), i.filename(), range);
    } catch (IOException e) {
      return error(404, "Not Found", "File not found");
    }
  }

  // ---- replies ----

  @GET
  @Path("sources/{source}/replies")
  public Response sourceReplies(
      @HeaderParam("Authorization") String authorization, @PathParam("source") String uuid) {
    return withSource(
        authorization,
        uuid,
        (c, s) -> Response.ok(Map.of("replies", repliesOf(s, c.journalist()))).build());
  }

  @GET
  @Path("replies")
  public Response allReplies(@HeaderParam("Authorization") String authorization) {
    return authed(
        authorization,
        c -> {
          List<Map<String, Object>> out = new ArrayList<>();
          for (ConversationService.SourceSummary sum :
              conversations.sources(c.journalist(), null)) {
            out.addAll(repliesOf(conversations.source(sum.uuid()).orElseThrow(), c.journalist()));
          }
          return Response.ok(Map.of("replies", out)).build();
        });
  }

  @GET
  @Path("sources/{source}/replies/{reply}")
  public Response reply(
      @HeaderParam("Authorization") String authorization,
      @PathParam("source") String uuid,
      @PathParam("reply") String reply) {
    return withSource(
        authorization,
        uuid,
        (c, s) ->
            item(s, c.journalist(), reply, true)
                .map(
                    i ->
                        Response.ok(replyJson(s, i, conversations.reply(s, reply).orElseThrow()))
                            .build())
                .orElseGet(() -> error(404, "Not Found", "Reply not found")));
  }

  @DELETE
  @Path("sources/{source}/replies/{reply}")
  public Response deleteReply(
      @HeaderParam("Authorization") String authorization,
      @PathParam("source") String uuid,
      @PathParam("reply") String reply) {
    return withSource(
        authorization,
        uuid,
        (c, s) ->
            conversations.deleteReply(s, reply)
                ? message(200, "Reply deleted")
                : error(404, "Not Found", "Reply not found"));
  }

  @GET
  @Path("sources/{source}/replies/{reply}/download")
  @Produces(MediaType.WILDCARD)
  public Response downloadReply(
      @HeaderParam("Authorization") String authorization,
      @HeaderParam("Range") String range,
      @PathParam("source") String uuid,
      @PathParam("reply") String reply) {
    return withSource(authorization, uuid, (c, s) -> download(c, s, reply, true, range));
  }

  /**
   * Stores a reply the client already encrypted (to the source's key and the submission key): 400
   * unless it is an ASCII-armored PGP message, 409 if its client-chosen uuid was used.
   */
  @POST
  @Path("sources/{source}/replies")
  @Consumes(MediaType.WILDCARD)
  public Response postReply(
      @HeaderParam("Authorization") String authorization,
      @PathParam("source") String uuid,
      String body) {
    return withSource(
        authorization,
        uuid,
        (c, s) -> {
          JsonNode n = parse(body);
          if (n == null) {
            return error(400, "Bad Request", "Please send requests in valid JSON.");
          }
          String armored = n.path("reply").asText("");
          if (!armored.startsWith("-----BEGIN PGP MESSAGE-----")
              || !armored.strip().endsWith("-----END PGP MESSAGE-----")) {
            return error(400, "Bad Request", "You must encrypt replies client side");
          }
          String chosen = n.hasNonNull("uuid") ? n.get("uuid").asText() : null;
          if (chosen != null) {
            try {
              chosen = UUID.fromString(chosen).toString();
            } catch (IllegalArgumentException e) {
              return error(400, "Bad Request", "Invalid UUID");
            }
            if (conversations.replyUuidTaken(chosen)) {
              return error(409, "Conflict", "That UUID is already in use.");
            }
          }
          Reply r;
          try {
            r =
                replies.storeReply(
                    s.filesystemId,
                    c.journalist(),
                    armored.getBytes(StandardCharsets.US_ASCII),
                    null,
                    chosen);
          } catch (IOException e) {
            return error(500, "Internal Server Error", "The reply could not be stored");
          }
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("filename", r.filename);
          m.put("message", "Your reply has been stored");
          m.put("uuid", r.uuid);
          return Response.status(201).entity(m).build();
        });
  }

  // ---- seen and users ----

  @POST
  @Path("seen")
  @Consumes(MediaType.WILDCARD)
  public Response seen(@HeaderParam("Authorization") String authorization, String body) {
    return authed(
        authorization,
        c -> {
          JsonNode n = parse(body);
          if (n == null) {
            return error(400, "Bad Request", "Please send requests in valid JSON.");
          }
          List<String> submissions = new ArrayList<>();
          List<String> replyIds = new ArrayList<>();
          for (String field : List.of("files", "messages", "replies")) {
            JsonNode arr = n.get(field);
            if (arr == null) {
              continue;
            }
            if (!arr.isArray() || arr.size() > MAX_SEEN_ITEMS) {
              return error(400, "Bad Request", "Please send requests in valid JSON.");
            }
            arr.forEach(x -> (field.equals("replies") ? replyIds : submissions).add(x.asText()));
          }
          if (!conversations.markSeen(c.journalist(), submissions, replyIds)) {
            return error(404, "Not Found", "file, message or reply not found");
          }
          return message(200, "resources marked seen");
        });
  }

  @GET
  @Path("user")
  public Response user(@HeaderParam("Authorization") String authorization) {
    return authed(
        authorization,
        c -> {
          Journalist j = c.journalist();
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("first_name", j.firstName);
          m.put("is_admin", j.admin);
          m.put("last_login", j.lastAccess == null ? null : ISO.format(j.lastAccess));
          m.put("last_name", j.lastName);
          m.put("username", j.username);
          m.put("uuid", j.uuid);
          return Response.ok(m).build();
        });
  }

  @GET
  @Path("users")
  public Response users(@HeaderParam("Authorization") String authorization) {
    return authed(
        authorization,
        c -> {
          List<Map<String, Object>> out = new ArrayList<>();
          for (Journalist j : journalists.all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("first_name", j.firstName);
            m.put("last_name", j.lastName);
            m.put("username", j.username);
            m.put("uuid", j.uuid);
            out.add(m);
          }
          return Response.ok(Map.of("users", out)).build();
        });
  }
}
