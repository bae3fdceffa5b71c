package org.oniondrop.onion.circuit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;
import org.oniondrop.onion.cell.Begin;
import org.oniondrop.onion.cell.Connected;
import org.oniondrop.onion.cell.End;
import org.oniondrop.onion.cell.RelayCell;
import org.oniondrop.onion.cell.RelayCommand;
import org.oniondrop.onion.cell.Sendme;

/**
 * The streams of one rendezvous circuit and its circuit-level flow control (tor-spec §7.3-§7.4): a
 * package window of {@value #CIRCUIT_WINDOW_START} DATA cells refilled by {@value
 * #CIRCUIT_SENDME_INCREMENT} per SENDME, authenticated (v1) SENDMEs carrying the running digest of
 * the cell that triggered them; stream windows of {@value #STREAM_WINDOW_START}.
 *
 * <p>Security: every peer message that would grow a window is checked, as C tor's sendme.c does. A
 * circuit SENDME must be version {@value #SENDME_ACCEPT_MIN_VERSION} or later (both ends of the
 * virtual hop emit v1: C tor since 0.4.1, proposal 289), must carry the digest of a cell we sent,
 * and may never lift the package window above {@value #CIRCUIT_WINDOW_START}; a stream SENDME may
 * never lift a stream's window above {@value #STREAM_WINDOW_START}; a peer that sends more DATA
 * than our delivery windows allow is violating the protocol. Each of these closes the circuit.
 * BEGINs are counted from the moment they arrive (before any local connect), so a BEGIN flood is
 * refused past {@link #maxStreams()} streams open or being opened.
 */
public final class StreamMux implements CircuitListener {

  public static final int CIRCUIT_WINDOW_START = 1000;
  public static final int CIRCUIT_SENDME_INCREMENT = 100;
  public static final int STREAM_WINDOW_START = 500;
  public static final int STREAM_SENDME_INCREMENT = 50;

  /**
   * Oldest circuit SENDME version accepted (C tor's consensus param sendme_accept_min_version): v0
   * SENDMEs are unauthenticated and would let a peer refill our window without reading anything.
   */
  public static final int SENDME_ACCEPT_MIN_VERSION = 1;

  /**
   * Streams one circuit may carry at once, counting BEGINs still connecting (C tor's
   * HiddenServiceMaxStreams idea, with a default instead of "unlimited").
   */
  public static final int MAX_STREAMS = 256;

  /** What the service does with an incoming BEGIN. */
  public interface BeginHandler {
    /** Called on the loop; answer by {@link StreamMux#accept} or {@link StreamMux#refuse}. */
    void onBegin(StreamMux mux, int streamId, Begin begin);
  }

  /** Told when the circuit goes away. */
  public interface CloseListener {
    void onCircuitClosed(StreamMux mux);
  }

  private final OriginCircuit circuit;
  private final BeginHandler beginHandler;
  private final CloseListener closeListener;
  private final int maxStreams;
  private final Semaphore circuitWindow = new Semaphore(CIRCUIT_WINDOW_START);
  private final ArrayDeque<byte[]> expectedSendmeDigests = new ArrayDeque<>();
  private final Map<Integer, OnionStream> streams = new HashMap<>();
  private final Set<Integer> pendingBegins = new HashSet<>();
  private final AtomicInteger nextStreamId = new AtomicInteger(1);
  private int dataSent;
  private int dataReceived;
  private int beginsRefused;

  public StreamMux(OriginCircuit circuit, BeginHandler beginHandler, CloseListener closeListener) {
    this(circuit, beginHandler, closeListener, MAX_STREAMS);
  }

  /** A mux refusing BEGINs beyond {@code maxStreams} open or connecting streams. */
  public StreamMux(
      OriginCircuit circuit,
      BeginHandler beginHandler,
      CloseListener closeListener,
      int maxStreams) {
    if (maxStreams < 1 || maxStreams > MAX_STREAMS) {
      throw new IllegalArgumentException("max streams must be 1.." + MAX_STREAMS);
    }
    this.circuit = circuit;
    this.beginHandler = beginHandler;
    this.closeListener = closeListener;
    this.maxStreams = maxStreams;
  }

