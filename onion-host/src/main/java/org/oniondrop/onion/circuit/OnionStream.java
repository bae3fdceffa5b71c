package org.oniondrop.onion.circuit;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.oniondrop.onion.cell.RelayCell;

/**
 * One stream over a rendezvous circuit's virtual hop. Two ways to use it:
 *
 * <ul>
 *   <li>blocking: {@link #write} blocks while the stream or circuit window is empty (backpressure),
 *       {@link #read} blocks until data arrives;
 *   <li>non-blocking (what {@link StreamBridge} uses): {@link #onReady} is told whenever data
 *       arrived, a window opened or the stream ended; {@link #tryReserveCell} and {@link
 *       #sendReserved} send, {@link #pollCell} and {@link #consumed} receive.
 * </ul>
 *
 * A stream SENDME goes out for every {@value StreamMux#STREAM_SENDME_INCREMENT} cells the reader
 * has consumed, so the peer can never have more than the window in flight; a peer that sends more
 * than the delivery window is caught by {@link #onData}.
 */
public final class OnionStream {

  /** Marks the end of the inbound queue. */
  static final byte[] EOF = new byte[0];

  private final StreamMux mux;
  private final int id;
  private final Semaphore packageWindow = new Semaphore(StreamMux.STREAM_WINDOW_START);
  private final LinkedBlockingQueue<byte[]> inbound = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> connected = new CompletableFuture<>();
  private volatile boolean closed;
  private volatile int endReason = -1;
  private volatile Runnable readyListener;
  private int deliverWindow = StreamMux.STREAM_WINDOW_START; // loop only
  private boolean readyPosted; // loop only: a ready notice for new data is queued on the loop
  private byte[] current;
  private int currentPos;
  private int consumed;

  OnionStream(StreamMux mux, int id) {
    this.mux = mux;
    this.id = id;
  }

  public int id() {
    return id;
  }

  /** The circuit this stream runs on. */
  public OriginCircuit circuit() {
    return mux.circuit();
  }

  /** Completes when CONNECTED arrives, fails with the END reason otherwise. */
  public CompletableFuture<Void> connected() {
    return connected;
  }

  /** The END reason the peer gave, or -1. */
  public int endReason() {
    return endReason;
  }

  public boolean isClosed() {
    return closed;
  }

  // ---- called on the loop by StreamMux ----

  void onConnected() {
    connected.complete(null);
  }

  /** Queues a DATA body; false if the peer overran the delivery window (a protocol violation). */
  boolean onData(byte[] data) {
    if (closed) {
      return true;
    }
    if (--deliverWindow < 0) {
      return false;
    }
    inbound.add(data);
    if (!readyPosted) {
      // Told once per burst, not once per cell: the notice runs after the loop's current task
      // (which may deliver many cells), so a bridge wakes once and writes them together.
      readyPosted = true;
      mux.circuit()
          .execute(
              () -> {
                readyPosted = false;
                notifyReady();
              });
    }
    return true;
  }

  void openDeliverWindow() {
    deliverWindow += StreamMux.STREAM_SENDME_INCREMENT;
  }

  /** A stream SENDME; false if it would lift the window above its start (tor-spec §7.4). */
  boolean onSendme() {
    synchronized (packageWindow) {
      if (packageWindow.availablePermits() + StreamMux.STREAM_SENDME_INCREMENT
          > StreamMux.STREAM_WINDOW_START) {
        return false;
      }
      packageWindow.release(StreamMux.STREAM_SENDME_INCREMENT);
    }
    notifyReady();
    return true;
  }

  void onEnd(int reason) {
    endReason = reason;
    connected.completeExceptionally(new IOException("stream ended, reason " + reason));
    markClosed();
  }

  void markClosed() {
    if (!closed) {
      closed = true;
      inbound.add(EOF);
      packageWindow.release(StreamMux.STREAM_WINDOW_START);
      notifyReady();
    }
  }

  void notifyReady() {
    Runnable l = readyListener;
    if (l != null) {
      l.run();
    }
  }

  // ---- non-blocking use ----

  /**
   * Registers {@code listener}, run (on the circuit's loop, so it must only hand off) whenever this
   * stream may have become readable or writable; it is also run once now.
   */
  public void onReady(Runnable listener) {
    this.readyListener = listener;
    listener.run();
  }

  /** Takes one cell of both windows if both have room; false when the caller must wait. */
  public boolean tryReserveCell() {
    if (closed || !mux.tryAcquireCircuitWindow()) {
      return false;
    }
    if (!packageWindow.tryAcquire()) {
      mux.releaseCircuitWindow();
      return false;
    }
    return true;
  }

  /**
   * Sends DATA cells of at most {@link RelayCell#MAX_DATA} bytes each, one reserved by {@link
   * #tryReserveCell} for each; one hand-off to the circuit's loop for the whole batch.
   */
  public void sendReserved(java.util.List<byte[]> cells) {
    for (byte[] data : cells) {
      if (data.length > RelayCell.MAX_DATA) {
        throw new IllegalArgumentException("a DATA cell carries at most " + RelayCell.MAX_DATA);
      }
    }
    mux.sendData(this, cells);
  }

  /**
   * The next inbound DATA body, {@code null} if none is waiting, or the end marker (see {@link
   * #isEnd}) once the stream has ended. Call {@link #consumed} once its bytes have been delivered.
   */
  public byte[] pollCell() {
    byte[] next = inbound.poll();
    if (next == EOF) {
      inbound.add(EOF);
    }
    return next;
  }

  /** Whether {@code cell} from {@link #pollCell} is the end-of-stream marker. */
  public static boolean isEnd(byte[] cell) {
    return cell == EOF;
  }

  /** One cell from {@link #pollCell} was delivered: sends a stream SENDME every 50. */
  public void consumed() {
    if (++consumed % StreamMux.STREAM_SENDME_INCREMENT == 0) {
      mux.sendStreamSendme(this);
    }
  }

  // ---- blocking use ----

  /** Sends bytes as DATA cells, blocking while windows are empty. */
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (closed) {
        throw new IOException("stream closed");
      }
      int n = Math.min(len, RelayCell.MAX_DATA);
      try {
        mux.acquireCircuitWindow();
        packageWindow.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      if (closed) {
        throw new IOException("stream closed");
      }
      mux.sendData(this, java.util.List.of(Arrays.copyOfRange(b, off, off + n)));
      off += n;
      len -= n;
    }
  }

  /**
   * Reads into {@code buf}; returns -1 at the end of the stream, or 0 if nothing arrived within
   * {@code timeoutMillis} (so callers can check for shutdown).
   */
  public int read(byte[] buf, long timeoutMillis) throws IOException {
    if (current == null || currentPos == current.length) {
      byte[] next;
      try {
        next = inbound.poll(timeoutMillis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      if (next == null) {
        return 0;
      }
      if (next == EOF) {
        inbound.add(EOF);
        return -1;
      }
      current = next;
      currentPos = 0;
      consumed();
    }
    int n = Math.min(buf.length, current.length - currentPos);
    System.arraycopy(current, currentPos, buf, 0, n);
    currentPos += n;
    return n;
  }

  /** Ends the stream from this side with {@code reason}. */
  public void close(int reason) {
    if (!closed) {
      mux.endStream(this, reason);
    }
  }
}
