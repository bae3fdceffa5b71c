package org.oniondrop.dropbox.core.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.oniondrop.crypto.Passphrases;
import org.oniondrop.crypto.pgp.GeneratedKeyPair;
import org.oniondrop.crypto.pgp.SourceKeys;
import org.oniondrop.crypto.words.Codename;
import org.oniondrop.crypto.words.CodenameGenerator;
import org.oniondrop.crypto.words.Designations;
import org.oniondrop.dropbox.core.admission.ClientId;
import org.oniondrop.dropbox.core.admission.KdfGate;
import org.oniondrop.dropbox.core.persistence.Source;
import org.oniondrop.dropbox.core.persistence.SourceRepository;

/** Sources: creation from a codename, login, lookup. */
@ApplicationScoped
public class SourceService {

  /** Draws of a designation before accepting a duplicate (SecureDrop tries 50 times). */
  static final int DESIGNATION_ATTEMPTS = 50;

  @Inject SourceIdentity identity;
  @Inject CodenameGenerator codenames;
  @Inject Designations designations;
  @Inject KdfGate kdf;
  @Inject EntityManager em;
  @Inject SourceRepository sourceRows;
  @Inject Clock clock;

  /** What a logged-in source's session holds: derived values only, never the codename. */
  public record SourceCredentials(String sourceId, char[] replyPassphrase) {}

  /**
   * Derives the credentials of {@code codename} (memory-hard: about 50-100 ms) through the KDF
   * gate, on behalf of {@code client}.
   *
   * @throws org.oniondrop.dropbox.core.admission.ServerBusyException when the gate is full
   */
  public SourceCredentials derive(ClientId client, Codename codename) {
    return kdf.run(
        client,
        () ->
            new SourceCredentials(
                identity.sourceId(codename), identity.replyKeyPassphrase(codename)));
  }

  /** {@link #derive(ClientId, Codename)} for trusted callers (tests, commands). */
  public SourceCredentials derive(Codename codename) {
    return derive(ClientId.ANONYMOUS_CLIENT, codename);
  }

  /**
   * The source id of {@code codename} alone (one KDF run, through the gate), e.g. to check whether
   * a message holds its sender's codename.
   */
  public String sourceIdOf(ClientId client, Codename codename) {
    return kdf.run(client, () -> identity.sourceId(codename));
  }

  /**
   * Creates the source of a new codename with its reply key pair; pending until it first submits.
   */
  @Transactional
  public void createSource(SourceCredentials credentials) {
    if (findSource(credentials.sourceId()).isPresent()) {
      throw new IllegalStateException("a source with that id exists");
    }
    GeneratedKeyPair keys = SourceKeys.generate(credentials.replyPassphrase());
    Source source = new Source();
    source.uuid = UUID.randomUUID().toString();
    source.filesystemId = credentials.sourceId();
    source.designation = uniqueDesignation();
    Instant now = clock.instant();
    source.createdAt = now;
    source.lastUpdated = now;
    source.pending = true;
    source.interactionCount = 0;
    source.replyPublicKey = keys.certificate();
    source.replySecretKey = keys.secretKey();
    source.replyKeyFingerprint = keys.fingerprint().hex();
    em.persist(source);
  }

  private String uniqueDesignation() {
    String designation = designations.generate();
    for (int i = 1; i < DESIGNATION_ATTEMPTS && designationTaken(designation); i++) {
      designation = designations.generate();
    }
    return designation;
  }

  private boolean designationTaken(String designation) {
    return sourceRows.designationTaken(designation);
  }

  @Transactional
  Optional<Source> findSource(String sourceId) {
    return sourceRows.findByFilesystemId(sourceId);
  }

  /** Whether a source with source id {@code sourceId} exists (a login's question; no entity). */
  @Transactional
  public boolean sourceExists(String sourceId) {
    return sourceRows.existsByFilesystemId(sourceId);
  }

  /**
   * Whether the source has not submitted yet (its first submission must meet the first-message
   * rule); true for an unknown source, which then cannot store anything anyway.
   */
  @Transactional
  public boolean isPending(String sourceId) {
    return findSource(sourceId).map(source -> source.pending).orElse(true);
  }

  /**
   * Measures one source derivation (a fresh random codename, thrown away) on a background thread at
   * start-up and tells the KDF gate, so the first burst of busy answers is booked at this machine's
   * rate (see {@link KdfGate#calibrate}). Nothing of it is kept.
   */
  void calibrateGate(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
    Thread t =
        new Thread(
            () -> {
              Codename codename = codenames.generate();
              try {
                long took =
                    kdf.run(
                        ClientId.ANONYMOUS_CLIENT,
                        () -> {
                          long start = System.nanoTime();
                          Passphrases.wipe(identity.replyKeyPassphrase(codename));
                          identity.sourceId(codename);
                          return System.nanoTime() - start;
                        });
                kdf.calibrate(took);
              } catch (RuntimeException e) {
                // (busy included) calibration is an optimisation: the gate keeps its initial guess
              } finally {
                codename.destroy();
              }
            },
            "kdf-calibration");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  /** Wipes the passphrase a session held. */
  public static void forget(SourceCredentials credentials) {
    if (credentials != null) {
      Passphrases.wipe(credentials.replyPassphrase());
    }
  }
}
