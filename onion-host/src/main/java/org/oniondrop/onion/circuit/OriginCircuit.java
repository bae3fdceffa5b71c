package org.oniondrop.onion.circuit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;
import org.oniondrop.onion.cell.Cell;
import org.oniondrop.onion.cell.Create2;
import org.oniondrop.onion.cell.Created2;
import org.oniondrop.onion.cell.Extend2;
import org.oniondrop.onion.cell.RelayCell;
import org.oniondrop.onion.cell.RelayCommand;
import org.oniondrop.onion.crypto.CryptoException;
import org.oniondrop.onion.handshake.Ntor;
import org.oniondrop.onion.net.Channel;
import org.oniondrop.onion.net.RelayInfo;
import org.oniondrop.onion.relaycrypto.RelayLayer;

/**
 * A circuit built from this origin: one tor1 layer per hop, plus optionally the onion-service
 * virtual hop. Methods run on the origin node's loop.
 */
public final class OriginCircuit {

  /** The hop index of the onion-service virtual hop. */
  public static final int VIRTUAL_HOP = -1;

  /** tor-spec §5.6: at most this many RELAY_EARLY cells per circuit. */
  static final int MAX_RELAY_EARLY = 8;

  /** Source of global circuit identifiers, as C tor's n_origin_circs: 1, 2, ... (never 0). */
  private static final java.util.concurrent.atomic.AtomicInteger GLOBAL_IDS =
      new java.util.concurrent.atomic.AtomicInteger();

  private final int globalId = nextGlobalId();

  private final OriginNode node;
  private final Channel channel;
  private final long id;
  private List<RelayInfo> path; // grows by one hop on extend(), on the loop
  private final List<RelayLayer> layers = new ArrayList<>();
  private final CompletableFuture<OriginCircuit> built;
  private CompletableFuture<OriginCircuit> extension; // loop only: an extend() under way
  private volatile CircuitListener listener;
  private Ntor.ClientState pending;
  private RelayLayer virtualHop;
  private RelayLayer.Side virtualSide;
  private int earlySent;
  private volatile boolean destroyed;

  OriginCircuit(
      OriginNode node,
      Channel channel,
      long id,
      List<RelayInfo> path,
      CircuitListener listener,
      CompletableFuture<OriginCircuit> built) {
    this.node = node;
    this.channel = channel;
    this.id = id;
    this.path = List.copyOf(path);
    this.listener = listener;
    this.built = built;
  }

  Channel channel() {
    return channel;
  }

  private static int nextGlobalId() {
    int id;
    do {
      id = GLOBAL_IDS.incrementAndGet();
    } while (id == 0); // a uint32 that wrapped: 0 means "no circuit" in tor's PROXY export
    return id;
  }

  /**
   * This circuit's process-wide identifier (C tor's {@code global_identifier}, an unsigned 32-bit
   * counter shown as {@code Integer.toUnsignedLong}); what a service exports to its local target so
   * that the target can tell rendezvous circuits, and so clients, apart.
   */
  public int globalId() {
    return globalId;
  }

  long id() {
    return id;
  }

  CompletableFuture<OriginCircuit> buildFuture() {
    return built;
  }

  public OriginNode node() {
    return node;
  }

  public List<RelayInfo> path() {
    return path;
  }

  public boolean isOpen() {
    return !destroyed;
  }

  public boolean hasVirtualHop() {
    return virtualHop != null;
  }

  /** Replaces the listener (e.g. once a rendezvous circuit carries streams). */
  public void listener(CircuitListener listener) {
    this.listener = listener;
  }

  void start() {
    RelayInfo first = path.get(0);
    pending = Ntor.client(first.rsaId(), first.ntorKey(), node.random());
    ByteWriter w = new ByteWriter(90);
    new Create2(Create2.HTYPE_NTOR, pending.onionskin()).encode(w);
    channel.send(Cell.fixed(id, Cell.CREATE2, w.toByteArray()));
  }

  void onCreated2(byte[] payload) {
    if (pending == null || !layers.isEmpty()) {
      destroy();
      return;
    }
    try {
      completeHop(Created2.decode(ByteReader.of(payload)).handshakeData());
    } catch (DecodeException | CryptoException e) {
      fail("first hop handshake failed: " + e.getMessage());
    }
  }

  private void completeHop(byte[] reply) throws CryptoException {
    byte[] keys = pending.complete(reply);
    pending = null;
    layers.add(RelayLayer.tor1(keys, RelayLayer.Side.ORIGIN));
    kh = java.util.Arrays.copyOfRange(keys, 72, 92);
    if (layers.size() == path.size()) {
      if (!built.isDone()) {
        built.complete(this);
      } else if (extension != null) {
        CompletableFuture<OriginCircuit> done = extension;
        extension = null;
        done.complete(this);
      }
      return;
    }
    sendExtend(path.get(layers.size()));
  }

  /**
   * Extends this built circuit by one hop to {@code next} (tor-spec §5.1.2, EXTEND2 in
   * RELAY_EARLY): what C tor does to a prebuilt circuit it cannibalizes for an introduction or
   * rendezvous point. Completes with this circuit once the new hop answered; fails (and the circuit
   * is destroyed) if it does not within {@link OriginNode#BUILD_TIMEOUT_SECONDS}. Call from any
   * thread.
   */
  public CompletableFuture<OriginCircuit> extend(RelayInfo next) {
    CompletableFuture<OriginCircuit> result = new CompletableFuture<>();
    execute(
        () -> {
          if (destroyed
              || !built.isDone()
              || built.isCompletedExceptionally()
              || pending != null
              || extension != null
              || virtualHop != null
              || path.contains(next)) {
            result.completeExceptionally(new CircuitException("circuit cannot be extended"));
            return;
          }
          extension = result;
          List<RelayInfo> longer = new ArrayList<>(path);
          longer.add(next);
          path = List.copyOf(longer);
          sendExtend(next);
        });
    result
        .orTimeout(OriginNode.BUILD_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)
        .whenComplete(
            (c, e) -> {
              if (e != null) {
                execute(this::destroy);
              }
            });
    return result;
  }

