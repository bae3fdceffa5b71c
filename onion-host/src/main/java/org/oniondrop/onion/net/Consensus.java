package org.oniondrop.onion.net;

import java.time.Instant;
import java.util.ArrayList;
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
    HsDirParams params,
    PathSelector selector) {

  public Consensus {
    relays = List.copyOf(relays);
  }

  /** A consensus whose paths are uniform over its relays (the embedded network). */
  public Consensus(
      Instant validAfter,
      List<RelayInfo> relays,
      byte[] currentSrv,
      byte[] previousSrv,
      HsDirParams params) {
    this(validAfter, relays, currentSrv, previousSrv, params, PathSelector.UNIFORM);
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
   * A path of {@code length} distinct relays ending at {@code last} (or anywhere if {@code last} is
   * null), avoiding {@code avoid}, as this consensus's {@link PathSelector} chooses it.
   */
  public List<RelayInfo> path(int length, RelayInfo last, List<RelayInfo> avoid, Random random) {
    return selector.path(this, length, last, avoid, random);
  }

  /** A relay for an introduction or rendezvous point, not in {@code exclude}; null if none. */
  public RelayInfo pickEndpoint(List<RelayInfo> exclude, Random random) {
    return selector.pick(this, exclude, random);
  }
}
