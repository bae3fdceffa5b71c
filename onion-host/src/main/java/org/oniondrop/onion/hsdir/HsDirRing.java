package org.oniondrop.onion.hsdir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.oniondrop.onion.crypto.HsCrypto;

/**
 * The HSDir hash ring (rend-spec-v3 §2.2.3): which directories store and serve a descriptor.
 *
 * <p>Note the field order: {@code hs_index} ends with {@code INT_8(period_length) |
 * INT_8(period_num)}, {@code hsdir_index} with {@code INT_8(period_num) | INT_8(period_length)}.
 * Indices compare as unsigned bytes ({@link Arrays#compareUnsigned}).
 */
public final class HsDirRing {

  /** {@code hsdir_n_replicas} default. */
  public static final int REPLICAS = 2;

  /** {@code hsdir_spread_store} default: directories a service uploads to per replica. */
  public static final int SPREAD_STORE = 4;

  /** {@code hsdir_spread_fetch} default: directories a client picks among per replica. */
  public static final int SPREAD_FETCH = 3;

  private HsDirRing() {}

  /** A relay on the ring: its ed25519 identity and whatever the caller needs to reach it. */
  public record Node<T>(byte[] ed25519Id, T handle) {}

  /**
   * hs_index(replica) = H("store-at-idx" | KP_hs_blind_id | INT_8(replica) | INT_8(len) |
   * INT_8(num)).
   */
  public static byte[] hsIndex(byte[] blindedKey, int replica, TimePeriod tp) {
    return HsCrypto.sha3(
        HsCrypto.ascii("store-at-idx"),
        blindedKey,
        HsCrypto.int8(replica),
        HsCrypto.int8(tp.lengthMinutes()),
        HsCrypto.int8(tp.number()));
  }

  /** hsdir_index(node) = H("node-idx" | ed25519_id | SRV | INT_8(num) | INT_8(len)). */
  public static byte[] hsDirIndex(byte[] ed25519Id, byte[] srv, TimePeriod tp) {
    return HsCrypto.sha3(
        HsCrypto.ascii("node-idx"),
        ed25519Id,
        srv,
        HsCrypto.int8(tp.number()),
        HsCrypto.int8(tp.lengthMinutes()));
  }

  /**
   * The SRV to use when the consensus has none: H("shared-random-disaster" | INT_8(len) |
   * INT_8(num)).
   */
  public static byte[] disasterSrv(TimePeriod tp) {
    return HsCrypto.sha3(
        HsCrypto.ascii("shared-random-disaster"),
        HsCrypto.int8(tp.lengthMinutes()),
        HsCrypto.int8(tp.number()));
  }

  /**
   * The responsible directories for a blinded key: for each replica, starting at the first node
   * whose index is {@code >=} hs_index (wrapping), {@code spread} nodes not already chosen for an
   * earlier replica. A service uploads to all of them ({@link #SPREAD_STORE}); a client picks one
   * at random ({@link #SPREAD_FETCH}).
   */
  public static <T> List<Node<T>> responsible(
      List<Node<T>> hsdirs, byte[] blindedKey, TimePeriod tp, byte[] srv, int spread) {
    record Indexed<T>(byte[] index, Node<T> node) {}
    List<Indexed<T>> ring = new ArrayList<>();
    for (Node<T> node : hsdirs) {
      ring.add(new Indexed<>(hsDirIndex(node.ed25519Id(), srv, tp), node));
    }
    ring.sort(Comparator.comparing(Indexed::index, Arrays::compareUnsigned));
    List<Node<T>> chosen = new ArrayList<>();
    for (int replica = 1; replica <= REPLICAS; replica++) {
      byte[] target = hsIndex(blindedKey, replica, tp);
      int start = 0;
      while (start < ring.size() && Arrays.compareUnsigned(ring.get(start).index(), target) < 0) {
        start++;
      }
      int taken = 0;
      for (int i = 0; i < ring.size() && taken < spread; i++) {
        Node<T> node = ring.get((start + i) % ring.size()).node();
        if (!chosen.contains(node)) {
          chosen.add(node);
          taken++;
        }
      }
    }
    return chosen;
  }
}