  public OriginCircuit circuit() {
    return circuit;
  }

  public int maxStreams() {
    return maxStreams;
  }

  /** Opens a stream to virtual port {@code port} (client side). */
  public OnionStream open(int port) {
    OnionStream stream = new OnionStream(this, nextStreamId.getAndIncrement() & 0xffff);
    circuit.execute(
        () -> {
          if (!circuit.isOpen() || streams.size() >= maxStreams) {
            stream.onEnd(End.RESOURCELIMIT);
            return;
          }
          streams.put(stream.id(), stream);
          ByteWriter w = new ByteWriter(16);
          new Begin("", port, 0).encode(w);
          circuit.send(
              OriginCircuit.VIRTUAL_HOP,
              new RelayCell(RelayCommand.BEGIN, stream.id(), w.toByteArray()),
              false);
        });
    return stream;
  }

  /** Accepts a BEGIN (service side): answers an empty CONNECTED. Call on the loop. */
  public OnionStream accept(int streamId) {
    pendingBegins.remove(streamId);
    OnionStream stream = new OnionStream(this, streamId);
    streams.put(streamId, stream);
    ByteWriter w = new ByteWriter(1);
    Connected.empty().encode(w);
    circuit.send(
        OriginCircuit.VIRTUAL_HOP,
        new RelayCell(RelayCommand.CONNECTED, streamId, w.toByteArray()),
        false);
    stream.onConnected();
    return stream;
  }

  /** Refuses a BEGIN with an END reason. Call on the loop. */
  public void refuse(int streamId, int reason) {
    pendingBegins.remove(streamId);
    circuit.send(
        OriginCircuit.VIRTUAL_HOP,
        new RelayCell(RelayCommand.END, streamId, new byte[] {(byte) reason}),
        false);
  }

  public int openStreams() {
    return streams.size();
  }

  /** Permits in the circuit package window (tests). */
  int circuitWindowForTest() {
    return circuitWindow.availablePermits();
  }

  /** BEGINs refused because the circuit was at its stream cap (tests and status). */
  public int beginsRefused() {
    return beginsRefused;
  }

  @Override
  public void onRelayCell(OriginCircuit c, int hop, RelayCell cell, byte[] digest) {
    if (hop != OriginCircuit.VIRTUAL_HOP) {
      return; // relays have nothing to say on a joined circuit
    }
    int sid = cell.streamId();
    switch (cell.command()) {
      case RelayCommand.DATA -> {
        if (++dataReceived % CIRCUIT_SENDME_INCREMENT == 0) {
          ByteWriter w = new ByteWriter(24);
          Sendme.v1(Arrays.copyOf(digest, Sendme.DIGEST_LENGTH)).encode(w);
          circuit.send(
              OriginCircuit.VIRTUAL_HOP,
              new RelayCell(RelayCommand.SENDME, 0, w.toByteArray()),
              false);
        }
        OnionStream s = streams.get(sid);
        if (s != null && !s.onData(cell.data())) {
          protocolViolation(); // more DATA than the stream's delivery window allows
        }
      }
      case RelayCommand.SENDME -> onSendme(sid, cell.data());
      case RelayCommand.CONNECTED -> {
        OnionStream s = streams.get(sid);
        if (s != null) {
          s.onConnected();
        }
      }
      case RelayCommand.END -> {
        OnionStream s = streams.remove(sid);
        if (s != null) {
          int reason;
          try {
            reason = End.decode(ByteReader.of(cell.data())).reason();
          } catch (DecodeException e) {
            reason = End.MISC;
          }
          s.onEnd(reason);
        }
      }
      case RelayCommand.BEGIN -> {
        if (beginHandler == null
            || sid == 0
            || streams.containsKey(sid)
            || pendingBegins.contains(sid)) {
          return;
        }
        if (streams.size() + pendingBegins.size() >= maxStreams) {
          beginsRefused++;
          refuse(sid, End.RESOURCELIMIT);
          return;
        }
        Begin begin;
        try {
          begin = Begin.decode(ByteReader.of(cell.data()));
        } catch (DecodeException e) {
          refuse(sid, End.TORPROTOCOL);
          return;
        }
        pendingBegins.add(sid);
        beginHandler.onBegin(this, sid, begin);
      }
      default -> {
        // DROP and unknown commands are ignored.
      }
    }
  }

