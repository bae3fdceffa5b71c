package org.oniondrop.onion.nativenet;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.oniondrop.onion.net.Consensus;
import org.oniondrop.onion.net.PathSelector;
import org.oniondrop.onion.net.RelayInfo;

/**
 * Paths on a real Tor network (path-spec §2.2, guard-spec): the first hop is the first usable guard
 * of the persistent {@link GuardSet}; middle hops (and a free last hop) are weighted by consensus
 * bandwidth and {@code bandwidth-weights}; no relay twice, no two relays of one declared family,
 * and, outside a testing network, no two relays in one IPv4 /16 (tor's EnforceDistinctSubnets,
 * which TestingTorNetwork turns off because every relay there is on 127.0.0.1).
 *
 * <p>If no sampled guard fits a path (all of them are its fixed end or its family), the first hop
 * is a weighted choice among the other Guard-flagged relays for that one circuit.
 */
public final class WeightedPathSelector implements PathSelector {

  private final GuardSet guards;
  private final BandwidthWeights weights;
  private final boolean distinctSubnets;
  private final Clock clock;

  public WeightedPathSelector(
      GuardSet guards, BandwidthWeights weights, boolean distinctSubnets, Clock clock) {
    this.clock = clock;
    this.guards = guards;
    this.weights = weights;
    this.distinctSubnets = distinctSubnets;
  }

  /** Whether two relays may share a circuit. */
  boolean compatible(RelayInfo a, RelayInfo b) {
    return !a.equals(b) && !a.sameFamily(b) && !(distinctSubnets && a.sameSlash16(b));
  }

  @Override
  public List<RelayInfo> path(
      Consensus consensus, int length, RelayInfo last, List<RelayInfo> avoid, Random random) {
    if (length < 1 || (last != null && length < 2)) {
      throw new IllegalArgumentException("path length " + length);
    }
    List<RelayInfo> chosen = new ArrayList<>();
    Predicate<RelayInfo> fits =
        r ->
            !avoid.contains(r)
                && (last == null || compatible(r, last))
                && chosen.stream().allMatch(c -> compatible(r, c));
    RelayInfo guard = guards.first(consensus, fits, clock.instant());
    if (guard == null) {
      List<RelayInfo> others =
          consensus.relays().stream().filter(RelayInfo::guard).filter(fits).toList();
      guard = weights.choose(others, BandwidthWeights.Position.GUARD, random);
    }
    if (guard == null) {
      throw new IllegalStateException("no usable guard for a " + length + "-hop path");
    }
    chosen.add(guard);
    int free = last == null ? length : length - 1;
    while (chosen.size() < free) {
      List<RelayInfo> candidates = consensus.relays().stream().filter(fits).toList();
      RelayInfo next = weights.choose(candidates, BandwidthWeights.Position.MIDDLE, random);
      if (next == null) {
        throw new IllegalStateException("not enough relays for a " + length + "-hop path");
      }
      chosen.add(next);
    }
    if (last != null) {
      chosen.add(last);
    }
    return chosen;
  }

  @Override
  public RelayInfo pick(Consensus consensus, List<RelayInfo> exclude, Random random) {
    List<RelayInfo> candidates =
        consensus.relays().stream().filter(r -> !exclude.contains(r)).toList();
    return weights.choose(candidates, BandwidthWeights.Position.MIDDLE, random);
  }
}
