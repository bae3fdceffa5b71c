package org.oniondrop.onion.circuit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.oniondrop.onion.cell.End;
import org.oniondrop.onion.cell.RelayCell;

/**
 * Copies bytes between TCP sockets and onion streams without a thread per stream: a fixed set of
 * {@value #REACTORS} selector thread(s) serves every bridged stream of the process, so thousands of
 * streams cost sockets and buffers, never threads (availability: no platform thread per stream for
 * a peer to pile up).
 *
 * <p>Flow control carries through: bytes are read from a socket only while the stream and circuit
 * windows have room (a full window stops reading, which pushes back on the local sender through
 * TCP), and a cell counts as consumed, releasing a stream SENDME, only once the socket took all of
 * it. Either side ending ends both: Tor streams have no half-close, so a socket EOF sends END(DONE)
 * after what was read before it, and an END from the peer closes the socket once what arrived
 * before it has been written.
 */
public final class StreamBridge {

  private static final Logger LOG = Logger.getLogger(StreamBridge.class.getName());

  /** Selector threads for all streams of this process (one is plenty for loopback targets). */
  static final int REACTORS = 1;

  /**
   * Cells given to one gathering write to a socket: 32 full DATA cells, about 16 KiB (writing them
   * one by one cost a syscall, and a wakeup of the reading peer, per 498 bytes).
   */
  static final int WRITE_BATCH = 32;

  /** Bytes read from a socket at once: 33 full DATA cells, about 16 KiB, per bridge. */
  static final int READ_BUFFER = 33 * RelayCell.MAX_DATA;

  private static final Reactor[] POOL = new Reactor[REACTORS];
  private static final AtomicInteger NEXT = new AtomicInteger();
  private static final AtomicInteger OPEN = new AtomicInteger();

  private StreamBridge() {}

  /** Starts copying; the socket is closed when the stream ends. */
  public static CompletableFuture<Void> start(OnionStream stream, SocketChannel socket) {
    return start(stream, socket, null);
  }

  /**
   * Starts copying, writing {@code prefix} (for example a PROXY protocol line) to the socket before
   * anything from the stream. The future completes when both directions are done.
   */
  public static CompletableFuture<Void> start(
      OnionStream stream, SocketChannel socket, byte[] prefix) {
    Reactor reactor = reactor();
    Bridge bridge = new Bridge(reactor, stream, socket, prefix);
    OPEN.incrementAndGet();
    bridge.done.whenComplete((v, e) -> OPEN.decrementAndGet());
    try {
      socket.configureBlocking(false);
    } catch (IOException e) {
      bridge.finish();
      stream.close(End.CONNRESET);
      return bridge.done;
    }
    stream.onReady(() -> reactor.schedule(bridge));
    return bridge.done;
  }

  /** Bridges open now, process-wide (tests and status). */
  public static int open() {
    return OPEN.get();
  }

  /** Threads doing the bridging, process-wide: fixed, whatever the number of streams. */
  public static int threads() {
    return REACTORS;
  }

  private static synchronized Reactor reactor() {
    int i = Math.floorMod(NEXT.getAndIncrement(), REACTORS);
    if (POOL[i] == null) {
      try {
        POOL[i] = new Reactor("onion-bridge-" + (i + 1));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open a selector", e);
      }
    }
    return POOL[i];
  }

  /** One selector thread and the bridges it pumps. */
  private static final class Reactor implements Runnable {
    final Selector selector;
    final ConcurrentLinkedQueue<Bridge> ready = new ConcurrentLinkedQueue<>();

    Reactor(String name) throws IOException {
      selector = Selector.open();
      Thread t = new Thread(this, name);
      t.setDaemon(true);
      t.start();
    }

    void schedule(Bridge bridge) {
      if (bridge.scheduled.compareAndSet(false, true)) {
        ready.add(bridge);
        selector.wakeup();
      }
    }

    @Override
    public void run() {
      while (true) {
        try {
          selector.select();
          for (SelectionKey key : selector.selectedKeys()) {
            ((Bridge) key.attachment()).pump();
          }
          selector.selectedKeys().clear();
          Bridge b;
          while ((b = ready.poll()) != null) {
            b.scheduled.set(false);
            b.pump();
          }
        } catch (IOException | RuntimeException e) {
          LOG.log(Level.WARNING, "stream bridge loop: " + e.getClass().getName());
        }
      }
    }
  }

