package org.oniondrop.onion.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.cell.Cell;
import org.oniondrop.onion.cell.Create2;
import org.oniondrop.onion.cell.Created2;
import org.oniondrop.onion.handshake.Ntor;
import org.oniondrop.onion.net.CellHandler;
import org.oniondrop.onion.net.Channel;
import org.oniondrop.onion.net.Node;
import org.oniondrop.onion.net.NodeLoop;
import org.oniondrop.onion.net.RelayInfo;

/**
 * The relays' CREATE2 handshakes run on worker threads (C tor's cpuworkers) and are answered back
 * on the relay's loop: every CREATE2 gets exactly one answer whose keys complete the handshake, a
 * DESTROY or a second CREATE2 on the same id while the handshake runs is handled as if the circuit
 * existed, and nothing is left behind.
 */
class RelayHandshakeWorkersTest {

  private final SecureRandom random = new SecureRandom();
  private EmbeddedNetwork network;
  private Probe probe;
  private RelayInfo relay;
  private Channel channel;

  /** A bare node that records every cell a relay sends it. */
  private static final class Probe implements Node, CellHandler {
    final NodeLoop loop = new NodeLoop("probe");
    final BlockingQueue<Cell> received = new LinkedBlockingQueue<>();

    @Override
    public String name() {
      return "probe";
    }

    @Override
    public NodeLoop loop() {
      return loop;
    }

    @Override
    public CellHandler handler() {
      return this;
    }

    @Override
    public void onCell(Channel channel, Cell cell) {
      received.add(cell);
    }

    @Override
    public void onClose(Channel channel) {}
  }

  @BeforeEach
  void start() throws Exception {
    network = EmbeddedNetwork.start(EmbeddedNetwork.MIN_RELAYS, Clock.systemUTC(), random);
    probe = new Probe();
    relay = network.relays().get(0);
    channel = network.connect(probe, relay);
  }

  @AfterEach
  void stop() {
    network.close();
    probe.loop.close();
  }

  private Ntor.ClientState create(long id) {
    Ntor.ClientState state = Ntor.client(relay.rsaId(), relay.ntorKey(), random);
    ByteWriter w = new ByteWriter(100);
    new Create2(Create2.HTYPE_NTOR, state.onionskin()).encode(w);
    channel.send(Cell.fixed(id, Cell.CREATE2, w.toByteArray()));
    return state;
  }

  /**
   * Runs {@code send} while the relay's loop is held, so that every cell it sends is queued on the
   * loop before the relay handles the first one: no worker's answer can come back between them,
   * however slowly this thread (a cold JIT, a loaded machine) makes its cells.
   */
  private void whileRelayHeld(ThrowingRunnable send) throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    network
        .relay(relay)
        .loop()
        .execute(
            () -> {
              held.countDown();
              try {
                release.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    assertThat(held.await(10, TimeUnit.SECONDS)).as("relay loop held").isTrue();
    try {
      send.run();
    } finally {
      release.countDown();
    }
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private Cell next() throws InterruptedException {
    Cell cell = probe.received.poll(10, TimeUnit.SECONDS);
    assertThat(cell).as("an answer from the relay").isNotNull();
    return cell;
  }

  @Test
  void twoHundredCreatesAtOnceAreEachAnsweredOnceWithKeysThatComplete() throws Exception {
    Map<Long, Ntor.ClientState> sent = new HashMap<>();
    for (long id = 1; id <= 200; id++) {
      sent.put(id, create(id));
    }
    for (int i = 0; i < 200; i++) {
      Cell cell = next();
      assertThat(cell.command()).isEqualTo(Cell.CREATED2);
      Ntor.ClientState state = sent.remove(cell.circId());
      assertThat(state).as("one answer per CREATE2, id " + cell.circId()).isNotNull();
      byte[] keys = state.complete(Created2.decode(ByteReader.of(cell.payload())).handshakeData());
      assertThat(keys).hasSize(Ntor.KEY_MATERIAL);
    }
    assertThat(sent).isEmpty();
    assertThat(network.relay(relay).circuits()).isEqualTo(200);
  }

  @Test
  void aDestroyWhileTheHandshakeRunsDropsItsAnswerAndLeavesNoCircuit() throws Exception {
    whileRelayHeld(
        () -> {
          create(7);
          channel.send(Cell.fixed(7, Cell.DESTROY, new byte[] {0}));
          create(8); // answered after the worker ran 7's handshake too (same queue, or a sibling)
        });
    Cell answer = next();
    assertThat(answer.circId()).isEqualTo(8);
    assertThat(answer.command()).isEqualTo(Cell.CREATED2);
    assertThat(probe.received.poll(500, TimeUnit.MILLISECONDS)).as("no answer for 7").isNull();
    assertThat(network.relay(relay).circuits()).isEqualTo(1);
  }

  @Test
  void anIdDestroyedAndReusedWhileItsHandshakeRunsGetsTheAnswerOfItsNewCreate() throws Exception {
    Ntor.ClientState[] second = new Ntor.ClientState[1];
    whileRelayHeld(
        () -> {
          create(5);
          channel.send(Cell.fixed(5, Cell.DESTROY, new byte[] {0}));
          second[0] = create(5);
        });
    Cell answer = next();
    assertThat(answer.circId()).isEqualTo(5);
    assertThat(answer.command()).isEqualTo(Cell.CREATED2);
    // The keys are those of the second CREATE2: the first one's answer was dropped.
    assertThat(second[0].complete(Created2.decode(ByteReader.of(answer.payload())).handshakeData()))
        .hasSize(Ntor.KEY_MATERIAL);
    assertThat(probe.received.poll(500, TimeUnit.MILLISECONDS)).as("one answer only").isNull();
    assertThat(network.relay(relay).circuits()).isEqualTo(1);
  }

  @Test
  void aSecondCreateOnAnIdWhoseHandshakeRunsIsRefusedAndTheFirstStillAnswered() throws Exception {
    Ntor.ClientState[] first = new Ntor.ClientState[1];
    whileRelayHeld(
        () -> {
          first[0] = create(9);
          create(9);
        });
    Cell refusal = next();
    assertThat(refusal.circId()).isEqualTo(9);
    assertThat(refusal.command()).isEqualTo(Cell.DESTROY);
    Cell answer = next();
    assertThat(answer.command()).isEqualTo(Cell.CREATED2);
    assertThat(first[0].complete(Created2.decode(ByteReader.of(answer.payload())).handshakeData()))
        .hasSize(Ntor.KEY_MATERIAL);
    assertThat(network.relay(relay).circuits()).isEqualTo(1);
  }

  @Test
  void aClosedChannelDropsThePendingHandshakes() throws Exception {
    for (long id = 1; id <= 20; id++) {
      create(id);
    }
    channel.close();
    for (int i = 0; i < 100 && network.relay(relay).circuits() > 0; i++) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
    assertThat(network.relay(relay).circuits()).isZero();
  }
}
