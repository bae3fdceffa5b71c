package org.oniondrop.onion.net;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.oniondrop.onion.cell.Cell;

/**
 * An in-memory link: cells sent on one end run the other node's handler on that node's loop. No
 * bytes are serialized, but every cell is a real 509-byte payload, so the protocol above cannot
 * tell this from a TLS link.
 */
public final class InMemoryChannel implements Channel {

  private final String peer;
  private final NodeLoop farLoop;
  private final CellHandler farHandler;
  private final AtomicBoolean open;
  private final boolean initiator;
  private InMemoryChannel other;

  private InMemoryChannel(
      String peer,
      NodeLoop farLoop,
      CellHandler farHandler,
      AtomicBoolean open,
      boolean initiator) {
    this.peer = peer;
    this.farLoop = farLoop;
    this.farHandler = farHandler;
    this.open = open;
    this.initiator = initiator;
  }

  /** A connected pair: {@code [0]} is a's end (sends to b), {@code [1]} is b's end. */
  public static InMemoryChannel[] pair(
      String aName, NodeLoop aLoop, CellHandler a, String bName, NodeLoop bLoop, CellHandler b) {
    AtomicBoolean open = new AtomicBoolean(true);
    InMemoryChannel aEnd = new InMemoryChannel(bName, bLoop, b, open, true);
    InMemoryChannel bEnd = new InMemoryChannel(aName, aLoop, a, open, false);
    aEnd.other = bEnd;
    bEnd.other = aEnd;
    return new InMemoryChannel[] {aEnd, bEnd};
  }

  /**
   * Cells sent and not yet handled by the far node, in order, then possibly {@link #CLOSE}. A burst
   * costs one task on the far loop, not one each: a task per cell cost a queue lock, two
   * allocations and, whenever the far loop had caught up and parked, a thread wakeup per 509 bytes.
   */
  private final ConcurrentLinkedQueue<Cell> outbox = new ConcurrentLinkedQueue<>();

  /**
   * Cells one drain hands over at most before queuing itself again: a busy link must not keep a
   * node's loop from its other tasks.
   */
  static final int DRAIN_BATCH = 64;

  /**
   * Marks the close in an outbox, so the far node learns of it after every cell sent before it (as
   * on a TLS link), however the drains are split. Compared by identity.
   */
  private static final Cell CLOSE = new Cell(0, 0, new byte[Cell.PAYLOAD_LENGTH]);

  /** Whether a drain of {@link #outbox} is queued on the far loop and has not started yet. */
  private final AtomicBoolean drainQueued = new AtomicBoolean();

  private final Runnable drain = this::drain;

  /** Far loop only: the close was handed over; whatever raced in after it is dropped. */
  private boolean closeDelivered;

  @Override
  public void send(Cell cell) {
    if (open.get() && !farLoop.isClosed()) { // a closed loop would never drain the outbox
      enqueue(cell);
    }
  }

  private void enqueue(Cell cell) {
    outbox.add(cell);
    if (drainQueued.compareAndSet(false, true)) {
      farLoop.execute(drain);
    }
  }

  /**
   * On the far loop: hands queued cells to the far node, at most {@link #DRAIN_BATCH}. The flag is
   * cleared before the queue is read, so a cell added during the drain is either taken by it or
   * queues a drain of its own.
   */
  private void drain() {
    drainQueued.set(false);
    InMemoryChannel target = other;
    Cell cell;
    for (int n = 0; n < DRAIN_BATCH && (cell = outbox.poll()) != null; n++) {
      if (closeDelivered) {
        continue;
      }
      if (cell == CLOSE) {
        closeDelivered = true;
        farHandler.onClose(target);
      } else {
        farHandler.onCell(target, cell);
      }
    }
    // More waiting: queue the rest behind the loop's other tasks (timers, other links, notices).
    if (!outbox.isEmpty() && drainQueued.compareAndSet(false, true)) {
      farLoop.execute(drain);
    }
  }

  /** Cells sent on this end and not yet handed to the far node (tests). */
  int queuedForTest() {
    return outbox.size();
  }

  @Override
  public void close() {
    if (open.compareAndSet(true, false)) {
      enqueue(CLOSE); // the far node learns after the cells we sent
      // Our own side learns through the far end's outbox, after the cells it sent us.
      other.enqueue(CLOSE);
    }
  }

  @Override
  public boolean isOpen() {
    return open.get();
  }

  @Override
  public String peer() {
    return peer;
  }

  @Override
  public boolean initiator() {
    return initiator;
  }
}
