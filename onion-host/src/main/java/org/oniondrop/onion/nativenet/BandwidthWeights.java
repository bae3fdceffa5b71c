package org.oniondrop.onion.nativenet;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.oniondrop.onion.net.RelayInfo;

/**
 * Bandwidth-weighted relay choice (path-spec §2.2, dir-spec §3.8.3): a relay's chance is its
 * consensus bandwidth ({@code w Bandwidth=}) times the consensus's {@code bandwidth-weights} factor
 * for the position and the relay's Guard/Exit flags, over 10000. If every candidate weighs zero,
 * the choice is uniform (as tor does).
 */
final class BandwidthWeights {

  /** The scale of a {@code bandwidth-weights} value (dir-spec: "weight-scale", default 10000). */
  static final int SCALE = 10_000;

  enum Position {
    GUARD,
    MIDDLE
  }

  private final Map<String, Integer> weights;

  BandwidthWeights(Map<String, Integer> weights) {
    this.weights = Map.copyOf(weights);
  }

  private int w(String name) {
    Integer v = weights.get(name);
    // A consensus without bandwidth-weights: every relay counts at its bandwidth.
    return v == null ? SCALE : Math.max(0, Math.min(SCALE, v));
  }

  /** The relay's weight in {@code position}; zero where the relay may not stand. */
  double weight(RelayInfo r, Position position) {
    String key =
        switch (position) {
          case GUARD -> !r.guard() ? null : r.exit() ? "Wgd" : "Wgg";
          case MIDDLE ->
              r.guard() && r.exit() ? "Wmd" : r.guard() ? "Wmg" : r.exit() ? "Wme" : "Wmm";
        };
    if (key == null) {
      return 0;
    }
    return (double) Math.max(0, r.bandwidth()) * w(key) / SCALE;
  }

  /** A weighted random choice among {@code candidates}; null if there are none. */
  RelayInfo choose(List<RelayInfo> candidates, Position position, Random random) {
    if (candidates.isEmpty()) {
      return null;
    }
    double total = 0;
    double[] cumulative = new double[candidates.size()];
    for (int i = 0; i < candidates.size(); i++) {
      total += weight(candidates.get(i), position);
      cumulative[i] = total;
    }
    if (total <= 0) {
      return candidates.get(random.nextInt(candidates.size()));
    }
    double x = random.nextDouble() * total;
    for (int i = 0; i < cumulative.length; i++) {
      if (x < cumulative[i]) {
        return candidates.get(i);
      }
    }
    return candidates.get(candidates.size() - 1);
  }
}
