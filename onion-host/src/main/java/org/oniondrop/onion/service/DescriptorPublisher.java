package org.oniondrop.onion.service;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.oniondrop.onion.circuit.DirClient;
import org.oniondrop.onion.circuit.OriginNode;
import org.oniondrop.onion.crypto.ExpandedEd25519Key;
import org.oniondrop.onion.descriptor.DescriptorException;
import org.oniondrop.onion.descriptor.HsDescriptor;
import org.oniondrop.onion.descriptor.InnerLayer;
import org.oniondrop.onion.descriptor.IntroPoint;
import org.oniondrop.onion.hsdir.HsDirParams;
import org.oniondrop.onion.hsdir.HsDirRing;
import org.oniondrop.onion.hsdir.TimePeriod;
import org.oniondrop.onion.keys.BlindedIdentity;
import org.oniondrop.onion.net.Consensus;
import org.oniondrop.onion.net.OnionNetwork;
import org.oniondrop.onion.net.RelayInfo;

/**
 * Builds and uploads a service's descriptors (rend-spec-v3 §2.2.4, §2.2.6; Arti's publish reactor):
 * one for each of the two time periods a service serves, to the responsible HSDirs over 3-hop
 * circuits, with a time-derived revision counter (strictly increasing, also across restarts),
 * republished when the introduction points or the periods change and every 60-120 minutes. Keeps
 * the subcredentials of the periods it published for INTRODUCE2. Runs on the service's loop.
 */
final class DescriptorPublisher {

  private static final Logger LOG = Logger.getLogger(DescriptorPublisher.class.getName());

  /** Republish at a random time in this window even when nothing changed (C tor: 60-120 min). */
  static final Duration REPUBLISH_MIN = Duration.ofMinutes(60);

  static final Duration REPUBLISH_MAX = Duration.ofMinutes(120);

  /**
   * A refused or failed upload is retried to the same HSDir on a new circuit after this delay,
   * doubling each time (with jitter: half to all of it), as Arti's publisher retries each upload
   * separately; the other HSDirs' uploads are not held up.
   */
  static final Duration UPLOAD_RETRY_BASE = Duration.ofSeconds(2);

  /** Attempts per upload, the first included (delays 2, 4, 8, 16 s: gives up after ~30 s). */
  static final int UPLOAD_ATTEMPTS = 5;

  /** Time-period subcredentials kept for INTRODUCE2 after their descriptor was replaced. */
  static final int SUBCREDENTIALS_KEPT = 4;

  private static final String PUBLISH = "/tor/hs/3/publish";

  private final OriginNode node;
  private final OnionNetwork network;
  private final ServiceConfig config;
  private final SecureRandom random;
  private final LinkedHashMap<Long, byte[]> subcredentials = new LinkedHashMap<>();
  private final Map<Long, Long> lastRevision = new HashMap<>();
  private final CompletableFuture<Void> firstPublished = new CompletableFuture<>();
  private List<Long> publishedPeriods = List.of();
  private Instant nextRepublish = Instant.MIN;
  private final AtomicInteger descriptorsUploaded = new AtomicInteger();
  private final AtomicInteger uploadRetries = new AtomicInteger();
  private volatile long generation;
  private volatile CompletableFuture<Void> lastPublish = new CompletableFuture<>();

  DescriptorPublisher(
      OriginNode node, OnionNetwork network, ServiceConfig config, SecureRandom random) {
    this.node = node;
    this.network = network;
    this.config = config;
    this.random = random;
  }

  /** Whether descriptors are due: the intro set or the period pair changed, or the timer ran. */
  boolean due(Consensus consensus, Instant now, boolean introSetChanged) {
    return introSetChanged
        || !periodsFor(consensus).equals(publishedPeriods)
        || !now.isBefore(nextRepublish);
  }

  /** Subcredentials to try on an INTRODUCE2, newest last. */
  byte[][] subcredentials() {
    return subcredentials.values().toArray(byte[][]::new);
  }

  CompletableFuture<Void> firstPublished() {
    return firstPublished;
  }

  CompletableFuture<Void> lastPublish() {
    return lastPublish;
  }

  int descriptorsUploaded() {
    return descriptorsUploaded.get();
  }

  /**
   * The time periods of the last publication's descriptors (empty before one or after a failure).
   */
  List<Long> publishedPeriods() {
    return publishedPeriods;
  }

  /** Uploads retried after a refusal or a failed circuit (tests and status). */
  int uploadRetries() {
    return uploadRetries.get();
  }

  /** Makes the next {@link #due} true (an explicit republish). */
  void forceDue() {
    nextRepublish = Instant.MIN;
  }

  /** Stops background retries (the service is closing). */
  void stop() {
    generation = -1;
  }

  private static List<Long> periodsFor(Consensus consensus) {
    List<Long> out = new ArrayList<>();
    for (HsDirParams.PeriodAndSrv p :
        consensus
            .params()
            .forService(consensus.validAfter(), consensus.currentSrv(), consensus.previousSrv())) {
      out.add(p.period().number());
    }
    return out;
  }

