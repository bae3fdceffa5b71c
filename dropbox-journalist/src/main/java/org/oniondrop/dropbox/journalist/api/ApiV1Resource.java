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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.oniondrop.crypto.pgp.EncryptionCertificate;
import org.oniondrop.crypto.pgp.KeyRejectedException;
import org.oniondrop.dropbox.core.service.ApiReads;
import org.oniondrop.dropbox.core.service.ConversationService;
import org.oniondrop.dropbox.core.service.JournalistService;
import org.oniondrop.dropbox.core.view.ApiRows.JournalistRow;
import org.oniondrop.dropbox.core.view.ApiRows.ReplyRow;
import org.oniondrop.dropbox.core.view.ApiRows.SourceRow;
import org.oniondrop.dropbox.core.view.ApiRows.SubmissionRow;
import org.oniondrop.dropbox.core.view.JournalistView;
import org.oniondrop.dropbox.journalist.session.JournalistSession;
import org.oniondrop.dropbox.journalist.session.JournalistSessions;
import org.oniondrop.dropbox.journalist.web.Auth;
import org.oniondrop.dropbox.journalist.web.CurrentJournalist;
import org.oniondrop.dropbox.journalist.web.JournalistGate;

/**
 * {@code /api/v1}: SecureDrop's Journalist API, to the byte where a client can tell (status codes,
 * JSON bodies and their key order, error texts, header spellings, timestamp format). The behaviour
 * follows securedrop/journalist_app/api.py; the few deliberate departures are listed in
 * docs/journalist-guide.md.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "Journalist API v1")
@JournalistGate(credentials = JournalistGate.Credentials.API_TOKEN)
public class ApiV1Resource {

  /** The most uuids one {@code POST /seen} may name in all (a client marks a page at a time). */
  static final int MAX_SEEN_ITEMS = 10_000;

  static final String BASE = "/api/v1";

  /** A UUID as SecureDrop's clients send them (8-4-4-4-12 hex). */
  static final Pattern UUID_TEXT =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  static final String MALFORMED = "malformed request";

  @Inject JournalistSessions sessions;
  @Inject JournalistService journalists;
  @Inject ConversationService conversations;
  @Inject ApiReads reads;
  @Inject ApiIndex index;
  @Inject ObjectMapper json;
  @Inject CurrentJournalist current;

  // ---- request plumbing ----

  /**
   * Runs {@code body} for the caller the journalist gate ({@link JournalistGate}, API_TOKEN) found
   * for this request's token; a request without a valid token never gets here (SecureDrop's 403).
   */
  private Response authed(Function<Auth.Caller, Response> body) {
    return body.apply(current.require());
  }

  private Response withSource(
      String uuid, java.util.function.BiFunction<Auth.Caller, SourceRow, Response> body) {
    return authed(
        c -> reads.source(uuid).map(s -> body.apply(c, s)).orElseGet(ApiErrors::notFound));
  }

  /**
   * One item (submission or reply) of a source, looked up by {@code find} from the source's id and
   * the item's uuid, and answered by {@code answer}: an unknown source or item is SecureDrop's 404.
   */
  private <R> Response withItem(
      String uuid,
      String item,
      java.util.function.BiFunction<Long, String, Optional<R>> find,
      java.util.function.BiFunction<SourceRow, R, Response> answer) {
    return withSource(
        uuid,
        (c, s) ->
            find.apply(s.id(), item).map(x -> answer.apply(s, x)).orElseGet(ApiErrors::notFound));
  }

  /** Every row as its JSON, with the users who have seen it, in the order the rows came. */
  private static <R, J> List<J> listJson(
      Map<Long, List<String>> seen,
      List<R> rows,
      java.util.function.ToLongFunction<R> id,
      java.util.function.BiFunction<R, List<String>, J> json) {
    List<J> out = new ArrayList<>();
    for (R row : rows) {
      out.add(json.apply(row, seen.get(id.applyAsLong(row))));
    }
    return out;
  }

  /** What SecureDrop's before_request hook leaves of a POST body: parsed JSON, or a refusal. */
  record Body(JsonNode node, Response refusal) {}

  /**
   * SecureDrop checks every POST body before the route runs: empty is refused unless the route
   * takes none (stars, flag, logout), and anything present must parse as JSON.
   */
  Body body(byte[] raw, boolean mayBeEmpty) {
    if (raw == null || raw.length == 0) {
      return mayBeEmpty ? new Body(null, null) : new Body(null, ApiErrors.badRequest(MALFORMED));
    }
    JsonNode n = ApiBodies.parse(json, raw);
    return n == null ? new Body(null, ApiErrors.badRequest(MALFORMED)) : new Body(n, null);
  }

  /** The API's answer to a refused body. */
  static Response refusal(ApiBodies.Refusal r) {
    return ApiErrors.error(r.status(), r.message());
  }

  /** Flask's {@code request.json} is None unless the body was sent as JSON. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String t = contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
    return t.equals("application/json") || (t.startsWith("application/") && t.endsWith("+json"));
  }

  // ---- endpoints ----

  @GET
  @Path("/")
  @JournalistGate.Open
  @Operation(summary = "Endpoint map")
  public Response root() {
    return ApiJson.ok(
        new ApiJson.Endpoints(
            BASE + "/users",
            BASE + "/token",
            BASE + "/user",
            BASE + "/replies",
            BASE + "/seen",
            BASE + "/sources",
            BASE + "/submissions"));
  }

  @POST
  @Path("token")
  @JournalistGate.Open
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Log in: username, passphrase, one_time_code -> token and sync hints")
  public Response token(byte[] raw) {
    Body b = body(raw, false);
    if (b.refusal() != null) {
      return b.refusal();
    }
    ApiBodies.Checked<ApiBodies.Login> fields = ApiBodies.login(b.node());
    if (fields.refusal() != null) {
      return refusal(fields.refusal());
    }
    ApiBodies.Login login = fields.value();
    char[] pass = login.passphrase().toCharArray();
    JournalistService.LoginResult r;
    try {
      r = journalists.login(login.username(), pass, login.oneTimeCode());
    } catch (org.oniondrop.dropbox.core.admission.ServerBusyException busy) {
      // The passphrase-hash gate is full: come back later (a JSON 503 with Retry-After).
      return Response.fromResponse(
              ApiErrors.error(503, "The server is busy. Please try again in a few seconds."))
          .header("Retry-After", busy.retryAfterSeconds())
          .build();
    } finally {
      JournalistService.wipe(pass);
    }
    if (r.failure() != null) {
      return ApiErrors.error(403, "Token authentication failed.");
    }
    JournalistView j = r.journalist();
    JournalistSession s = sessions.create(j.uuid(), JournalistSession.Kind.API_TOKEN);
    ApiIndex.Snapshot snap = index.snapshot();
    return ApiJson.ok(
        new ApiJson.Token(
            ApiTime.format(sessions.expiration(s)),
            new ApiJson.Hints(snap.items().size(), snap.sources().size(), snap.version()),
            j.firstName(),
            j.lastName(),
            j.uuid(),
            s.id()));
  }

  @POST
  @Path("logout")
  @Consumes(MediaType.WILDCARD)
  public Response logout(byte[] raw) {
    return authed(
        c -> {
          Body b = body(raw, true);
          if (b.refusal() != null) {
            return b.refusal();
          }
          sessions.revoke(c.session());
          return ApiJson.ok(new ApiJson.Message("Your token has been revoked."));
        });
  }

  // ---- sources ----

  ApiJson.SourceJson sourceJson(SourceRow s, Map<Long, long[]> counts) {
    long[] c = counts.getOrDefault(s.id(), new long[2]);
    String url = BASE + "/sources/" + s.uuid();
    return new ApiJson.SourceJson(
        url + "/add_star",
        s.interactionCount(),
        false,
        s.starred(),
        s.designation(),
        new ApiJson.Key(s.fingerprint(), armored(s.publicKey()), "PGP"),
        ApiTime.format(s.lastUpdated()),
        c[1],
        c[0],
        url + "/remove_star",
        url + "/replies",
        url + "/submissions",
        url,
        s.uuid());
  }

  static String armored(byte[] cert) {
    try {
      EncryptionCertificate parsed = EncryptionCertificate.parse(cert);
      if (isArmored(cert)) {
        // Kept as it was given (a key imported from SecureDrop, which stores the armored text):
        // served verbatim without the final line break, as SecureDrop serves its stored text.
        return new String(cert, StandardCharsets.US_ASCII).stripTrailing();
      }
      return parsed.armored();
    } catch (KeyRejectedException e) {
      return null;
    }
  }

  private static final byte[] ARMOR_HEADER =
      "-----BEGIN PGP PUBLIC KEY BLOCK-----".getBytes(StandardCharsets.US_ASCII);

  /** Whether a stored key is ASCII-armored text (printable ASCII and line breaks only). */
  static boolean isArmored(byte[] cert) {
    if (cert.length < ARMOR_HEADER.length
        || !java.util.Arrays.equals(
            cert, 0, ARMOR_HEADER.length, ARMOR_HEADER, 0, ARMOR_HEADER.length)) {
      return false;
    }
    for (byte b : cert) {
      if (b != '\n' && b != '\r' && (b < 0x20 || b > 0x7e)) {
        return false;
      }
    }
    return true;
  }

  @GET
  @Path("sources")
  public Response sources() {
    return authed(
        c -> {
          Map<Long, long[]> counts = reads.counts();
          List<ApiJson.SourceJson> out = new ArrayList<>();
          for (SourceRow s : reads.sources()) {
            out.add(sourceJson(s, counts));
          }
          return ApiJson.ok(new ApiJson.Sources(out));
        });
  }

  @GET
  @Path("sources/{source}")
  public Response source(@PathParam("source") String uuid) {
    return withSource(uuid, (c, s) -> ApiJson.ok(sourceJson(s, reads.counts())));
  }

  @DELETE
  @Path("sources/{source}")
  public Response deleteSource(@PathParam("source") String uuid) {
    return withSource(
        uuid,
        (c, s) -> {
          conversations.deleteSource(s.uuid());
          return ApiJson.ok(new ApiJson.Message("Source and submissions deleted"));
        });
  }

  @POST
  @Path("sources/{source}/add_star")
  @Consumes(MediaType.WILDCARD)
  public Response addStar(@PathParam("source") String uuid, byte[] raw) {
    return authed(
        c -> {
          Body b = body(raw, true);
          if (b.refusal() != null) {
            return b.refusal();
          }
          if (reads.source(uuid).isEmpty()) {
            return ApiErrors.notFound();
          }
          conversations.star(uuid, true);
          return ApiJson.json(201, new ApiJson.Message("Star added"));
        });
  }

  @DELETE
  @Path("sources/{source}/remove_star")
  public Response removeStar(@PathParam("source") String uuid) {
    return withSource(
        uuid,
        (c, s) -> {
          conversations.star(uuid, false);
          return ApiJson.ok(new ApiJson.Message("Star removed"));
        });
  }

  /** Flagging was removed from SecureDrop; the route stays for old clients and does nothing. */
  @POST
  @Path("sources/{source}/flag")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Kept for SecureDrop clients; flagging was removed and does nothing")
  public Response flag(@PathParam("source") String uuid, byte[] raw) {
    return authed(
        c -> {
          Body b = body(raw, true);
          if (b.refusal() != null) {
            return b.refusal();
          }
          return ApiJson.ok(new ApiJson.Message("Sources no longer need to be flagged for reply"));
        });
  }

  @DELETE
  @Path("sources/{source}/conversation")
  public Response deleteConversation(@PathParam("source") String uuid) {
    return withSource(
        uuid,
        (c, s) -> {
          conversations.deleteConversation(s.uuid());
          return ApiJson.ok(new ApiJson.Message("Source data deleted"));
        });
  }

  // ---- submissions ----

  static ApiJson.SubmissionJson submissionJson(SubmissionRow x, List<String> seenBy) {
    String sourceUrl = BASE + "/sources/" + x.sourceUuid();
    String url = sourceUrl + "/submissions/" + x.uuid();
    List<String> seen = seenBy == null ? List.of() : seenBy;
    return new ApiJson.SubmissionJson(
        url + "/download",
        x.filename(),
        x.document(),
        !x.document(),
        x.downloaded() || !seen.isEmpty(),
        seen,
        x.size(),
        sourceUrl,
        url,
        x.uuid());
  }

  private Response submissionList(Long sourceId) {
    return ApiJson.ok(
        new ApiJson.Submissions(
            listJson(
                reads.submissionSeenBy(sourceId),
                reads.submissions(sourceId),
                SubmissionRow::id,
                ApiV1Resource::submissionJson)));
  }

  @GET
  @Path("sources/{source}/submissions")
  public Response sourceSubmissions(@PathParam("source") String uuid) {
    return withSource(uuid, (c, s) -> submissionList(s.id()));
  }

  @GET
  @Path("submissions")
  public Response allSubmissions() {
    return authed(c -> submissionList(null));
  }

  @GET
  @Path("sources/{source}/submissions/{submission}")
  public Response submission(
      @PathParam("source") String uuid, @PathParam("submission") String sub) {
    return withItem(
        uuid,
        sub,
        reads::submission,
        (s, x) -> ApiJson.ok(submissionJson(x, reads.submissionSeenBy(s.id()).get(x.id()))));
  }

  @DELETE
  @Path("sources/{source}/submissions/{submission}")
  public Response deleteSubmission(
      @PathParam("source") String uuid, @PathParam("submission") String sub) {
    return deleteItem(
        uuid,
        source -> conversations.deleteSubmissions(source, List.of(sub)) != 0,
        "Submission deleted");
  }

  /**
   * Deletes one item of a source with {@code delete} (true when it was there): {@code message} on
   * success, SecureDrop's 404 for an unknown source or item.
   */
  private Response deleteItem(
      String uuid, java.util.function.Predicate<String> delete, String message) {
    return withSource(
        uuid,
        (c, s) ->
            delete.test(s.uuid())
                ? ApiJson.ok(new ApiJson.Message(message))
                : ApiErrors.notFound());
  }

  /** SecureDrop's API download does not mark the item seen: clients say so with {@code /seen}. */
  @GET
  @Path("sources/{source}/submissions/{submission}/download")
  @Produces(MediaType.WILDCARD)
  public Response downloadSubmission(
      @HeaderParam("Range") String range,
      @PathParam("source") String uuid,
      @PathParam("submission") String sub) {
    return withItem(
        uuid, sub, reads::submission, (s, x) -> download(s, x.filename(), x.sha256(), range));
  }

  private Response download(SourceRow s, String filename, String sha256, String range) {
    try {
      return ApiDownload.file(conversations.file(s.uuid(), filename), sha256, filename, range);
    } catch (IOException e) {
      return ApiErrors.notFound();
    }
  }

  // ---- replies ----

  ApiJson.ReplyJson replyJson(ReplyRow r, List<String> seenBy, Map<Long, JournalistRow> people) {
    String sourceUrl = BASE + "/sources/" + r.sourceUuid();
    JournalistRow author = r.journalistId() == null ? null : people.get(r.journalistId());
    if (author == null) {
      author = reads.deletedUser();
    }
    return new ApiJson.ReplyJson(
        r.filename(),
        r.deletedBySource(),
        author.firstName() == null ? "" : author.firstName(),
        author.lastName() == null ? "" : author.lastName(),
        author.username(),
        author.uuid(),
        sourceUrl + "/replies/" + r.uuid(),
        seenBy == null ? List.of() : seenBy,
        r.size(),
        sourceUrl,
        r.uuid());
  }

  private Response replyList(Long sourceId) {
    Map<Long, List<String>> seen = reads.replySeenBy(sourceId);
    Map<Long, JournalistRow> people = reads.journalistsById();
    return ApiJson.ok(
        new ApiJson.Replies(
            listJson(
                seen,
                reads.replies(sourceId),
                ReplyRow::id,
                (r, seenBy) -> replyJson(r, seenBy, people))));
  }

  @GET
  @Path("sources/{source}/replies")
  public Response sourceReplies(@PathParam("source") String uuid) {
    return withSource(uuid, (c, s) -> replyList(s.id()));
  }

  @GET
  @Path("replies")
  public Response allReplies() {
    return authed(c -> replyList(null));
  }

  @GET
  @Path("sources/{source}/replies/{reply}")
  public Response reply(@PathParam("source") String uuid, @PathParam("reply") String reply) {
    return withItem(
        uuid,
        reply,
        reads::reply,
        (s, r) ->
            ApiJson.ok(
                replyJson(r, reads.replySeenBy(s.id()).get(r.id()), reads.journalistsById())));
  }

  @DELETE
  @Path("sources/{source}/replies/{reply}")
  public Response deleteReply(@PathParam("source") String uuid, @PathParam("reply") String reply) {
    return deleteItem(uuid, source -> conversations.deleteReply(source, reply), "Reply deleted");
  }

  @GET
  @Path("sources/{source}/replies/{reply}/download")
  @Produces(MediaType.WILDCARD)
  public Response downloadReply(
      @HeaderParam("Range") String range,
      @PathParam("source") String uuid,
      @PathParam("reply") String reply) {
    return withItem(
        uuid, reply, reads::reply, (s, r) -> download(s, r.filename(), r.sha256(), range));
  }

  /**
   * Stores a reply the client already encrypted (to the source's key and the submission key),
   * checked in SecureDrop's order: source, JSON, {@code reply} present, non-empty, armored PGP,
   * then the client's uuid (valid, unused).
   */
  @POST
  @Path("sources/{source}/replies")
  @Consumes(MediaType.WILDCARD)
  public Response postReply(
      @HeaderParam("Content-Type") String contentType,
      @PathParam("source") String uuid,
      byte[] raw) {
    return authed(
        c -> {
          Body b = body(raw, false);
          if (b.refusal() != null) {
            return b.refusal();
          }
          Optional<SourceRow> source = reads.source(uuid);
          if (source.isEmpty()) {
            return ApiErrors.notFound();
          }
          if (!isJson(contentType)) {
            return ApiErrors.badRequest("please send requests in valid JSON");
          }
          ApiBodies.Checked<ApiBodies.ReplyBody> checked = ApiBodies.reply(b.node());
          if (checked.refusal() != null) {
            ApiBodies.Refusal no = checked.refusal();
            // SecureDrop answers an unencrypted reply with {"message": ...}, not an error body.
            return no.message().equals(ApiBodies.NOT_ENCRYPTED)
                ? ApiJson.json(400, new ApiJson.Message(no.message()))
                : refusal(no);
          }
          String armored = checked.value().armored();
          String chosen = checked.value().uuid();
          if (chosen != null) {
            if (reads.itemUuidTaken(chosen)) {
              return ApiErrors.error(409, "That UUID is already in use.");
            }
          }
          Optional<ConversationService.StoredReply> r =
              conversations.storeClientReply(
                  c.journalist(), uuid, armored.getBytes(StandardCharsets.US_ASCII), chosen);
          if (r.isEmpty()) {
            return ApiErrors.error(500, "The reply could not be stored.");
          }
          return ApiJson.json(
              201,
              new ApiJson.ReplyStored(
                  r.get().filename(), "Your reply has been stored", r.get().uuid()));
        });
  }

  // ---- seen and users ----

  /**
   * Marks files, messages and replies seen by the caller: all named items must exist and be of the
   * named kind, or nothing is marked (404 naming the first missing one).
   */
  @POST
  @Path("seen")
  @Consumes(MediaType.WILDCARD)
  public Response seen(@HeaderParam("Content-Type") String contentType, byte[] raw) {
    return authed(
        c -> {
          Body b = body(raw, false);
          if (b.refusal() != null) {
            return b.refusal();
          }
          if (!isJson(contentType)) {
            return ApiErrors.badRequest("Please send requests in valid JSON.");
          }
          ApiBodies.Checked<ApiBodies.Seen> checked = ApiBodies.seen(b.node());
          if (checked.refusal() != null) {
            return refusal(checked.refusal());
          }
          ApiBodies.Seen seen = checked.value();
          List<String> submissions = new ArrayList<>();
          List<String> replyIds = new ArrayList<>();
          for (String id : seen.files()) {
            Optional<SubmissionRow> x = reads.submissionByUuid(id);
            if (x.isEmpty() || !x.get().document()) {
              return ApiErrors.error(404, "file not found: " + id);
            }
            submissions.add(id);
          }
          for (String id : seen.messages()) {
            Optional<SubmissionRow> x = reads.submissionByUuid(id);
            if (x.isEmpty() || x.get().document()) {
              return ApiErrors.error(404, "message not found: " + id);
            }
            submissions.add(id);
          }
          for (String id : seen.replies()) {
            if (reads.replyByUuid(id).isEmpty()) {
              return ApiErrors.error(404, "reply not found: " + id);
            }
            replyIds.add(id);
          }
          conversations.markSeen(c.journalist(), submissions, replyIds);
          return ApiJson.ok(new ApiJson.Message("resources marked seen"));
        });
  }

  @GET
  @Path("user")
  public Response user() {
    return authed(
        c -> {
          JournalistView j = c.journalist();
          return ApiJson.ok(
              new ApiJson.User(
                  j.firstName(),
                  j.admin(),
                  ApiTime.format(j.lastAccess()),
                  j.lastName(),
                  j.username(),
                  j.uuid()));
        });
  }

  @GET
  @Path("users")
  public Response users() {
    return authed(
        c -> {
          List<ApiJson.UserBrief> out = new ArrayList<>();
          for (JournalistRow j : reads.journalists()) {
            out.add(new ApiJson.UserBrief(j.firstName(), j.lastName(), j.username(), j.uuid()));
          }
          return ApiJson.ok(new ApiJson.Users(out));
        });
  }
}