  private void sendExtend(RelayInfo next) {
    pending = Ntor.client(next.rsaId(), next.ntorKey(), node.random());
    ByteWriter w = new ByteWriter(160);
    new Extend2(next.linkSpecifiers(), new Create2(Create2.HTYPE_NTOR, pending.onionskin()))
        .encode(w);
    send(layers.size() - 1, new RelayCell(RelayCommand.EXTEND2, 0, w.toByteArray()), true);
  }

  private byte[] kh;

  /** KH of the last hop's ntor handshake: the ESTABLISH_INTRO MAC key (tor-spec §5.2.2). */
  public byte[] lastHopKh() {
    return kh.clone();
  }

  void onRelay(byte[] payload) {
    byte[] body = payload.clone();
    for (int i = 0; i < layers.size(); i++) {
      RelayLayer layer = layers.get(i);
      layer.decrypt(body);
      byte[] digest = layer.recognize(body);
      if (digest != null) {
        deliver(i, body, digest);
        return;
      }
    }
    if (virtualHop != null) {
      virtualHop.decrypt(body);
      byte[] digest = virtualHop.recognize(body);
      if (digest != null) {
        deliver(VIRTUAL_HOP, body, digest);
        return;
      }
    }
    destroy(); // unrecognized: someone is tampering
  }

  private void deliver(int hop, byte[] body, byte[] digest) {
    RelayCell cell;
    try {
      cell = RelayCell.decode(body);
    } catch (DecodeException e) {
      destroy();
      return;
    }
    if (!built.isDone()) {
      if (cell.command() == RelayCommand.EXTENDED2 && hop == layers.size() - 1 && pending != null) {
        try {
          completeHop(Created2.decode(ByteReader.of(cell.data())).handshakeData());
        } catch (DecodeException | CryptoException e) {
          fail("extending to hop " + (layers.size() + 1) + " failed: " + e.getMessage());
        }
      } else {
        fail("unexpected relay cell while building");
      }
      return;
    }
    if (extension != null && cell.command() == RelayCommand.EXTENDED2) {
      if (hop == layers.size() - 1 && pending != null) {
        try {
          completeHop(Created2.decode(ByteReader.of(cell.data())).handshakeData());
        } catch (DecodeException | CryptoException e) {
          fail("extending to hop " + (layers.size() + 1) + " failed: " + e.getMessage());
        }
      } else {
        fail("unexpected EXTENDED2");
      }
      return;
    }
    CircuitListener l = listener;
    if (l != null) {
      l.onRelayCell(this, hop, cell, digest);
    }
  }

  /**
   * Sends {@code cell} to {@code hop} (or the virtual hop); returns the running digest after it.
   */
  public byte[] send(int hop, RelayCell cell, boolean early) {
    if (destroyed) {
      return null;
    }
    byte[] body = cell.encode(node.random());
    byte[] digest;
    int outer;
    if (hop == VIRTUAL_HOP) {
      digest = virtualHop.stamp(body);
      virtualHop.encrypt(body);
      outer = layers.size() - 1;
    } else {
      digest = layers.get(hop).stamp(body);
      outer = hop;
    }
    for (int i = outer; i >= 0; i--) {
      layers.get(i).encrypt(body);
    }
    boolean useEarly = early && earlySent < MAX_RELAY_EARLY;
    if (useEarly) {
      earlySent++;
    }
    channel.send(new Cell(id, useEarly ? Cell.RELAY_EARLY : Cell.RELAY, body));
    return digest;
  }

  /** Sends to the last hop. */
  public byte[] sendToLast(RelayCell cell) {
    return send(layers.size() - 1, cell, false);
  }

  /**
   * Appends the onion-service virtual hop (rend-spec-v3 §4.2.1) from hs-ntor key material; the
   * client is {@link RelayLayer.Side#ORIGIN}, the service {@link RelayLayer.Side#RESPONDER}.
   */
  public void addVirtualHop(byte[] keyMaterial, RelayLayer.Side side) {
    virtualHop = RelayLayer.hsVirtualHop(keyMaterial, side);
    virtualSide = side;
  }

  RelayLayer.Side virtualSide() {
    return virtualSide;
  }

  private void fail(String message) {
    built.completeExceptionally(new CircuitException(message));
    if (extension != null) {
      extension.completeExceptionally(new CircuitException(message));
      extension = null;
    }
    destroy();
  }

  void onDestroy() {
    if (destroyed) {
      return;
    }
    destroyed = true;
    node.forget(this);
    built.completeExceptionally(new CircuitException("circuit destroyed while building"));
    if (extension != null) {
      extension.completeExceptionally(new CircuitException("circuit destroyed while extending"));
      extension = null;
    }
    CircuitListener l = listener;
    if (l != null) {
      l.onDestroyed(this);
    }
  }

  /** Tears the circuit down (sends DESTROY). */
  public void destroy() {
    if (destroyed) {
      return;
    }
    channel.send(Cell.fixed(id, Cell.DESTROY, new byte[] {0}));
    onDestroy();
  }

  /** Runs {@code task} on this circuit's node loop. */
  public void execute(Runnable task) {
    node.loop().execute(task);
  }
}
