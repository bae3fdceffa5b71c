package org.oniondrop.onion.net;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The single thread a node's protocol state lives on. Tasks run in submission order; a task that
 * throws is logged (without its message, which may carry protocol data) and the loop goes on.
 */
public final class NodeLoop implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(NodeLoop.class.getName());

  private final String name;
  private final ScheduledExecutorService executor;
  private volatile Thread thread;

  public NodeLoop(String name) {
    this.name = name;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "onion-" + name);
              t.setDaemon(true);
              thread = t;
              return t;
            });
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
    try {
      return executor.schedule(() -> execute(task), delay, unit);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  /** Runs {@code task} on the loop every {@code period}, starting after {@code delay}. */
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable task, long delay, long period, TimeUnit unit) {
    try {
      return executor.scheduleAtFixedRate(() -> execute(task), delay, period, unit);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
