package org.oniondrop.crypto.pgp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AsyncWriteStreamTest {

  /** A target that is slow, counts what it got, and remembers which thread wrote. */
  private static final class SlowTarget extends OutputStream {
    final ByteArrayOutputStream got = new ByteArrayOutputStream();
    final AtomicLong written = new AtomicLong();
    final AtomicReference<Thread> writer = new AtomicReference<>();
    final long failAfter;
    final IOException failure;

    SlowTarget(long failAfter, IOException failure) {
      this.failAfter = failAfter;
      this.failure = failure;
    }

    @Override
    public void write(int b) {
      throw new AssertionError("single bytes never reach the target");
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      writer.set(Thread.currentThread());
      if (written.get() + len > failAfter) {
        throw failure;
      }
      Thread.onSpinWait();
      got.write(b, off, len);
      written.addAndGet(len);
    }
  }

  @Test
  void everyByteArrivesInOrderWhateverTheWriteSizesAndMemoryStaysBounded() throws IOException {
    Random random = new Random(16);
    for (int round = 0; round < 20; round++) {
      byte[] data = new byte[random.nextInt(3 * 1024 * 1024)];
      random.nextBytes(data);
      SlowTarget target = new SlowTarget(Long.MAX_VALUE, null);
      AsyncWriteStream stream = new AsyncWriteStream(target);
      int off = 0;
      while (off < data.length) {
        int n =
            Math.min(data.length - off, 1 + random.nextInt(random.nextBoolean() ? 64 : 200_000));
        if (n == 1 && random.nextBoolean()) {
          stream.write(data[off]);
        } else {
          stream.write(data, off, n);
        }
        off += n;
        long held = off - target.written.get();
        assertTrue(
            held <= (long) (AsyncWriteStream.QUEUE_DEPTH + 1) * AsyncWriteStream.CHUNK_BYTES,
            "held " + held);
      }
      stream.finish();
      assertArrayEquals(data, target.got.toByteArray(), "round " + round);
      assertThrows(IOException.class, () -> stream.write(new byte[1], 0, 1));
    }
  }

  @Test
  void aShortMessageIsWrittenOnTheCallersThreadWithoutAHandOff() throws IOException {
    SlowTarget target = new SlowTarget(Long.MAX_VALUE, null);
    AsyncWriteStream stream =
        new AsyncWriteStream(
            target,
            task -> {
              throw new AssertionError("no hand-off for a short message");
            });
    byte[] data = new byte[AsyncWriteStream.CHUNK_BYTES - 1];
    new Random(1).nextBytes(data);
    stream.write(data);
    stream.finish();
    assertArrayEquals(data, target.got.toByteArray());
    assertSame(Thread.currentThread(), target.writer.get());
  }

  @Test
  void theTargetsFailureReachesTheProducerAsItWasThrown() throws IOException {
    class Full extends IOException {
      Full() {
        super("No space left on device");
      }
    }
    for (long failAfter : new long[] {0, 100_000, 1_000_000}) {
      Full full = new Full();
      SlowTarget target = new SlowTarget(failAfter, full);
      AsyncWriteStream stream = new AsyncWriteStream(target);
      byte[] chunk = new byte[10_000];
      IOException seen = null;
      try {
        for (int i = 0; i < 300; i++) {
          stream.write(chunk);
        }
        stream.finish();
      } catch (IOException e) {
        seen = e;
      }
      assertSame(full, seen, "failAfter " + failAfter);
      assertTrue(target.written.get() <= failAfter);
    }
  }
}
