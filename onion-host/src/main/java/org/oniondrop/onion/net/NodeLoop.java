package org.oniondrop.onion.net;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The single thread a node's protocol state lives on. Tasks run in submission order; a task that
 * throws is logged (without its message, which may carry protocol data) and the loop goes on.
 *
 * <p>Cells cross loops as tasks, so the queue is a plain FIFO ({@link LinkedBlockingQueue}): a
 * delay queue's heap per cell cost more than the cell's crypto. Delayed tasks wait on one
 * process-wide timer thread and are then queued on their loop like any other task.
 */
public final class NodeLoop implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(NodeLoop.class.getName());

  private final String name;

  /** Holds delayed tasks of every loop until they are due; it runs none of them itself. */
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private final ThreadPoolExecutor executor;
  private volatile Thread thread;

  public NodeLoop(String name) {
    this.name = name;
    this.executor =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "onion-" + name);
              t.setDaemon(true);
              thread = t;
              return t;
            });
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(1, DaemonThreads.named("onion-timer"));
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  public String name() {
    return name;
  }

  /** Runs {@code task} on the loop; silently dropped after {@link #close()}. */
  public void execute(Runnable task) {
    try {
      executor.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              LOG.log(Level.WARNING, "task failed on " + name + ": " + e.getClass().getName());
              LOG.log(Level.FINE, "task failure", e);
            }
          });
    } catch (RejectedExecutionException e) {
      // The node is shutting down: its cells no longer matter.
    }
  }

  /** Runs {@code task} on the loop and returns its result as a future. */
  public <T> CompletableFuture<T> call(Supplier<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    execute(
        () -> {
          try {
            result.complete(task.get());
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    return result;
  }

  public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    if (executor.isShutdown()) {
      return null;
    }
    return TIMER.schedule(() -> execute(task), delay, unit);
  }

  /** Runs {@code task} on the loop every {@code period}, starting after {@code delay}. */
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable task, long delay, long period, TimeUnit unit) {
    if (executor.isShutdown()) {
      return null;
    }
    return TIMER.scheduleAtFixedRate(
        () -> {
          if (executor.isShutdown()) {
            throw new CancellationException("loop closed"); // ends the repetition
          }
          execute(task);
        },
        delay,
        period,
        unit);
  }

  /** Whether {@link #close()} was called: tasks are dropped from then on. */
  public boolean isClosed() {
    return executor.isShutdown();
  }

  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
