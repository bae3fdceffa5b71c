package org.oniondrop.dropbox.journalist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import org.oniondrop.crypto.kdf.Argon2idParameters;
import org.oniondrop.crypto.kdf.KdfPolicy;
import org.oniondrop.crypto.passphrase.PassphraseHasher;
import org.oniondrop.crypto.pgp.EncryptionCertificate;
import org.oniondrop.dropbox.core.persistence.Journalist;
import org.oniondrop.dropbox.core.persistence.Reply;
import org.oniondrop.dropbox.core.persistence.SeenReply;
import org.oniondrop.dropbox.core.persistence.SeenSubmission;
import org.oniondrop.dropbox.core.persistence.Source;
import org.oniondrop.dropbox.core.persistence.Submission;
import org.oniondrop.dropbox.core.service.FileNames;
import org.oniondrop.dropbox.core.service.SubmissionKeys;
import org.oniondrop.dropbox.core.store.EncryptedStore;

/**
 * Loads the SecureDrop Inbox's server-test fixtures ({@code app/server_tests/data/data.yaml} of
 * freedomofpress/securedrop-client, with its keys/ and items/) into OnionDrop, as SecureDrop's dev
 * server loads them with {@code USE_FIXED_DATA}: the same journalists (uuids, passphrases, TOTP
 * secret), sources (uuids, designations, keys, last_updated) and items (uuids, ciphertexts, who has
 * seen them).
 *
 * <p>Test code only: it lives in the test sources, so it is never in a package an operator runs,
 * and it writes straight to the database, bypassing every rule the services enforce.
 */
@ApplicationScoped
public class InboxFixtures {

  private static final DateTimeFormatter SD_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

  @Inject EntityManager em;
  @Inject SubmissionKeys submissionKeys;
  @Inject EncryptedStore store;

  /** Loads {@code dataDir/data.yaml}; a second load of the same data does nothing. */
  @Transactional
  public void load(Path dataDir) throws Exception {
    load(dataDir, submissionKeys.current().fingerprint().hex());
  }

  /**
   * Loads {@code dataDir/data.yaml}, recording its items as encrypted to {@code
   * submissionFingerprint} (the Inbox's fixtures are encrypted to SecureDrop's test submission key,
   * not to this instance's); a second load of the same data does nothing.
   */
  @Transactional
  public void load(Path dataDir, String submissionFingerprint) throws Exception {
    JsonNode root =
        new ObjectMapper(new YAMLFactory()).readTree(dataDir.resolve("data.yaml").toFile());
    if (!em.createQuery("select j from Journalist j where j.uuid = :u")
        .setParameter("u", root.path("journalists").get(0).path("uuid").asText())
        .getResultList()
        .isEmpty()) {
      return;
    }
    // SecureDrop's own parameters, so that a server with the production KDF policy (the packaged
    // application that inbox-server-tests.sh starts on these data) accepts the hashes.
    PassphraseHasher hasher =
        new PassphraseHasher(
            Argon2idParameters.SECUREDROP_JOURNALIST, KdfPolicy.PRODUCTION, new SecureRandom());
    Map<String, Journalist> people = new HashMap<>();
    for (JsonNode j : root.path("journalists")) {
      Journalist row = new Journalist();
      row.uuid = j.path("uuid").asText();
      row.username = j.path("username").asText();
      row.firstName = j.path("first_name").isTextual() ? j.get("first_name").asText() : null;
      row.lastName = j.path("last_name").isTextual() ? j.get("last_name").asText() : null;
      row.passphraseHash = hasher.hash(j.path("passphrase").asText().toCharArray());
      row.admin = j.path("is_admin").asInt() == 1;
      row.totpSecret = j.path("otp_secret").asText();
      row.createdAt = time(j.path("created_on").asText());
      em.persist(row);
      people.put(row.uuid, row);
    }
    em.flush();
    SecureRandom random = new SecureRandom();
    String base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    for (JsonNode s : root.path("sources")) {
      Source src = new Source();
      src.uuid = s.path("uuid").asText();
      StringBuilder fs = new StringBuilder();
      for (int i = 0; i < 52; i++) {
        fs.append(base32.charAt(random.nextInt(32)));
      }
      src.filesystemId = fs.toString();
      src.designation = s.path("journalist_designation").asText();
      src.lastUpdated = time(s.path("last_updated").asText());
      src.createdAt = src.lastUpdated;
      src.pending = false;
      src.starred = false;
      // Kept as SecureDrop stores it, the armored text (checked to be a valid certificate): the
      // API serves such a key verbatim, so the records equal SecureDrop's for the same data.
      byte[] armored = Files.readAllBytes(dataDir.resolve(s.path("pgp_public_key").asText()));
      EncryptionCertificate.parse(armored);
      src.replyPublicKey = armored;
      src.replySecretKey = Files.readAllBytes(dataDir.resolve(s.path("pgp_secret_key").asText()));
      src.replyKeyFingerprint = s.path("pgp_fingerprint").asText();
      src.interactionCount = 0;
      em.persist(src);
      em.flush();
      String name = FileNames.journalistFilename(src.designation);
      for (JsonNode item : s.path("items")) {
        int n = ++src.interactionCount;
        String kind = item.path("kind").asText();
        String suffix =
            switch (kind) {
              case "message" -> "msg.gpg";
              case "file" -> "doc.gz.gpg";
              default -> "reply.gpg";
            };
        byte[] ciphertext =
            Files.readAllBytes(dataDir.resolve(item.path("encrypted_file").asText()));
        var stored = store(src.filesystemId, n + "-" + name + "-" + suffix, ciphertext);
        if (kind.equals("reply")) {
          Reply r = new Reply();
          r.uuid = item.path("uuid").asText();
          r.source = src;
          r.journalist = people.get(item.path("journalist_uuid").asText());
          r.filename = stored.filename();
          r.size = stored.size();
          r.sha256 = stored.sha256();
          r.encryptedTo = submissionFingerprint;
          r.deletedBySource = item.path("deleted_by_source").asBoolean(false);
          r.createdAt = src.lastUpdated;
          em.persist(r);
          em.flush();
          for (JsonNode who : item.path("seen_by")) {
            em.persist(new SeenReply(r.id, people.get(who.asText()).id));
          }
        } else {
          Submission x = new Submission();
          x.uuid = item.path("uuid").asText();
          x.source = src;
          x.filename = stored.filename();
          x.kind = kind.equals("file") ? Submission.Kind.document : Submission.Kind.message;
          x.size = stored.size();
          x.sha256 = stored.sha256();
          x.encryptedTo = submissionFingerprint;
          x.createdAt = src.lastUpdated;
          x.downloaded = item.path("downloaded").asInt() == 1;
          em.persist(x);
          em.flush();
          for (JsonNode who : item.path("seen_by")) {
            em.persist(new SeenSubmission(x.id, people.get(who.asText()).id));
          }
        }
      }
    }
  }

  private org.oniondrop.dropbox.core.store.EncryptedStore.Stored store(
      String sourceId, String filename, byte[] ciphertext) throws IOException {
    var write = store.begin(sourceId);
    try {
      OutputStream out = write.stream();
      out.write(ciphertext);
      return write.commit(filename);
    } catch (IOException | RuntimeException e) {
      write.abort();
      throw e;
    }
  }

  private static java.time.Instant time(String sd) {
    return LocalDateTime.parse(sd, SD_TIME).toInstant(ZoneOffset.UTC);
  }
}
