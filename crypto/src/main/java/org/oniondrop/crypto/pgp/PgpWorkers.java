package org.oniondrop.crypto.pgp;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that run beside every message's encrypting thread: the SHA-1 of its MDC ({@link
 * FastSeipdV1Encryptor}) and the writes of its ciphertext ({@link AsyncWriteStream}). One fixed
 * pool for all messages (never a thread per upload). Their tasks never block: each drains a
 * message's bounded queue and returns, so a task waiting in the pool's queue only delays its
 * producer, which waits on its own queue's bound: no deadlock, and memory stays bounded.
 */
final class PgpWorkers {

  /** Threads in the pool: at least two, so one message's two side tasks can run at once. */
  static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

  static final Executor POOL =
      Executors.newFixedThreadPool(
          THREADS,
          new ThreadFactory() {
            private final AtomicInteger count = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
              Thread t = new Thread(r, "oniondrop-pgp-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            }
          });

  private PgpWorkers() {}
}