  /** One socket and one stream; touched only on its reactor's thread. */
  private static final class Bridge {
    final Reactor reactor;
    final OnionStream stream;
    final SocketChannel socket;
    final AtomicBoolean scheduled = new AtomicBoolean();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final ByteBuffer in = ByteBuffer.allocate(READ_BUFFER).flip();
    SelectionKey key;

    /**
     * What is waiting to be written, in order: up to {@link #WRITE_BATCH} buffers handed to one
     * gathering write (one syscall, and one wakeup of the reader, for many cells instead of one
     * each); the first may be partly written. {@code pendingIsCell} tells stream cells (consumed
     * once fully written) from the prefix.
     */
    final ByteBuffer[] pending = new ByteBuffer[WRITE_BATCH];

    final boolean[] pendingIsCell = new boolean[WRITE_BATCH];
    int pendingCount;
    boolean socketEof;
    boolean finished;

    Bridge(Reactor reactor, OnionStream stream, SocketChannel socket, byte[] prefix) {
      this.reactor = reactor;
      this.stream = stream;
      this.socket = socket;
      if (prefix != null && prefix.length > 0) {
        pending[0] = ByteBuffer.wrap(prefix);
        pendingCount = 1;
      }
    }

    void pump() {
      if (finished) {
        return;
      }
      try {
        if (key == null) {
          key = socket.register(reactor.selector, 0, this);
        }
        boolean wantWrite = streamToSocket();
        if (finished) {
          return;
        }
        boolean wantRead = socketToStream();
        if (finished) {
          return;
        }
        key.interestOps(
            (wantRead ? SelectionKey.OP_READ : 0) | (wantWrite ? SelectionKey.OP_WRITE : 0));
      } catch (IOException | java.nio.channels.CancelledKeyException e) {
        stream.close(stream.isClosed() ? End.DONE : End.CONNRESET);
        finish();
      }
    }

    /** Writes what the stream delivered; true when the socket is full and we must wait. */
    private boolean streamToSocket() throws IOException {
      while (true) {
        dropWritten();
        boolean end = false;
        while (pendingCount < WRITE_BATCH) {
          byte[] cell = stream.pollCell();
          if (cell == null) {
            break;
          }
          if (OnionStream.isEnd(cell)) {
            end = true; // the marker stays queued: seen again once the cells before it are out
            break;
          }
          pending[pendingCount] = ByteBuffer.wrap(cell);
          pendingIsCell[pendingCount] = true;
          pendingCount++;
        }
        if (pendingCount == 0) {
          if (end) {
            finish(); // everything before the END has been written
          }
          return false;
        }
        socket.write(pending, 0, pendingCount);
        if (pending[pendingCount - 1].hasRemaining()) {
          dropWritten();
          return true;
        }
      }
    }

    /** Drops the fully written buffers from the front, counting each cell as consumed. */
    private void dropWritten() {
      int written = 0;
      while (written < pendingCount && !pending[written].hasRemaining()) {
        if (pendingIsCell[written]) {
          stream.consumed();
        }
        written++;
      }
      if (written == 0) {
        return;
      }
      int left = pendingCount - written;
      System.arraycopy(pending, written, pending, 0, left);
      System.arraycopy(pendingIsCell, written, pendingIsCell, 0, left);
      java.util.Arrays.fill(pending, left, pendingCount, null);
      pendingCount = left;
    }

    /** Reads from the socket while the windows have room; true to wait for readability. */
    private boolean socketToStream() throws IOException {
      while (true) {
        List<byte[]> cells = null;
        while (in.hasRemaining() && stream.tryReserveCell()) {
          byte[] data = new byte[Math.min(in.remaining(), RelayCell.MAX_DATA)];
          in.get(data);
          if (cells == null) {
            cells = new ArrayList<>(in.remaining() / RelayCell.MAX_DATA + 1);
          }
          cells.add(data);
        }
        if (cells != null) {
          stream.sendReserved(cells);
        }
        if (in.hasRemaining()) {
          return false; // a window is empty: its SENDME will schedule us again
        }
        if (socketEof) {
          stream.close(End.DONE);
          finish();
          return false;
        }
        in.clear();
        int n = socket.read(in);
        in.flip();
        if (n < 0) {
          socketEof = true;
        } else if (n == 0) {
          return true;
        }
      }
    }

    void finish() {
      if (finished) {
        return;
      }
      finished = true;
      if (key != null) {
        key.cancel();
      }
      try {
        socket.close();
      } catch (IOException ignored) {
        // nothing more to do for a socket that is already gone
      }
      if (!stream.isClosed()) {
        stream.close(End.DONE);
      }
      done.complete(null);
    }
  }
}
