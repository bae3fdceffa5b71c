package org.oniondrop.dropbox.journalist.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.oniondrop.dropbox.core.persistence.Journalist;
import org.oniondrop.dropbox.core.persistence.Reply;
import org.oniondrop.dropbox.core.service.ConversationService;
import org.oniondrop.dropbox.core.service.ReplyService;
import org.oniondrop.dropbox.journalist.api.ApiRepository.SourceRow;

/**
 * Storing a reply the client already encrypted, the one way both API versions do it (v1's {@code
 * POST .../replies}, v2's {@code reply_sent} event): stored as its author's, then marked seen by
 * the author (SecureDrop adds a SeenReply with it). The callers check the source, the armor and the
 * uuid first, each in its own API's order and wording.
 */
@ApplicationScoped
class ClientReplies {

  @Inject ReplyService replies;
  @Inject ConversationService conversations;

  /** The stored reply; empty when it could not be written (nothing is kept then). */
  Optional<Reply> store(Journalist author, SourceRow source, String armored, String uuid) {
    Reply r;
    try {
      r =
          replies.storeReply(
              source.filesystemId(),
              author,
              armored.getBytes(StandardCharsets.US_ASCII),
              null,
              uuid);
    } catch (IOException e) {
      return Optional.empty();
    }
    conversations.markSeen(author, List.of(), List.of(r.uuid));
    return Optional.of(r);
  }
}
