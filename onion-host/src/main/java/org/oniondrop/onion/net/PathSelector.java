package org.oniondrop.onion.net;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * How a {@link Consensus} picks relays for circuits. The embedded network keeps {@link #UNIFORM}
 * (its in-process relays have no flags or bandwidths); the native backend uses a guard- and
 * bandwidth-aware selector (path-spec §2.2, guard-spec).
 */
public interface PathSelector {

  /**
   * A path of {@code length} distinct relays ending at {@code last} (or chosen freely if {@code
   * last} is null), avoiding {@code avoid}.
   *
   * @throws IllegalStateException if no such path exists in {@code consensus}
   */
  List<RelayInfo> path(
      Consensus consensus, int length, RelayInfo last, List<RelayInfo> avoid, Random random);

  /**
   * One relay to serve as a path's fixed end (an introduction or rendezvous point), not in {@code
   * exclude}; null if none is left.
   */
  RelayInfo pick(Consensus consensus, List<RelayInfo> exclude, Random random);

  /** Uniform over all relays, no guards, no weights: what the embedded network has always done. */
  PathSelector UNIFORM =
      new PathSelector() {
        @Override
        public List<RelayInfo> path(
            Consensus consensus, int length, RelayInfo last, List<RelayInfo> avoid, Random random) {
          List<RelayInfo> pool = new ArrayList<>(consensus.relays());
          pool.removeAll(avoid);
          if (last != null) {
            pool.remove(last);
          }
          Collections.shuffle(pool, random);
          int needed = last == null ? length : length - 1;
          if (pool.size() < needed) {
            throw new IllegalStateException("not enough relays for a " + length + "-hop path");
          }
          List<RelayInfo> path = new ArrayList<>(pool.subList(0, needed));
          if (last != null) {
            path.add(last);
          }
          return path;
        }

        @Override
        public RelayInfo pick(Consensus consensus, List<RelayInfo> exclude, Random random) {
          List<RelayInfo> pool = new ArrayList<>(consensus.relays());
          pool.removeAll(exclude);
          return pool.isEmpty() ? null : pool.get(random.nextInt(pool.size()));
        }
      };
}
