package org.oniondrop.onion.circuit;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.cell.Begin;
import org.oniondrop.onion.cell.Cell;
import org.oniondrop.onion.cell.End;
import org.oniondrop.onion.cell.RelayCell;
import org.oniondrop.onion.cell.RelayCommand;
import org.oniondrop.onion.cell.Sendme;
import org.oniondrop.onion.net.Channel;
import org.oniondrop.onion.relaycrypto.RelayLayer;

/**
 * A hostile peer on a joined circuit's virtual hop, against the service's {@link StreamMux}: the
 * two ends are real {@link OriginCircuit}s with the virtual hop's crypto, wired back to back (no
 * relays), so each abuse arrives exactly as it would over the network and its outcome is
 * deterministic.
 */
class StreamMuxAbuseTest {

  private static final int STREAM_CAP = 16;

  private final SecureRandom random = new SecureRandom();
  private OriginNode serviceNode;
  private OriginNode clientNode;
  private OriginCircuit service;
  private OriginCircuit client;
  private StreamMux serviceMux;
  private StreamMux clientMux;
  private final List<RelayCell> toClient = new CopyOnWriteArrayList<>();
  private final List<byte[]> clientDigests = new CopyOnWriteArrayList<>();
  private final AtomicInteger begins = new AtomicInteger();
  private volatile boolean answerBegins = true;
  private final CompletableFuture<OnionStream> accepted = new CompletableFuture<>();

  /** A channel that hands each RELAY or DESTROY cell to the other end's circuit on its loop. */
  private static Channel towards(OriginNode node, OriginCircuit[] far) {
    return new Channel() {
      @Override
      public void send(Cell cell) {
        node.loop()
            .execute(
                () -> {
                  if (cell.command() == Cell.RELAY) {
                    far[0].onRelay(cell.payload());
                  } else if (cell.command() == Cell.DESTROY) {
                    far[0].onDestroy();
                  }
                });
      }

      @Override
      public void close() {}

      @Override
      public boolean isOpen() {
        return true;
      }

      @Override
      public String peer() {
        return "back-to-back";
      }

      @Override
      public boolean initiator() {
        return false;
      }
    };
  }

  @BeforeEach
  void join() {
    serviceNode = new OriginNode("service", null, random);
    clientNode = new OriginNode("client", null, random);
    OriginCircuit[] clientRef = new OriginCircuit[1];
    OriginCircuit[] serviceRef = new OriginCircuit[1];
    service =
        new OriginCircuit(
            serviceNode,
            towards(clientNode, clientRef),
            1,
            List.of(),
            null,
            CompletableFuture.completedFuture(null));
    client =
        new OriginCircuit(
            clientNode,
            towards(serviceNode, serviceRef),
            1,
            List.of(),
            null,
            CompletableFuture.completedFuture(null));
    serviceRef[0] = service;
    clientRef[0] = client;
    byte[] keys = new byte[128];
    random.nextBytes(keys);
    service.addVirtualHop(keys, RelayLayer.Side.RESPONDER);
    client.addVirtualHop(keys, RelayLayer.Side.ORIGIN);
    serviceMux =
        new StreamMux(
            service,
            (mux, sid, begin) -> {
              begins.incrementAndGet();
              if (answerBegins) {
                accepted.complete(mux.accept(sid));
              }
            },
            null,
            STREAM_CAP);
    service.listener(serviceMux);
    clientMux = new StreamMux(client, null, null);
    client.listener(
        new CircuitListener() {
          @Override
          public void onRelayCell(OriginCircuit c, int hop, RelayCell cell, byte[] digest) {
            toClient.add(cell);
            if (cell.command() == RelayCommand.DATA) {
              clientDigests.add(digest);
            }
            // The raw cells this test sends bypass the client mux's accounting, so the
            // service's circuit SENDMEs are not for it to check.
            if (!(cell.command() == RelayCommand.SENDME && cell.streamId() == 0)) {
              clientMux.onRelayCell(c, hop, cell, digest);
            }
          }

          @Override
          public void onDestroyed(OriginCircuit c) {
            clientMux.onDestroyed(c);
          }
        });
  }

  @AfterEach
  void close() {
    serviceNode.close();
    clientNode.close();
  }

  /** Lets every cell in flight arrive and be answered. */
  private void settle() {
    for (int i = 0; i < 3; i++) {
      clientNode.loop().call(() -> null).join();
      serviceNode.loop().call(() -> null).join();
    }
  }

  private boolean serviceOpen() {
    settle();
    return serviceNode.loop().call(service::isOpen).join();
  }

