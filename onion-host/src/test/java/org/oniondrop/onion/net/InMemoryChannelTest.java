package org.oniondrop.onion.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.oniondrop.onion.cell.Cell;

/**
 * The in-memory link hands cells over in bursts (one far-loop task per burst): what it must keep is
 * what a TLS link keeps, order and "cells before the close".
 */
class InMemoryChannelTest {

  private static final int CELLS = 200_000;

  /** Records what arrives, on the far node's loop. */
  private static final class Recorder implements CellHandler {
    final List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch closed = new CountDownLatch(1);
    volatile int seenAtClose = -1;

    @Override
    public void onCell(Channel channel, Cell cell) {
      seen.add(cell.circId());
    }

    @Override
    public void onClose(Channel channel) {
      seenAtClose = seen.size();
      closed.countDown();
    }
  }

  private static Cell cell(long n) {
    return Cell.fixed(n, 3, new byte[0]);
  }

  @Test
  void cellsFromOneSenderArriveInOrderAndAllBeforeTheClose() throws Exception {
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    try (NodeLoop aLoop = new NodeLoop("test-a");
        NodeLoop bLoop = new NodeLoop("test-b")) {
      InMemoryChannel[] pair = InMemoryChannel.pair("a", aLoop, a, "b", bLoop, b);
      // Sent from the a side's own loop, as nodes do, and from a foreign thread while it runs.
      aLoop.execute(
          () -> {
            for (long n = 0; n < CELLS; n++) {
              pair[0].send(cell(n));
            }
          });
      for (long n = 0; n < 1000; n++) {
        pair[1].send(cell(n));
      }
      aLoop.execute(pair[0]::close);
      assertThat(b.closed.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(b.seenAtClose).as("cells handled before the close").isEqualTo(CELLS);
      List<Long> expected = new ArrayList<>();
      for (long n = 0; n < CELLS; n++) {
        expected.add(n);
      }
      assertThat(b.seen).isEqualTo(expected);
      assertThat(a.closed.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(a.seenAtClose).as("cells the far side sent before the close").isEqualTo(1000);
      assertThat(a.seen).hasSize(1000);
      for (int i = 0; i < 1000; i++) {
        assertThat(a.seen.get(i)).isEqualTo(i);
      }
    }
  }

  @Test
  void aClosedFarLoopQueuesNothing() {
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    NodeLoop aLoop = new NodeLoop("test-a");
    NodeLoop bLoop = new NodeLoop("test-b");
    try {
      InMemoryChannel[] pair = InMemoryChannel.pair("a", aLoop, a, "b", bLoop, b);
      bLoop.close();
      for (long n = 0; n < 10_000; n++) {
        pair[0].send(cell(n));
      }
      assertThat(pair[0].queuedForTest()).isZero();
      assertThat(b.seen).isEmpty();
    } finally {
      aLoop.close();
      bLoop.close();
    }
  }
}
