package org.oniondrop.onion.circuit;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.oniondrop.onion.cell.End;
import org.oniondrop.onion.cell.RelayCell;

/**
 * One stream over a rendezvous circuit's virtual hop, used by blocking threads: {@link #write}
 * blocks while the stream or circuit window is empty (backpressure), {@link #read} blocks until
 * data arrives. A stream SENDME goes out for every {@value StreamMux#STREAM_SENDME_INCREMENT} cells
 * the reader has consumed, so the peer can never have more than the window in flight.
 */
public final class OnionStream {

  /** A queue deeper than the window means the peer ignored flow control. */
  static final int MAX_QUEUED_CELLS = StreamMux.STREAM_WINDOW_START + 16;

  private static final byte[] EOF = new byte[0];

  private final StreamMux mux;
  private final int id;
  private final Semaphore packageWindow = new Semaphore(StreamMux.STREAM_WINDOW_START);
  private final LinkedBlockingQueue<byte[]> inbound = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> connected = new CompletableFuture<>();
  private volatile boolean closed;
  private volatile int endReason = -1;
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

  void onData(byte[] data) {
    if (closed) {
      return;
    }
    inbound.add(data);
    if (inbound.size() > MAX_QUEUED_CELLS) {
      mux.endStream(this, End.TORPROTOCOL);
    }
  }

  void onSendme() {
    packageWindow.release(StreamMux.STREAM_SENDME_INCREMENT);
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
    }
  }

  // ---- called by blocking threads ----

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
      mux.sendData(this, Arrays.copyOfRange(b, off, off + n));
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
      if (++consumed % StreamMux.STREAM_SENDME_INCREMENT == 0) {
        mux.sendStreamSendme(this);
      }
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