  /** Uploads descriptors listing {@code live}; completes when every upload has finished. */
  CompletableFuture<Void> publish(Consensus consensus, Instant now, List<ServiceIntroPoint> live) {
    HsDirParams.PeriodAndSrv[] pairs =
        consensus
            .params()
            .forService(consensus.validAfter(), consensus.currentSrv(), consensus.previousSrv());
    List<CompletableFuture<Boolean>> uploads = new ArrayList<>();
    List<Long> periods = new ArrayList<>();
    long round = generation < 0 ? generation : ++generation;
    for (HsDirParams.PeriodAndSrv pair : pairs) {
      TimePeriod tp = pair.period();
      periods.add(tp.number());
      BlindedIdentity blinded = config.identity().blind(tp);
      subcredentials.put(tp.number(), blinded.subcredential());
      while (subcredentials.size() > SUBCREDENTIALS_KEPT) {
        subcredentials.remove(subcredentials.keySet().iterator().next());
      }
      ExpandedEd25519Key signing = ExpandedEd25519Key.generate(random);
      Instant expires = HsDescriptor.certExpiry(now);
      List<IntroPoint> entries = new ArrayList<>();
      for (ServiceIntroPoint p : live) {
        entries.add(
            HsDescriptor.introPoint(
                p.relay.linkSpecifiers(),
                p.relay.ntorKey(),
                p.authKey.publicKey(),
                p.encKey.publicKey(),
                signing,
                expires));
      }
      String text;
      try {
        text =
            HsDescriptor.build(
                blinded,
                signing,
                nextRevision(tp, now),
                InnerLayer.of(entries),
                config.authorizedClients(),
                now,
                random);
      } catch (DescriptorException e) {
        LOG.warning("could not build a descriptor: " + e.reason());
        continue;
      }
      byte[] body = HsDescriptor.bytes(text);
      for (HsDirRing.Node<RelayInfo> hsdir :
          HsDirRing.responsible(
              consensus.hsDirRing(), blinded.publicKey(), tp, pair.srv(), HsDirRing.SPREAD_STORE)) {
        uploads.add(upload(consensus, hsdir.handle(), body, round));
      }
    }
    publishedPeriods = periods;
    long spread = REPUBLISH_MAX.minus(REPUBLISH_MIN).toSeconds();
    nextRepublish = now.plus(REPUBLISH_MIN).plusSeconds(random.nextInt((int) spread + 1));
    CompletableFuture<Void> all =
        CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new));
    lastPublish = all;
    return all.whenComplete(
        (v, e) -> {
          int ok = (int) uploads.stream().filter(f -> f.getNow(false)).count();
          descriptorsUploaded.addAndGet(ok);
          if (ok > 0) {
            firstPublished.complete(null);
            LOG.fine(() -> "descriptors uploaded to " + ok + " HSDirs");
          } else {
            node.loop().execute(() -> publishedPeriods = List.of());
          }
        });
  }

  /**
   * One upload of {@code body} to {@code hsdir} over a new 3-hop circuit; true if the HSDir
   * accepted it. A refusal (rend-spec-v3 §2.2.6: any status but 200) or a failed circuit is logged
   * and retried in the background (see {@link #UPLOAD_RETRY_BASE}) unless a newer publication has
   * replaced this one.
   */
  private CompletableFuture<Boolean> upload(
      Consensus consensus, RelayInfo hsdir, byte[] body, long round) {
    return attempt(consensus, hsdir, body, round, 1);
  }

  private CompletableFuture<Boolean> attempt(
      Consensus consensus, RelayInfo hsdir, byte[] body, long round, int attempt) {
    CompletableFuture<DirClient.Response> post;
    try {
      post = DirClient.post(node, consensus.path(3, hsdir, List.of(), random), PUBLISH, body);
    } catch (IllegalStateException e) {
      post = CompletableFuture.failedFuture(e);
    }
    return post.handle(
        (r, e) -> {
          boolean ok = e == null && r.status() == 200;
          if (!ok && round != generation) {
            // A newer descriptor went out meanwhile; C tor HSDirs answer 400 to an older revision
            // that arrives after it (rend-spec-v3 §2.2.6 "revision-counter").
            LOG.fine(() -> "HSDir " + hsdir + " did not take a superseded descriptor");
          } else if (!ok) {
            String why = e == null ? "refused it: HTTP " + r.status() : "could not be reached";
            LOG.warning(
                "HSDir "
                    + hsdir
                    + " "
                    + why
                    + " (upload attempt "
                    + attempt
                    + " of "
                    + UPLOAD_ATTEMPTS
                    + ")");
            if (attempt < UPLOAD_ATTEMPTS) {
              long delay = UPLOAD_RETRY_BASE.toMillis() << (attempt - 1);
              long jittered = delay / 2 + (long) (random.nextDouble() * delay / 2);
              node.loop()
                  .schedule(
                      () -> retry(hsdir, body, round, attempt + 1),
                      jittered,
                      TimeUnit.MILLISECONDS);
            }
          }
          return ok;
        });
  }

  /** On the loop: retries one upload with the current consensus, unless it was superseded. */
  private void retry(RelayInfo hsdir, byte[] body, long round, int attempt) {
    if (round != generation || generation < 0) {
      return; // a newer descriptor went out to every responsible HSDir
    }
    uploadRetries.incrementAndGet();
    attempt(network.consensus(), hsdir, body, round, attempt)
        .thenAccept(
            ok -> {
              if (ok) {
                descriptorsUploaded.incrementAndGet();
                firstPublished.complete(null);
                LOG.info("HSDir " + hsdir + " accepted the descriptor on attempt " + attempt);
              }
            });
  }

  /**
   * The revision counter for a descriptor of {@code tp}: milliseconds since the period began, so it
   * grows with time and across restarts, and strictly above the last one we used.
   */
  private long nextRevision(TimePeriod tp, Instant now) {
    long fromTime = Math.max(0, Duration.between(tp.start(), now).toMillis());
    long revision = Math.max(fromTime, lastRevision.getOrDefault(tp.number(), -1L) + 1);
    lastRevision.put(tp.number(), revision);
    return revision;
  }
}
