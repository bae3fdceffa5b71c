package org.oniondrop.onion.net;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.oniondrop.onion.cell.LinkSpecifier;
import org.oniondrop.onion.hsdir.HsDirParams;
import org.oniondrop.onion.hsdir.HsDirRing;

/**
 * A snapshot of the network as a directory would publish it: running relays, the valid-after time,
 * the shared random values and the HSDir schedule.
 */
public record Consensus(
    Instant validAfter,
    List<RelayInfo> relays,
    byte[] currentSrv,
    byte[] previousSrv,
    HsDirParams params) {

  public Consensus {
    relays = List.copyOf(relays);
  }

  public Optional<RelayInfo> find(List<LinkSpecifier> specs) {
    return relays.stream().filter(r -> r.matches(specs)).findFirst();
  }

  public List<HsDirRing.Node<RelayInfo>> hsDirRing() {
    List<HsDirRing.Node<RelayInfo>> nodes = new ArrayList<>();
    for (RelayInfo r : relays) {
      if (r.hsDir()) {
        nodes.add(new HsDirRing.Node<>(r.ed25519Id(), r));
      }
    }
    return nodes;
  }

  /**
   * A random path of {@code length} distinct relays ending at {@code last} (or anywhere if {@code
   * last} is null), avoiding {@code avoid}.
   */
  public List<RelayInfo> path(int length, RelayInfo last, List<RelayInfo> avoid, Random random) {
    List<RelayInfo> pool = new ArrayList<>(relays);
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
}
