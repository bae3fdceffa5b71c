package org.oniondrop.crypto.pgp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes a message's ciphertext to its target on a {@link PgpWorkers} thread, in order, so that the
 * target's cost (the store's file write and digest: a third of the upload lane's CPU, measured with
 * perf) runs beside encryption instead of after it.
 *
 * <p>Bytes are gathered into chunks of {@value #CHUNK_BYTES}; at most {@value #QUEUE_DEPTH} chunks
 * wait for the worker, after which the producer blocks (bounded memory). A message that never fills
 * a chunk (replies, short messages) is written on the caller's thread at {@link #finish()}, without
 * a hand-off. The first failure of the target is thrown, as it was thrown (a full store stays a
 * full store), by the producer's next {@code write}, {@code flush} or {@link #finish()}; chunks
 * after a failure are dropped.
 *
 * <p>{@link #finish()} returns once every byte has reached the target; it does not close the
 * target. Not thread-safe for the producer: one encrypting thread writes.
 */
final class AsyncWriteStream extends OutputStream {

  /** Bytes handed to the worker at a time. */
  static final int CHUNK_BYTES = 64 * 1024;

  /** Chunks that may wait for the worker: bounds memory at 256 KiB per message. */
  static final int QUEUE_DEPTH = 4;

  private record Chunk(byte[] bytes, int length) {}

  private final OutputStream target;
  private final Executor workers;
  private final ConcurrentLinkedQueue<Chunk> queue = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<byte[]> free = new ConcurrentLinkedQueue<>();
  private final Semaphore slots = new Semaphore(QUEUE_DEPTH);
  private final AtomicBoolean draining = new AtomicBoolean();
  private volatile Throwable failure;
  private byte[] current;
  private int position;
  private boolean handedOff;
  private boolean finished;

  AsyncWriteStream(OutputStream target) {
    this(target, PgpWorkers.POOL);
  }

  AsyncWriteStream(OutputStream target, Executor workers) {
    this.target = target;
    this.workers = workers;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (finished) {
      throw new IOException("stream finished");
    }
    rethrow();
    while (len > 0) {
      if (current == null) {
        byte[] recycled = free.poll();
        current = recycled != null ? recycled : new byte[CHUNK_BYTES];
        position = 0;
      }
      int n = Math.min(len, CHUNK_BYTES - position);
      System.arraycopy(b, off, current, position, n);
      position += n;
      off += n;
      len -= n;
      if (position == CHUNK_BYTES) {
        submit(new Chunk(current, position));
        current = null;
      }
    }
  }

  /** Hands what is gathered on and waits until the target has it all; then flushes the target. */
  @Override
  public void flush() throws IOException {
    if (finished) {
      return;
    }
    drainAll();
    target.flush();
  }

  /** Every byte written has reached the target (or the target's failure is thrown). */
  void finish() throws IOException {
    if (finished) {
      return;
    }
    drainAll();
    finished = true;
  }

  private void drainAll() throws IOException {
    if (position > 0 && current != null) {
      if (handedOff) {
        submit(new Chunk(current, position));
      } else {
        // Nothing is queued: write it here, no hand-off for a short message.
        rethrow();
        target.write(current, 0, position);
        free.offer(current);
      }
      current = null;
      position = 0;
    }
    if (handedOff) {
      // All slots free again means the worker has written (or dropped) every chunk.
      acquire(QUEUE_DEPTH);
      slots.release(QUEUE_DEPTH);
    }
    rethrow();
  }

  private void submit(Chunk chunk) throws IOException {
    acquire(1);
    handedOff = true;
    queue.add(chunk);
    if (draining.compareAndSet(false, true)) {
      workers.execute(this::drain);
    }
  }

  private void acquire(int permits) throws IOException {
    try {
      slots.acquire(permits);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing the ciphertext");
    }
  }

  private void drain() {
    while (true) {
      Chunk chunk;
      while ((chunk = queue.poll()) != null) {
        if (failure == null) {
          try {
            target.write(chunk.bytes, 0, chunk.length);
          } catch (IOException | RuntimeException e) {
            failure = e;
          }
        }
        free.offer(chunk.bytes);
        slots.release();
      }
      draining.set(false);
      // A producer may have queued after our last poll but before we cleared the flag.
      if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
        return;
      }
    }
  }

  private void rethrow() throws IOException {
    Throwable f = failure;
    if (f instanceof IOException e) {
      throw e;
    }
    if (f instanceof RuntimeException e) {
      throw e;
    }
  }

  /** Not used by the message layers (they end with {@link #finish()}); finishes, then closes. */
  @Override
  public void close() throws IOException {
    finish();
    target.close();
  }
}
