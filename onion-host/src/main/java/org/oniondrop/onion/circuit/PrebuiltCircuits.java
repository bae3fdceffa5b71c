package org.oniondrop.onion.circuit;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.oniondrop.onion.net.RelayInfo;

/**
 * A few built, never used circuits of {@value #HOPS} hops kept ready, as C tor keeps preemptive
 * internal circuits (circuituse.c) and cannibalizes one for an introduction or rendezvous point:
 * {@link #extendTo} extends one by a single EXTEND2 to that point, so a fresh rendezvous costs one
 * round trip per circuit instead of a three-hop build, and the result has the same three hops a
 * fresh build would have. Each circuit is handed out once and has carried nothing before, so it
 * links no two connections (a SOCKS-isolated fresh connection still gets circuits of its own). A
 * failed or timed-out extension is the caller's cue to build a fresh circuit.
 */
public final class PrebuiltCircuits implements AutoCloseable {

  /** Hops of a prebuilt circuit: one EXTEND2 makes it a three-hop circuit to the chosen point. */
  public static final int HOPS = 2;

  /** The most circuits a pool keeps ready. */
  public static final int MAX_READY = 8;

  private final OriginNode node;
  private final int target;
  private final ArrayDeque<OriginCircuit> ready = new ArrayDeque<>(); // guarded by this
  private int building; // guarded by this
  private boolean closed; // guarded by this

  /** A pool keeping {@code target} (1..{@value #MAX_READY}) circuits ready once refilled. */
  public PrebuiltCircuits(OriginNode node, int target) {
    if (target < 1 || target > MAX_READY) {
      throw new IllegalArgumentException("target must be 1.." + MAX_READY);
    }
    this.node = node;
    this.target = target;
  }

  /** Starts building circuits until {@code target} are ready or being built. */
  public void refill() {
    int toBuild;
    synchronized (this) {
      if (closed) {
        return;
      }
      ready.removeIf(c -> !c.isOpen());
      toBuild = Math.max(0, target - ready.size() - building);
      building += toBuild;
    }
    for (int i = 0; i < toBuild; i++) {
      List<RelayInfo> path;
      try {
        path = node.network().consensus().path(HOPS, null, List.of(), node.random());
      } catch (RuntimeException e) {
        synchronized (this) {
          building--;
        }
        continue; // no consensus or too few relays: callers build fresh circuits
      }
      node.build(path, null).whenComplete(this::built);
    }
  }

  private void built(OriginCircuit circuit, Throwable error) {
    boolean discard;
    synchronized (this) {
      building--;
      discard = error == null && closed;
      if (error == null && !closed) {
        ready.add(circuit);
      }
    }
    if (discard) {
      circuit.execute(circuit::destroy);
    }
  }

  /** Circuits ready now (tests and status). */
  public synchronized int ready() {
    ready.removeIf(c -> !c.isOpen());
    return ready.size();
  }

  /**
   * A prebuilt circuit extended to {@code last} (one not already on its path), or a failed future
   * if none is ready or the extension fails; the pool is refilled either way.
   */
  public CompletableFuture<OriginCircuit> extendTo(RelayInfo last) {
    OriginCircuit circuit = take(last);
    refill();
    if (circuit == null) {
      return CompletableFuture.failedFuture(new CircuitException("no prebuilt circuit ready"));
    }
    return circuit.extend(last);
  }

  private synchronized OriginCircuit take(RelayInfo avoid) {
    for (Iterator<OriginCircuit> it = ready.iterator(); it.hasNext(); ) {
      OriginCircuit c = it.next();
      if (!c.isOpen()) {
        it.remove();
      } else if (!c.path().contains(avoid)) {
        it.remove();
        return c;
      }
    }
    return null;
  }

  /** Destroys the ready circuits; nothing is built afterwards. */
  @Override
  public void close() {
    List<OriginCircuit> drop;
    synchronized (this) {
      closed = true;
      drop = List.copyOf(ready);
      ready.clear();
    }
    for (OriginCircuit c : drop) {
      c.execute(c::destroy);
    }
  }
}
