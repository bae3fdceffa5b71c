package org.oniondrop.onion.service;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;
import org.oniondrop.onion.cell.EstablishIntro;
import org.oniondrop.onion.cell.Introduce1;
import org.oniondrop.onion.cell.RelayCell;
import org.oniondrop.onion.cell.RelayCommand;
import org.oniondrop.onion.circuit.CircuitListener;
import org.oniondrop.onion.circuit.OriginCircuit;
import org.oniondrop.onion.circuit.OriginNode;
import org.oniondrop.onion.net.Consensus;
import org.oniondrop.onion.net.RelayInfo;

/**
 * Keeps a service's introduction points (rend-spec-v3 §3.1; Arti's ipt_mgr): establishes them over
 * 3-hop circuits, replaces lost ones, rotates each after its introductions or lifetime (C tor's
 * hs_intro_min/max_introduce2 and hs_intro_min/max_lifetime), and hands each fresh INTRODUCE2 to
 * the {@link IntroductionHandler}. Replays are dropped by the point's {@link ReplayCache}. Runs on
 * the service's loop.
 */
final class IntroPointManager {

  private static final Logger LOG = Logger.getLogger(IntroPointManager.class.getName());

  /** What to do with an INTRODUCE2 that passed the replay check. */
  interface IntroductionHandler {
    void onIntroduce2(ServiceIntroPoint point, Introduce1 cell);
  }

  private final OriginNode node;
  private final ServiceConfig config;
  private final SecureRandom random;
  private final IntroductionHandler handler;
  private final Runnable onChange;
  private final List<ServiceIntroPoint> points = new ArrayList<>();

  /**
   * A relay whose introduction circuit failed or was lost is not chosen again for this long: it is
   * likely down but still in the consensus (the authorities drop it only after their next vote).
   */
  static final Duration AVOID_LOST_RELAY = Duration.ofMinutes(10);

  private final Map<RelayInfo, Instant> lost = new HashMap<>();
  private boolean changed;
  private int rotated;
  private int replaysDropped;

  IntroPointManager(
      OriginNode node,
      ServiceConfig config,
      SecureRandom random,
      IntroductionHandler handler,
      Runnable onChange) {
    this.node = node;
    this.config = config;
    this.random = random;
    this.handler = handler;
    this.onChange = onChange;
  }

  /** Drops lost and due points and establishes replacements; true if the set changed. */
  void maintain(Consensus consensus, Instant now) {
    for (ServiceIntroPoint p : new ArrayList<>(points)) {
      if (p.dead) {
        points.remove(p);
        changed = true;
        if (!p.retired) {
          lost.put(p.relay, now);
        }
      } else if (p.due(now)) {
        points.remove(p);
        changed = true;
        rotated++;
        p.dead = true;
        p.retired = true;
        if (p.circuit != null) {
          OriginCircuit c = p.circuit;
          c.execute(c::destroy);
        }
        LOG.fine("rotated an introduction point");
      }
    }
    lost.values().removeIf(t -> !now.isBefore(t.plus(AVOID_LOST_RELAY)));
    Set<RelayInfo> used = new HashSet<>();
    points.forEach(p -> used.add(p.relay));
    while (points.size() < config.introPoints()) {
      List<RelayInfo> avoid = new ArrayList<>(used);
      avoid.addAll(lost.keySet());
      RelayInfo relay = consensus.pickEndpoint(avoid, random);
      if (relay == null) {
        // Every other relay failed us lately: better one of them than fewer points.
        relay = consensus.pickEndpoint(new ArrayList<>(used), random);
      }
      if (relay == null) {
        break;
      }
      used.add(relay);
      establish(new ServiceIntroPoint(relay, config.limits(), now, random), consensus);
    }
  }

  /** Whether the published set is stale (a point was established, lost or rotated). */
  boolean changed() {
    return changed;
  }

  void markPublished() {
    changed = false;
  }

  /** Whether every wanted introduction point is established (C tor uploads only then). */
  boolean allEstablished() {
    return points.size() >= config.introPoints()
        && points.stream().allMatch(p -> p.established && !p.dead);
  }

  boolean anyEstablished() {
    return points.stream().anyMatch(p -> p.established && !p.dead);
  }

  List<ServiceIntroPoint> established() {
    return points.stream().filter(p -> p.established && !p.dead).toList();
  }

  /** Introduction points rotated so far (tests and status). */
  int rotated() {
    return rotated;
  }

  int replaysDropped() {
    return replaysDropped;
  }

  private void establish(ServiceIntroPoint point, Consensus consensus) {
    points.add(point);
    List<RelayInfo> path = consensus.path(3, point.relay, List.of(), random);
    CircuitListener listener =
        new CircuitListener() {
          @Override
          public void onRelayCell(OriginCircuit c, int hop, RelayCell cell, byte[] digest) {
            if (hop != c.path().size() - 1 || point.dead) {
              return;
            }
            if (cell.command() == RelayCommand.INTRO_ESTABLISHED && !point.established) {
              point.established = true;
              changed = true;
              onChange.run();
            } else if (cell.command() == RelayCommand.INTRODUCE2 && point.established) {
              onIntroduce2(point, cell.data());
            }
          }

          @Override
          public void onDestroyed(OriginCircuit c) {
            if (!point.dead && point.established) {
              LOG.info("an introduction point was lost; replacing it");
            }
            point.dead = true;
          }
        };
    node.build(path, listener)
        .whenComplete(
            (circuit, error) -> {
              if (error != null) {
                node.loop().execute(() -> point.dead = true);
                return;
              }
              circuit.execute(
                  () -> {
                    point.circuit = circuit;
                    if (point.dead) {
                      circuit.destroy(); // rotated or shut down while building
                      return;
                    }
                    EstablishIntro cell =
                        EstablishIntro.create(point.authKey, circuit.lastHopKh(), List.of());
                    ByteWriter w = new ByteWriter(200);
                    cell.encode(w);
                    circuit.sendToLast(
                        new RelayCell(RelayCommand.ESTABLISH_INTRO, 0, w.toByteArray()));
                  });
            });
  }

  private void onIntroduce2(ServiceIntroPoint point, byte[] body) {
    Introduce1 cell;
    try {
      cell = Introduce1.decode(ByteReader.of(body));
    } catch (DecodeException e) {
      return;
    }
    switch (point.replay.check(cell.encrypted())) {
      case REPLAY -> {
        replaysDropped++;
        LOG.fine("dropped a replayed INTRODUCE2");
        return;
      }
      case FULL -> {
        // The point served its introductions: rotate it now rather than forget old entries.
        onChange.run();
        return;
      }
      case FRESH -> point.introductions++;
    }
    handler.onIntroduce2(point, cell);
    if (point.introductions >= point.maxIntroductions) {
      onChange.run();
    }
  }

  /** Closes every introduction circuit. */
  void closeAll() {
    for (ServiceIntroPoint p : points) {
      p.retired = true;
      p.dead = true;
    }
  }
}
