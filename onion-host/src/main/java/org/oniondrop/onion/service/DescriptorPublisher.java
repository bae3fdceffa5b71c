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

  /** Time-period subcredentials kept for INTRODUCE2 after their descriptor was replaced. */
  static final int SUBCREDENTIALS_KEPT = 4;

  private final OriginNode node;
  private final ServiceConfig config;
  private final SecureRandom random;
  private final LinkedHashMap<Long, byte[]> subcredentials = new LinkedHashMap<>();
  private final Map<Long, Long> lastRevision = new HashMap<>();
  private final CompletableFuture<Void> firstPublished = new CompletableFuture<>();
  private List<Long> publishedPeriods = List.of();
  private Instant nextRepublish = Instant.MIN;
  private volatile int descriptorsUploaded;
  private volatile CompletableFuture<Void> lastPublish = new CompletableFuture<>();

  DescriptorPublisher(OriginNode node, ServiceConfig config, SecureRandom random) {
    this.node = node;
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
    return descriptorsUploaded;
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
        List<RelayInfo> path = consensus.path(3, hsdir.handle(), List.of(), random);
        uploads.add(
            DirClient.post(node, path, "/tor/hs/3/publish", body)
                .handle(
                    (r, e) -> {
                      if (e == null && r.status() != 200) {
                        // The HSDir answered and refused (rend-spec-v3 §2.2.6): say which.
                        LOG.warning(
                            "HSDir "
                                + hsdir.handle()
                                + " refused a descriptor: HTTP "
                                + r.status());
                      }
                      return e == null && r.status() == 200;
                    }));
      }
    }
    publishedPeriods = periods;
    long spread = REPUBLISH_MAX.minus(REPUBLISH_MIN).toSeconds();
    nextRepublish = now.plus(REPUBLISH_MIN).plusSeconds(random.nextInt((int) spread + 1));
    CompletableFuture<Void> round =
        CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new));
    lastPublish = round;
    return round.whenComplete(
        (v, e) -> {
          int ok = (int) uploads.stream().filter(f -> f.getNow(false)).count();
          descriptorsUploaded += ok;
          if (ok > 0) {
            firstPublished.complete(null);
            LOG.fine(() -> "descriptors uploaded to " + ok + " HSDirs");
          } else {
            node.loop().execute(() -> publishedPeriods = List.of());
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