  private void onSendme(int sid, byte[] data) {
    if (sid != 0) {
      // Stream SENDMEs are v0 (tor-spec §7.4); a stream already gone is not an error.
      OnionStream s = streams.get(sid);
      if (s != null && !s.onSendme()) {
        protocolViolation(); // would lift the stream window above its start
      }
      return;
    }
    Sendme sendme;
    try {
      sendme = Sendme.decode(ByteReader.of(data));
    } catch (DecodeException e) {
      protocolViolation();
      return;
    }
    if (sendme.version() < SENDME_ACCEPT_MIN_VERSION) {
      protocolViolation(); // unauthenticated SENDME where v1 is required
      return;
    }
    byte[] expected = expectedSendmeDigests.poll();
    if (expected == null || !Arrays.equals(expected, sendme.digest())) {
      // A SENDME for data never sent, or with the wrong digest (proposal 289).
      protocolViolation();
      return;
    }
    if (circuitWindow.availablePermits() + CIRCUIT_SENDME_INCREMENT > CIRCUIT_WINDOW_START) {
      protocolViolation(); // tor: "Unexpected sendme cell from exit relay"
      return;
    }
    circuitWindow.release(CIRCUIT_SENDME_INCREMENT);
    for (OnionStream s : new ArrayList<>(streams.values())) {
      s.notifyReady();
    }
  }

  private void protocolViolation() {
    circuit.destroy();
  }

  @Override
  public void onDestroyed(OriginCircuit c) {
    for (OnionStream s : new ArrayList<>(streams.values())) {
      s.onEnd(End.DESTROY);
    }
    streams.clear();
    pendingBegins.clear();
    circuitWindow.release(CIRCUIT_WINDOW_START);
    if (closeListener != null) {
      closeListener.onCircuitClosed(this);
    }
  }

  // ---- for OnionStream ----

  void acquireCircuitWindow() throws InterruptedException {
    circuitWindow.acquire();
  }

  boolean tryAcquireCircuitWindow() {
    return circuitWindow.tryAcquire();
  }

  void releaseCircuitWindow() {
    circuitWindow.release();
  }

  void sendData(OnionStream stream, java.util.List<byte[]> cells) {
    circuit.execute(
        () -> {
          for (byte[] data : cells) {
            sendDataOnLoop(stream, data);
          }
        });
  }

  private void sendDataOnLoop(OnionStream stream, byte[] data) {
    if (stream.isClosed()) {
      return;
    }
    byte[] digest =
        circuit.send(
            OriginCircuit.VIRTUAL_HOP, new RelayCell(RelayCommand.DATA, stream.id(), data), false);
    if (++dataSent % CIRCUIT_SENDME_INCREMENT == 0 && digest != null) {
      expectedSendmeDigests.add(Arrays.copyOf(digest, Sendme.DIGEST_LENGTH));
    }
  }

  void sendStreamSendme(OnionStream stream) {
    circuit.execute(
        () -> {
          if (!stream.isClosed()) {
            stream.openDeliverWindow();
            circuit.send(
                OriginCircuit.VIRTUAL_HOP,
                new RelayCell(RelayCommand.SENDME, stream.id(), new byte[0]),
                false);
          }
        });
  }

  void endStream(OnionStream stream, int reason) {
    circuit.execute(
        () -> {
          if (streams.remove(stream.id()) != null || !stream.isClosed()) {
            circuit.send(
                OriginCircuit.VIRTUAL_HOP,
                new RelayCell(RelayCommand.END, stream.id(), new byte[] {(byte) reason}),
                false);
          }
          stream.markClosed();
        });
  }
}
