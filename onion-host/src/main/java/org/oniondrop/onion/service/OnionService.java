package org.oniondrop.onion.service;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.oniondrop.onion.circuit.OriginNode;
import org.oniondrop.onion.keys.OnionAddress;
import org.oniondrop.onion.net.Consensus;
import org.oniondrop.onion.net.OnionNetwork;
import org.oniondrop.onion.net.RelayInfo;

/**
 * One onion service: wires the units that do the work, as Arti's tor-hsservice splits them.
 *
 * <ul>
 *   <li>{@link IntroPointManager}: introduction points, their rotation and replay caches;
 *   <li>{@link DescriptorPublisher}: descriptors for both time periods (rend-spec-v3 §2.2.4);
 *   <li>{@link RendezvousHandler}: INTRODUCE2 to RENDEZVOUS1, capped rendezvous circuits;
 *   <li>{@link StreamForwarder}: streams to local targets, optionally with the circuit id.
 * </ul>
 *
 * <p>All state changes run on the service's loop; {@link #maintainNow()} runs one maintenance pass
 * (also scheduled every {@value #MAINTENANCE_SECONDS} s): replace lost and rotate worn introduction
 * points, and republish when they changed, when the time-period pair changed, or every 60-120
 * minutes.
 */
public final class OnionService implements AutoCloseable {

  /**
   * With some but not all introduction points established, the descriptor waits this long for the
   * rest (C tor waits for all of them; a descriptor listing one point is fragile, and every early
   * upload is superseded within seconds), then goes out with those it has.
   */
  public static final Duration PARTIAL_PUBLISH_AFTER = Duration.ofSeconds(10);

  /** Seconds between maintenance passes. */
  public static final long MAINTENANCE_SECONDS = 5;

  private final OriginNode node;
  private final ServiceConfig config;
  private final OnionNetwork network;
  private final IntroPointManager intros;
  private final DescriptorPublisher publisher;
  private final RendezvousHandler rendezvous;
  private final StreamForwarder forwarder;
  private boolean closed;
  private long partialSinceNanos = -1;
  private ScheduledFuture<?> timer;

  public OnionService(OnionNetwork network, ServiceConfig config, SecureRandom random) {
    this.network = network;
    this.config = config;
    this.node =
        new OriginNode(
            "service-" + config.identity().address().label().substring(0, 8), network, random);
    this.forwarder = new StreamForwarder(config);
    this.publisher = new DescriptorPublisher(node, network, config, random);
    this.rendezvous =
        new RendezvousHandler(
            node, network, config.limits(), random, forwarder, publisher::subcredentials);
    this.intros = new IntroPointManager(node, config, random, rendezvous, this::maintain);
  }

  public OnionAddress address() {
    return config.identity().address();
  }

  /** Starts maintenance: intro points, then descriptors. */
  public OnionService start() {
    if (!config.publishable()) {
      // Fail closed: a service that requires client authorization is never published without a
      // client key (it would be open to anyone with the address).
      throw new IllegalStateException(
          "client authorization is required but no client is authorized");
    }
    node.loop().execute(this::maintain);
    rendezvous.prebuild();
    timer =
        node.loop()
            .scheduleAtFixedRate(
                this::maintain, MAINTENANCE_SECONDS, MAINTENANCE_SECONDS, TimeUnit.SECONDS);
    return this;
  }

  /** Completes when descriptors were first uploaded. */
  public CompletableFuture<Void> published() {
    return publisher.firstPublished();
  }

  public boolean isPublished() {
    CompletableFuture<Void> f = publisher.firstPublished();
    return f.isDone() && !f.isCompletedExceptionally();
  }

  /** The uploads of the most recent publication (completes when all have finished). */
  public CompletableFuture<Void> lastPublish() {
    return publisher.lastPublish();
  }

  /** Uploads retried after an HSDir refused one or its circuit failed. */
  public int uploadRetries() {
    return publisher.uploadRetries();
  }

  /**
   * The time-period numbers of the descriptors last published (two: rend-spec-v3 §2.2.1, the
   * current and next period, or previous and current between a period's start and the next SRV).
   */
  public List<Long> publishedPeriods() {
    return node.loop().call(publisher::publishedPeriods).join();
  }

  /** Descriptor uploads the HSDirs accepted so far. */
  public int descriptorsUploaded() {
    return publisher.descriptorsUploaded();
  }

  /**
   * Runs a maintenance pass now (tests drive time with their clock and call this); completes when
   * the uploads it started, if any, have finished.
   */
  public CompletableFuture<Void> maintainNow() {
    return node.loop().call(this::maintainAndPublish).thenCompose(f -> f);
  }

  /**
   * Republishes now even if nothing changed (as the 60-120 minute timer would); completes when the
   * first attempt of every upload has finished.
   */
  public CompletableFuture<Void> republishNow() {
    return node.loop()
        .call(
            () -> {
              publisher.forceDue();
              return maintainAndPublish();
            })
        .thenCompose(f -> f);
  }

  /** The relays currently serving as established introduction points. */
  public List<RelayInfo> introRelays() {
    return node.loop().call(() -> intros.established().stream().map(p -> p.relay).toList()).join();
  }

  /** KP_hs_ipt_sid of each established introduction point (status and tests). */
  public List<byte[]> introAuthKeys() {
    return node.loop()
        .call(() -> intros.established().stream().map(p -> p.authKey.publicKey()).toList())
        .join();
  }

  /** Counters for status pages and tests; read on the loop. */
  public record Stats(
      int rendezvousCircuits,
      int introductionsDropped,
      int introPointsRotated,
      int replaysDropped) {}

  public Stats stats() {
    return node.loop()
        .call(
            () ->
                new Stats(
                    rendezvous.circuits(),
                    rendezvous.dropped(),
                    intros.rotated(),
                    intros.replaysDropped()))
        .join();
  }

  // ---- maintenance (on the loop) ----

  private void maintain() {
    maintainAndPublish();
  }

  /** One maintenance pass; completes when any uploads it started have finished. */
  private CompletableFuture<Void> maintainAndPublish() {
    if (closed) {
      return CompletableFuture.completedFuture(null);
    }
    Consensus consensus = network.consensus();
    Instant now = network.clock().instant();
    intros.maintain(consensus, now);
    boolean ready = intros.allEstablished();
    if (!ready && intros.anyEstablished()) {
      if (partialSinceNanos < 0) {
        partialSinceNanos = System.nanoTime();
        // Look again when the grace is over, even if no other event comes.
        node.loop()
            .schedule(this::maintain, PARTIAL_PUBLISH_AFTER.toMillis() + 50, TimeUnit.MILLISECONDS);
      }
      ready = System.nanoTime() - partialSinceNanos >= PARTIAL_PUBLISH_AFTER.toNanos();
    } else {
      partialSinceNanos = -1; // all established, or none: the grace starts again with the first
    }
    if (ready && publisher.due(consensus, now, intros.changed())) {
      intros.markPublished();
      return publisher.publish(consensus, now, intros.established());
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {
    node.loop()
        .call(
            () -> {
              closed = true;
              intros.closeAll();
              rendezvous.close();
              publisher.stop();
              if (timer != null) {
                timer.cancel(false);
              }
              return null;
            })
        .completeOnTimeout(null, 2, TimeUnit.SECONDS)
        .join();
    node.close();
    forwarder.close();
  }
}
