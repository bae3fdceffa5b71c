package org.oniondrop.dropbox.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The aligned buffers of a store's {@code O_DIRECT} writes: at most {@link
 * EncryptedStore#MAX_DIRECT_WRITES}, each two halves of {@link EncryptedStore#DIRECT_BUFFER_BYTES},
 * allocated once and reused (direct memory is released only by the garbage collector, so a flood of
 * small writes must not allocate it per write). When all are taken, or the file system refuses
 * {@code O_DIRECT} (tmpfs, some network and FUSE file systems answer EINVAL), writes go through the
 * page cache. Thread-safe.
 */
final class DirectBuffers {

  private static final Logger LOG = Logger.getLogger(DirectBuffers.class.getName());

  /** The alignment {@code O_DIRECT} asks of us when the file system reports none smaller. */
  private static final int MIN_BLOCK = 4096;

  private final int block;
  private final ConcurrentLinkedQueue<ByteBuffer> idle = new ConcurrentLinkedQueue<>();
  private final AtomicInteger allocated = new AtomicInteger();
  private volatile boolean enabled = true;

  private DirectBuffers(int block) {
    this.block = block;
  }

  /** Buffers for the store at {@code root}, aligned to its file system's block size. */
  static DirectBuffers forStore(Path root) {
    int block = MIN_BLOCK;
    try {
      long reported = Files.getFileStore(root).getBlockSize();
      if (reported > block && reported <= EncryptedStore.DIRECT_BUFFER_BYTES) {
        block = (int) reported;
      }
    } catch (IOException | UnsupportedOperationException e) {
      // the default alignment; a refusal at open time turns O_DIRECT off
    }
    if (EncryptedStore.DIRECT_BUFFER_BYTES % block != 0) {
      return null;
    }
    return new DirectBuffers(block);
  }

  /** The alignment of every write's offset, length and buffer address. */
  int block() {
    return block;
  }

  boolean enabled() {
    return enabled;
  }

  /** A buffer to write with, or null: write through the page cache. */
  ByteBuffer take() {
    if (!enabled) {
      return null;
    }
    ByteBuffer b = idle.poll();
    if (b != null) {
      return b;
    }
    if (allocated.incrementAndGet() > EncryptedStore.MAX_DIRECT_WRITES) {
      allocated.decrementAndGet();
      return null;
    }
    // Two halves: one fills while the disk writer writes the other.
    int bytes = 2 * EncryptedStore.DIRECT_BUFFER_BYTES;
    return ByteBuffer.allocateDirect(bytes + block).alignedSlice(block).limit(bytes).slice();
  }

  /** Returns a buffer taken from {@link #take()}. */
  void release(ByteBuffer buffer) {
    buffer.clear();
    idle.offer(buffer);
  }

  /**
   * The file system refused an {@code O_DIRECT} open that a plain open then took: every later
   * pending write goes through the page cache.
   */
  void disable() {
    if (enabled) {
      enabled = false;
      LOG.info("the store's file system refuses O_DIRECT: writing through the page cache");
    }
  }
}
