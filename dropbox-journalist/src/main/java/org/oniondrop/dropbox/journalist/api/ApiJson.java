package org.oniondrop.dropbox.journalist.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The Journalist API's JSON, as SecureDrop's Flask {@code jsonify} writes it: keys sorted, compact
 * separators, non-ASCII escaped as {@code \\uXXXX}, and a final newline. Every body is a record
 * below (bound by Jackson), so a field cannot be misspelt in one place and right in another.
 */
public final class ApiJson {

  private ApiJson() {}

  /** Flask's jsonify bytes: sorted keys (records carry alphabetic order), ASCII only. */
  private static final ObjectWriter WRITER =
      JsonMapper.builder()
          .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build()
          .writer();

  /** The bytes of {@code body} exactly as SecureDrop's jsonify would send them. */
  public static byte[] bytes(Object body) {
    try {
      return (WRITER.writeValueAsString(body) + "\n").getBytes(StandardCharsets.US_ASCII);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("API body not serialisable: " + body.getClass(), e);
    }
  }

  /** A JSON response with {@code status}. */
  public static Response json(int status, Object body) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(bytes(body))
        .build();
  }

  public static Response ok(Object body) {
    return json(200, body);
  }

  // ---- bodies ----

  /** {@code {"error", "message"}}: every abort() of SecureDrop's API. */
  @JsonPropertyOrder(alphabetic = true)
  public record Error(String error, String message) {}

  /** {@code {"message"}}. */
  public record Message(String message) {}

  /** {@code GET /api/v1/}. */
  @JsonPropertyOrder(alphabetic = true)
  public record Endpoints(
      @JsonProperty("all_users_url") String allUsersUrl,
      @JsonProperty("auth_token_url") String authTokenUrl,
      @JsonProperty("current_user_url") String currentUserUrl,
      @JsonProperty("replies_url") String repliesUrl,
      @JsonProperty("seen_url") String seenUrl,
      @JsonProperty("sources_url") String sourcesUrl,
      @JsonProperty("submissions_url") String submissionsUrl) {}

  /** The login hints of SecureDrop 2.15+ (API2.md "Sharding metadata"). */
  @JsonPropertyOrder(alphabetic = true)
  public record Hints(int items, int sources, String version) {}

  /** {@code POST /api/v1/token}. */
  @JsonPropertyOrder(alphabetic = true)
  public record Token(
      String expiration,
      Hints hints,
      @JsonProperty("journalist_first_name") String journalistFirstName,
      @JsonProperty("journalist_last_name") String journalistLastName,
      @JsonProperty("journalist_uuid") String journalistUuid,
      String token) {}

  /** A source's reply key. */
  @JsonPropertyOrder(alphabetic = true)
  public record Key(String fingerprint, @JsonProperty("public") String publicKey, String type) {}

  /** Source.to_json. */
  @JsonPropertyOrder(alphabetic = true)
  public record SourceJson(
      @JsonProperty("add_star_url") String addStarUrl,
      @JsonProperty("interaction_count") int interactionCount,
      @JsonProperty("is_flagged") boolean isFlagged,
      @JsonProperty("is_starred") boolean isStarred,
      @JsonProperty("journalist_designation") String journalistDesignation,
      Key key,
      @JsonProperty("last_updated") String lastUpdated,
      @JsonProperty("number_of_documents") long numberOfDocuments,
      @JsonProperty("number_of_messages") long numberOfMessages,
      @JsonProperty("remove_star_url") String removeStarUrl,
      @JsonProperty("replies_url") String repliesUrl,
      @JsonProperty("submissions_url") String submissionsUrl,
      String url,
      String uuid) {}

  public record Sources(List<SourceJson> sources) {}

  /** Submission.to_json. */
  @JsonPropertyOrder(alphabetic = true)
  public record SubmissionJson(
      @JsonProperty("download_url") String downloadUrl,
      String filename,
      @JsonProperty("is_file") boolean isFile,
      @JsonProperty("is_message") boolean isMessage,
      @JsonProperty("is_read") boolean isRead,
      @JsonProperty("seen_by") List<String> seenBy,
      long size,
      @JsonProperty("source_url") String sourceUrl,
      @JsonProperty("submission_url") String submissionUrl,
      String uuid) {}

  public record Submissions(List<SubmissionJson> submissions) {}

  /** Reply.to_json. */
  @JsonPropertyOrder(alphabetic = true)
  public record ReplyJson(
      String filename,
      @JsonProperty("is_deleted_by_source") boolean isDeletedBySource,
      @JsonProperty("journalist_first_name") String journalistFirstName,
      @JsonProperty("journalist_last_name") String journalistLastName,
      @JsonProperty("journalist_username") String journalistUsername,
      @JsonProperty("journalist_uuid") String journalistUuid,
      @JsonProperty("reply_url") String replyUrl,
      @JsonProperty("seen_by") List<String> seenBy,
      long size,
      @JsonProperty("source_url") String sourceUrl,
      String uuid) {}

  public record Replies(List<ReplyJson> replies) {}

  /** {@code POST /sources/<uuid>/replies} answer. */
  @JsonPropertyOrder(alphabetic = true)
  public record ReplyStored(String filename, String message, String uuid) {}

  /** Journalist.to_json(all_info=True): {@code last_login} may be null, so nulls are kept. */
  @JsonPropertyOrder(alphabetic = true)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record User(
      @JsonProperty("first_name") String firstName,
      @JsonProperty("is_admin") boolean isAdmin,
      @JsonProperty("last_login") String lastLogin,
      @JsonProperty("last_name") String lastName,
      String username,
      String uuid) {}

  /** Journalist.to_json(all_info=False). */
  @JsonPropertyOrder(alphabetic = true)
  public record UserBrief(
      @JsonProperty("first_name") String firstName,
      @JsonProperty("last_name") String lastName,
      String username,
      String uuid) {}

  public record Users(List<UserBrief> users) {}
}
