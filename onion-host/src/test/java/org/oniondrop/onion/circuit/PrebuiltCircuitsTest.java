package org.oniondrop.onion.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.cell.EstablishRendezvous;
import org.oniondrop.onion.cell.RelayCell;
import org.oniondrop.onion.cell.RelayCommand;
import org.oniondrop.onion.embedded.EmbeddedNetwork;
import org.oniondrop.onion.net.RelayInfo;

/**
 * Prebuilt circuits extended by one hop (C tor's cannibalized internal circuits): the result is a
 * working three-hop circuit of distinct relays ending at the chosen point, each prebuilt circuit is
 * handed out once, and a closed pool hands out nothing.
 */
class PrebuiltCircuitsTest {

  private final SecureRandom random = new SecureRandom();
  private EmbeddedNetwork network;
  private OriginNode node;
  private PrebuiltCircuits pool;

  @BeforeEach
  void start() {
    network = EmbeddedNetwork.start(EmbeddedNetwork.DEFAULT_RELAYS, Clock.systemUTC(), random);
    node = new OriginNode("client", network, random);
    pool = new PrebuiltCircuits(node, 2);
  }

  @AfterEach
  void stop() {
    pool.close();
    node.close();
    network.close();
  }

  private void awaitReady(int n) throws InterruptedException {
    for (int i = 0; i < 600 && pool.ready() < n; i++) {
      Thread.sleep(50);
    }
    assertThat(pool.ready()).isEqualTo(n);
  }

  private RelayInfo relayOffThePaths() {
    // A relay on no ready circuit's path is not guaranteed; any relay works, the pool skips
    // circuits that already contain it.
    return network.relays().get(random.nextInt(network.relays().size()));
  }

  @Test
  void anExtendedCircuitIsAWorkingThreeHopCircuitToThePoint() throws Exception {
    pool.refill();
    awaitReady(2);
    RelayInfo rp = relayOffThePaths();
    CompletableFuture<OriginCircuit> extended = pool.extendTo(rp);
    OriginCircuit circuit;
    try {
      circuit = extended.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      // Both ready circuits contained rp: then extendTo must have said so rather than reuse it.
      assertThat(e.getCause()).isInstanceOf(CircuitException.class);
      return;
    }
    assertThat(circuit.path()).hasSize(3);
    assertThat(new HashSet<>(circuit.path())).hasSize(3);
    assertThat(circuit.path().get(2)).isEqualTo(rp);

    // The new last hop speaks to us: ESTABLISH_RENDEZVOUS is answered through all three layers.
    CompletableFuture<Integer> answer = new CompletableFuture<>();
    circuit.listener(
        new CircuitListener() {
          @Override
          public void onRelayCell(OriginCircuit c, int hop, RelayCell cell, byte[] digest) {
            answer.complete(hop * 1000 + cell.command());
          }

          @Override
          public void onDestroyed(OriginCircuit c) {
            answer.completeExceptionally(new IllegalStateException("destroyed"));
          }
        });
    byte[] cookie = new byte[20];
    random.nextBytes(cookie);
    ByteWriter w = new ByteWriter(20);
    new EstablishRendezvous(cookie).encode(w);
    circuit.execute(
        () ->
            circuit.sendToLast(
                new RelayCell(RelayCommand.ESTABLISH_RENDEZVOUS, 0, w.toByteArray())));
    assertThat(answer.get(30, TimeUnit.SECONDS))
        .isEqualTo(2 * 1000 + RelayCommand.RENDEZVOUS_ESTABLISHED);

    // Taking one started a refill: the pool is back at its target.
    awaitReady(2);
  }

  @Test
  void eachPrebuiltCircuitIsHandedOutOnceAndNeverExtendedTwice() throws Exception {
    pool.refill();
    awaitReady(2);
    List<RelayInfo> relays = network.relays();
    java.util.Set<Integer> seen = new HashSet<>();
    int got = 0;
    for (RelayInfo target : relays) {
      if (got == 2) {
        break;
      }
      try {
        OriginCircuit c = pool.extendTo(target).get(30, TimeUnit.SECONDS);
        assertThat(seen.add(c.globalId())).as("handed out once").isTrue();
        // An extended circuit cannot be extended again to a relay already on it.
        assertThatThrownBy(() -> c.extend(c.path().get(0)).get(30, TimeUnit.SECONDS))
            .hasCauseInstanceOf(CircuitException.class);
        got++;
      } catch (ExecutionException e) {
        // no ready circuit avoided this target, or the pool was refilling: try the next relay
        awaitReady(2);
      }
    }
    assertThat(got).isEqualTo(2);
  }

  @Test
  void aClosedPoolDestroysItsCircuitsAndHandsOutNothing() throws Exception {
    pool.refill();
    awaitReady(2);
    int before = node.openCircuits();
    pool.close();
    for (int i = 0; i < 100 && node.openCircuits() > before - 2; i++) {
      Thread.sleep(20);
    }
    assertThat(node.openCircuits()).isEqualTo(before - 2);
    assertThat(pool.ready()).isZero();
    assertThatThrownBy(() -> pool.extendTo(network.relays().get(0)).get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(CircuitException.class);
  }
}
