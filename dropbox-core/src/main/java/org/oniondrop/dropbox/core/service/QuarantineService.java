package org.oniondrop.dropbox.core.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.oniondrop.dropbox.core.persistence.Reply;
import org.oniondrop.dropbox.core.persistence.Source;
import org.oniondrop.dropbox.core.persistence.SourceRepository;
import org.oniondrop.dropbox.core.persistence.Submission;
import org.oniondrop.dropbox.core.store.EncryptedStore;
import org.oniondrop.dropbox.core.store.Quarantine;
import org.oniondrop.dropbox.core.store.StoreException;

/**
 * The admin's decisions about quarantined ciphertext ({@code oniondrop store quarantine}): restore
 * an orphan to its source (the directory names the source id, the file name its number and kind),
 * or purge an entry. Only an admin's command calls this; nothing here runs on its own.
 */
@ApplicationScoped
public class QuarantineService {

  /** Why a restore was refused; the command prints it. */
  public static final class RestoreRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    RestoreRefusedException(String message) {
      super(message);
    }
  }

  /** Stand-in for {@code encrypted_to} when the file's recipient is not the current key. */
  public static final String UNKNOWN_RECIPIENT_PREFIX = "keyid:";

  @Inject SubmissionKeys submissionKeys;
  @Inject EncryptedStore store;
  @Inject EntityManager em;
  @Inject SourceRepository sourceRows;
  @Inject Clock clock;
  @Inject DatabaseDurability durability;

  public List<Quarantine.Entry> list() {
    return store.quarantine().list();
  }

  /**
   * Re-attaches an orphan to its source: the file moves back into the store, then a row is
   * committed for it (size, SHA-256 and recipient read from the file); the source's counter is
   * raised past its number so no later file takes the name.
   */
  public void restore(Quarantine.Entry e) throws RestoreRefusedException {
    if (e.deleted()) {
      throw new RestoreRefusedException(
          "a journalist deleted this file (the crash came before it was destroyed): purge it");
    }
    Quarantine q = store.quarantine();
    String recipient;
    long size;
    String sha256;
    try {
      Path file = q.path(e);
      size = Files.size(file);
      sha256 = sha256(file);
      recipient = recipient(file);
    } catch (IOException ex) {
      throw new RestoreRefusedException("cannot read the file: " + ex.getClass().getSimpleName());
    }
    boolean known =
        QuarkusTransaction.requiringNew().call(() -> sourceRows.existsByFilesystemId(e.sourceId()));
    if (!known) {
      throw new RestoreRefusedException(
          "the database has no source with that id (restore the database that goes with this"
              + " store first)");
    }
    try {
      q.restore(e);
    } catch (StoreException ex) {
      throw new RestoreRefusedException(ex.getMessage());
    }
    try {
      QuarkusTransaction.requiringNew().run(() -> attach(e, size, sha256, recipient));
    } catch (RuntimeException ex) {
      q.undoRestore(e);
      throw new RestoreRefusedException(
          "the row could not be committed (the file is back in the quarantine): "
              + ex.getClass().getSimpleName());
    }
    durability.syncAfterCommit();
  }

  private void attach(Quarantine.Entry e, long size, String sha256, String recipient) {
    Source source = sourceRows.lockByFilesystemId(e.sourceId());
    long taken = sourceRows.countItemsNaming(source, e.filename());
    if (taken > 0) {
      throw new IllegalStateException("a row already names that file");
    }
    int n = Integer.parseInt(e.filename().substring(0, e.filename().indexOf('-')));
    java.time.Instant now = clock.instant();
    if (e.filename().endsWith("-reply.gpg")) {
      Reply r = new Reply();
      r.uuid = UUID.randomUUID().toString();
      r.source = source;
      r.journalist = null;
      r.filename = e.filename();
      r.size = size;
      r.sha256 = sha256;
      r.encryptedTo = recipient;
      r.deletedBySource = false;
      r.createdAt = now;
      em.persist(r);
    } else {
      Submission s = new Submission();
      s.uuid = UUID.randomUUID().toString();
      s.source = source;
      s.filename = e.filename();
      s.kind =
          e.filename().endsWith("-msg.gpg") ? Submission.Kind.message : Submission.Kind.document;
      s.size = size;
      s.sha256 = sha256;
      s.encryptedTo = recipient;
      s.createdAt = now;
      s.downloaded = false;
      em.persist(s);
      source.pending = false;
      source.lastUpdated = now;
    }
    if (n > source.interactionCount) {
      source.interactionCount = n;
    }
  }

  /** Destroys a quarantined file (overwrite, unlink): the admin's decision. */
  public void purge(Quarantine.Entry e) {
    store.quarantine().purge(e);
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException(ex);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * The fingerprint of the current submission key when the file is encrypted to its encryption
   * subkey, else {@code keyid:<hex>} of the first recipient (a rotated-away key), read from the
   * first public-key encrypted session key packet (RFC 9580 section 5.1).
   */
  private String recipient(Path file) throws IOException {
    String current =
        submissionKeys.isPresent() ? submissionKeys.current().fingerprint().hex() : null;
    String currentEnc =
        current == null
            ? null
            : submissionKeys.current().encryptionKeyFingerprint().hex().toLowerCase(Locale.ROOT);
    try (InputStream in =
        PGPUtil.getDecoderStream(new BufferedInputStream(Files.newInputStream(file)))) {
      Object first = new BcPGPObjectFactory(in).nextObject();
      if (first instanceof PGPEncryptedDataList list) {
        for (Object d : list) {
          if (d instanceof PGPPublicKeyEncryptedData pk) {
            String keyId = String.format("%016x", pk.getKeyID());
            if (currentEnc != null && currentEnc.endsWith(keyId)) {
              return current;
            }
            return UNKNOWN_RECIPIENT_PREFIX + keyId;
          }
        }
      }
    }
    return UNKNOWN_RECIPIENT_PREFIX + "unknown";
  }
}
