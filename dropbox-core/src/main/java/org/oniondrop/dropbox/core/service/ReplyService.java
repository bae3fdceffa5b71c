package org.oniondrop.dropbox.core.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.oniondrop.crypto.pgp.PgpException;
import org.oniondrop.crypto.pgp.SourceKeys;
import org.oniondrop.dropbox.core.persistence.Reply;
import org.oniondrop.dropbox.core.persistence.ReplyRepository;
import org.oniondrop.dropbox.core.persistence.Source;
import org.oniondrop.dropbox.core.persistence.SourceRepository;
import org.oniondrop.dropbox.core.store.EncryptedStore;

/** Replies as a source sees them: decrypted with its reply key, and really deletable. */
@ApplicationScoped
public class ReplyService {

  @Inject SubmissionKeys submissionKeys;
  @Inject EncryptedStore store;
  @Inject EntityManager em;
  @Inject SourceRepository sourceRows;
  @Inject ReplyRepository replyRows;
  @Inject java.time.Clock clock;
  @Inject StoreDeletions deletions;

  private record EncryptedStoreResult(String filename, long size, String sha256) {}

  /** A reply decrypted for its source. */
  public record DecryptedReply(String uuid, Instant createdAt, String text) {}

  @Transactional
  public List<DecryptedReply> repliesFor(String sourceId, char[] replyPassphrase) {
    List<Reply> replies = replyRows.findVisibleToSource(sourceId);
    if (replies.isEmpty()) {
      return List.of();
    }
    Source source = replies.get(0).source;
    List<DecryptedReply> out = new ArrayList<>();
    for (Reply r : replies) {
      try {
        byte[] ciphertext = Files.readAllBytes(store.path(sourceId, r.filename));
        byte[] plain = SourceKeys.decryptReply(source.replySecretKey, replyPassphrase, ciphertext);
        out.add(new DecryptedReply(r.uuid, r.createdAt, new String(plain, StandardCharsets.UTF_8)));
      } catch (IOException | PgpException e) {
        out.add(new DecryptedReply(r.uuid, r.createdAt, null));
      }
    }
    return out;
  }

  /**
   * A source deletes a reply it has read: the ciphertext is overwritten and unlinked (so the
   * codename no longer opens it anywhere on the server), but the row stays, flagged, so journalists
   * keep the conversation's history as SecureDrop shows it ({@code is_deleted_by_source}).
   */
  @Transactional
  public boolean deleteReplyForSource(String sourceId, String replyUuid) {
    Optional<Reply> found = replyRows.findVisibleToSource(sourceId, replyUuid);
    if (found.isEmpty()) {
      return false;
    }
    Reply reply = found.get();
    deletions.deleteOnCommit(sourceId, reply.filename);
    reply.deletedBySource = true;
    return true;
  }

  /** Deletes a reply for good (file overwritten and unlinked, row removed). */
  @Transactional
  public boolean deleteReply(String sourceId, String replyUuid) {
    Optional<Reply> found = replyRows.findBySourceIdAndUuid(sourceId, replyUuid);
    if (found.isEmpty()) {
      return false;
    }
    Reply reply = found.get();
    deletions.deleteOnCommit(sourceId, reply.filename);
    em.remove(reply);
    return true;
  }

  /**
   * Encrypts {@code text} to [source key, submission key] and stores it as a reply (used by the
   * journalist interface, and by tests here), with no author; returns the reply's uuid.
   */
  @Transactional
  public String storeReply(String sourceId, byte[] ciphertextOrNull, String text)
      throws IOException {
    return storeReply(sourceId, null, ciphertextOrNull, text, null).uuid;
  }

  /**
   * Stores a reply from {@code journalist}: {@code text} is encrypted here, or {@code
   * ciphertextOrNull} (already encrypted by an API client) is stored as given, under {@code
   * uuidOrNull} when the client chose one.
   */
  @Transactional
  Reply storeReply(
      String sourceId,
      org.oniondrop.dropbox.core.persistence.Journalist journalist,
      byte[] ciphertextOrNull,
      String text,
      String uuidOrNull)
      throws IOException {
    Source source = sourceRows.lockByFilesystemId(sourceId);
    byte[] ciphertext = ciphertextOrNull;
    if (ciphertext == null) {
      try {
        ciphertext =
            SourceKeys.encryptReply(
                text.getBytes(StandardCharsets.UTF_8),
                org.oniondrop.crypto.pgp.EncryptionCertificate.parse(source.replyPublicKey),
                submissionKeys.current());
      } catch (org.oniondrop.crypto.pgp.KeyRejectedException e) {
        throw new IOException("the source's reply key is unusable", e);
      }
    }
    int n = source.interactionCount + 1;
    String filename = n + "-" + FileNames.journalistFilename(source.designation) + "-reply.gpg";
    var write = store.begin(sourceId);
    EncryptedStoreResult stored;
    try {
      write.stream().write(ciphertext);
      var committed = write.commit(filename);
      stored = new EncryptedStoreResult(committed.filename(), committed.size(), committed.sha256());
    } catch (IOException | RuntimeException e) {
      write.abort();
      throw e;
    }
    Reply reply = new Reply();
    reply.uuid = uuidOrNull != null ? uuidOrNull : java.util.UUID.randomUUID().toString();
    reply.journalist = journalist;
    reply.source = source;
    reply.filename = stored.filename();
    reply.size = stored.size();
    reply.sha256 = stored.sha256();
    reply.encryptedTo = submissionKeys.current().fingerprint().hex();
    reply.createdAt = clock.instant();
    reply.deletedBySource = false;
    em.persist(reply);
    source.interactionCount = n;
    return reply;
  }
}