  private void clientSends(RelayCell cell) {
    clientNode.loop().execute(() -> client.send(OriginCircuit.VIRTUAL_HOP, cell, false));
  }

  private OnionStream openStream() throws Exception {
    clientMux.open(80);
    return accepted.get(10, TimeUnit.SECONDS);
  }

  private static RelayCell sendme(Sendme s) {
    ByteWriter w = new ByteWriter(24);
    s.encode(w);
    return new RelayCell(RelayCommand.SENDME, 0, w.toByteArray());
  }

  @Test
  void anUnauthenticatedV0CircuitSendmeClosesTheCircuit() {
    // Given a circuit that has sent nothing
    // When the peer sends an empty (v0) circuit SENDME, which would refill the window for free
    clientSends(sendme(Sendme.v0()));
    // Then the service closes the circuit
    assertThat(serviceOpen()).isFalse();
  }

  @Test
  void aV1SendmeWithAForgedDigestClosesTheCircuit() {
    byte[] forged = new byte[Sendme.DIGEST_LENGTH];
    random.nextBytes(forged);
    clientSends(sendme(Sendme.v1(forged)));
    assertThat(serviceOpen()).isFalse();
  }

  @Test
  void anHonestSendmeRefillsTheWindowButAReplayedOneClosesTheCircuit() throws Exception {
    // Given a stream over which the service sent exactly one SENDME increment of DATA
    OnionStream stream = openStream();
    byte[] bytes = new byte[StreamMux.CIRCUIT_SENDME_INCREMENT * RelayCell.MAX_DATA];
    stream.write(bytes, 0, bytes.length);
    settle();
    // Then the client's real v1 SENDME was accepted: the circuit is open, the window full again
    assertThat(serviceOpen()).isTrue();
    assertThat(serviceNode.loop().call(() -> serviceMux.circuitWindowForTest()).join())
        .isEqualTo(StreamMux.CIRCUIT_WINDOW_START);
    // When the peer sends the same (once valid) SENDME again, lifting the window past its start
    byte[] digest = clientDigests.get(clientDigests.size() - 1);
    clientSends(sendme(Sendme.v1(java.util.Arrays.copyOf(digest, Sendme.DIGEST_LENGTH))));
    // Then the circuit is closed
    assertThat(serviceOpen()).isFalse();
  }

  @Test
  void aStreamSendmeBeyondTheStreamWindowClosesTheCircuit() throws Exception {
    OnionStream stream = openStream();
    assertThat(serviceOpen()).isTrue();
    // The stream window is full (nothing sent): one more SENDME would lift it to 550.
    clientSends(new RelayCell(RelayCommand.SENDME, stream.id(), new byte[0]));
    assertThat(serviceOpen()).isFalse();
  }

  @Test
  void moreDataThanTheStreamDeliveryWindowClosesTheCircuit() throws Exception {
    OnionStream stream = openStream();
    // Nobody reads the stream, so no stream SENDME goes out: the peer may send 500 cells.
    for (int i = 0; i < StreamMux.STREAM_WINDOW_START; i++) {
      clientSends(new RelayCell(RelayCommand.DATA, stream.id(), new byte[] {1}));
    }
    assertThat(serviceOpen()).isTrue();
    clientSends(new RelayCell(RelayCommand.DATA, stream.id(), new byte[] {1}));
    assertThat(serviceOpen()).isFalse();
  }

  @Test
  void aBeginFloodIsRefusedPastTheStreamCapBeforeAnyConnect() {
    // Given a service whose connects never finish (every BEGIN stays pending)
    answerBegins = false;
    // When the peer sends 1,000 BEGINs on one circuit
    ByteWriter w = new ByteWriter(16);
    new Begin("", 80, 0).encode(w);
    byte[] begin = w.toByteArray();
    for (int sid = 1; sid <= 1000; sid++) {
      clientSends(new RelayCell(RelayCommand.BEGIN, sid, begin));
    }
    settle();
    // Then exactly the cap reached the connect step, and every other BEGIN got END(RESOURCELIMIT)
    assertThat(begins.get()).isEqualTo(STREAM_CAP);
    List<RelayCell> ends = new ArrayList<>();
    for (RelayCell c : toClient) {
      if (c.command() == RelayCommand.END) {
        ends.add(c);
      }
    }
    assertThat(ends).hasSize(1000 - STREAM_CAP);
    assertThat(ends).allSatisfy(c -> assertThat(c.data()[0]).isEqualTo((byte) End.RESOURCELIMIT));
    assertThat(serviceNode.loop().call(serviceMux::beginsRefused).join())
        .isEqualTo(1000 - STREAM_CAP);
    assertThat(serviceOpen()).isTrue();
  }
}
