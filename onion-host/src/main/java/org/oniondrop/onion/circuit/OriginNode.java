package org.oniondrop.onion.circuit;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.oniondrop.onion.cell.Cell;
import org.oniondrop.onion.net.CellHandler;
import org.oniondrop.onion.net.Channel;
import org.oniondrop.onion.net.CircuitIds;
import org.oniondrop.onion.net.Node;
import org.oniondrop.onion.net.NodeLoop;
import org.oniondrop.onion.net.OnionNetwork;
import org.oniondrop.onion.net.RelayInfo;

/**
 * The origin of circuits: a client or a service. Owns its channels to relays and the circuits over
 * them; all circuit state changes on its loop.
 */
public final class OriginNode implements Node, CellHandler, AutoCloseable {

  /** How long building one circuit may take before it is abandoned. */
  public static final long BUILD_TIMEOUT_SECONDS = 20;

  private final String name;
  private final OnionNetwork network;
  private final SecureRandom random;
  private final NodeLoop loop;
  private final CircuitIds ids = new CircuitIds();
  private final Map<Channel, Map<Long, OriginCircuit>> circuits = new HashMap<>();

  public OriginNode(String name, OnionNetwork network, SecureRandom random) {
    this.name = name;
    this.network = network;
    this.random = random;
    this.loop = new NodeLoop(name);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public NodeLoop loop() {
    return loop;
  }

  @Override
  public CellHandler handler() {
    return this;
  }

  public OnionNetwork network() {
    return network;
  }

  SecureRandom random() {
    return random;
  }

  /**
   * Builds a circuit through {@code path}; completes with it once every hop answered, or fails with
   * a {@link CircuitException} (also after {@value #BUILD_TIMEOUT_SECONDS} s).
   */
  public CompletableFuture<OriginCircuit> build(List<RelayInfo> path, CircuitListener listener) {
    CompletableFuture<OriginCircuit> result = new CompletableFuture<>();
    loop.execute(
        () -> {
          Channel channel;
          try {
            channel = network.connect(this, path.get(0));
          } catch (IOException e) {
            result.completeExceptionally(
                new CircuitException("first hop unreachable: " + e.getMessage(), e));
            return;
          }
          long id = ids.allocate(channel);
          OriginCircuit circuit = new OriginCircuit(this, channel, id, path, listener, result);
          circuits.computeIfAbsent(channel, c -> new HashMap<>()).put(id, circuit);
          circuit.start();
        });
    result
        .orTimeout(BUILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .whenComplete(
            (c, e) -> {
              if (e != null) {
                loop.execute(() -> abandon(result));
              }
            });
    return result;
  }

  private void abandon(CompletableFuture<OriginCircuit> pending) {
    for (Map<Long, OriginCircuit> map : circuits.values()) {
      for (OriginCircuit c : new ArrayList<>(map.values())) {
        if (c.buildFuture() == pending) {
          c.destroy();
        }
      }
    }
  }

  void forget(OriginCircuit circuit) {
    Map<Long, OriginCircuit> map = circuits.get(circuit.channel());
    if (map != null) {
      map.remove(circuit.id());
    }
  }

  @Override
  public void onCell(Channel channel, Cell cell) {
    OriginCircuit circuit = circuits.getOrDefault(channel, Map.of()).get(cell.circId());
    if (circuit == null) {
      return;
    }
    switch (cell.command()) {
      case Cell.CREATED2 -> circuit.onCreated2(cell.payload());
      case Cell.RELAY -> circuit.onRelay(cell.payload());
      case Cell.DESTROY -> circuit.onDestroy();
      default -> {
        // RELAY_EARLY inbound is a protocol violation (tor-spec §5.6).
        if (cell.command() == Cell.RELAY_EARLY) {
          circuit.destroy();
        }
      }
    }
  }

  @Override
  public void onClose(Channel channel) {
    Map<Long, OriginCircuit> map = circuits.remove(channel);
    if (map != null) {
      for (OriginCircuit c : new ArrayList<>(map.values())) {
        c.onDestroy();
      }
    }
    ids.forget(channel);
  }

  /** Circuits currently open (for tests and status). */
  public int openCircuits() {
    return loop.call(() -> circuits.values().stream().mapToInt(Map::size).sum()).join();
  }

  @Override
  public void close() {
    loop.execute(
        () -> {
          for (Map<Long, OriginCircuit> map : new ArrayList<>(circuits.values())) {
            for (OriginCircuit c : new ArrayList<>(map.values())) {
              c.destroy();
            }
          }
        });
    loop.call(() -> null).completeOnTimeout(null, 2, TimeUnit.SECONDS).join();
    loop.close();
  }
}
