package org.oniondrop.dropbox.core.upload;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.oniondrop.dropbox.core.admission.ServerBusyException;
import org.oniondrop.dropbox.core.config.DropboxConfig;
import org.oniondrop.dropbox.core.service.SubmissionKeys;
import org.oniondrop.dropbox.core.service.SubmissionService;
import org.oniondrop.dropbox.core.store.EncryptedStore;
import org.oniondrop.dropbox.core.store.StoreFullException;
import org.oniondrop.dropbox.core.upload.UploadRejectedException.Reason;

/**
 * Runs the encrypting half of every upload on one bounded pool (never a thread per upload, issue
 * 15): each upload is a serial lane of tasks on the pool, fed batches of {@value #BATCH_BYTES}
 * bytes by the event loop that parses the request. At most {@value #MAX_IN_FLIGHT} batches of an
 * upload wait for its lane; beyond that the upload reports itself {@link Upload#full() full} and
 * the web layer pauses the socket until the lane calls {@link Upload.Listener#writable()}.
 *
 * <p>Memory per running upload is bounded by ({@value #MAX_IN_FLIGHT} + 2) batches plus the
 * encryptor's buffers; running uploads are bounded by {@code
 * oniondrop.limits.max-concurrent-uploads} (the rest get {@link Reason#BUSY}).
 */
@ApplicationScoped
public class UploadPipeline {

  private static final Logger LOG = Logger.getLogger(UploadPipeline.class.getName());

  /**
   * Bytes handed to a lane at a time: large enough that the hand-off cost (a queue insert and maybe
   * a thread wake-up) disappears against encrypting it, small enough to bound memory.
   */
  public static final int BATCH_BYTES = 256 * 1024;

  /** Batches waiting for a lane before the socket is paused. */
  public static final int MAX_IN_FLIGHT = 3;

  @Inject DropboxConfig config;
  @Inject SubmissionKeys submissionKeys;
  @Inject EncryptedStore store;
  @Inject SubmissionService submissions;

  private ExecutorService pool;
  private Semaphore running;

  private synchronized ExecutorService pool() {
    if (pool == null) {
      int threads = config.limits().uploadThreads();
      if (threads <= 0) {
        threads = Runtime.getRuntime().availableProcessors();
      }
      AtomicInteger count = new AtomicInteger();
      ThreadPoolExecutor p =
          new ThreadPoolExecutor(
              threads,
              threads,
              60,
              TimeUnit.SECONDS,
              // At most one task per running upload is queued (its lane's drain), so the queue is
              // bounded by max-concurrent-uploads.
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, "oniondrop-upload-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      p.allowCoreThreadTimeOut(true);
      pool = p;
      running = new Semaphore(config.limits().maxConcurrentUploads());
    }
    return pool;
  }

  @PreDestroy
  synchronized void stop() {
    if (pool != null) {
      pool.shutdown();
    }
  }

  /**
   * Starts an upload for {@code sourceId}.
   *
   * @throws UploadRejectedException {@link Reason#BUSY} when too many uploads are running
   */
  public Upload begin(String sourceId, Upload.Listener listener) throws UploadRejectedException {
    ExecutorService p = pool();
    if (!running.tryAcquire()) {
      throw new UploadRejectedException(Reason.BUSY);
    }
    return new Upload(p, sourceId, listener);
  }

  /** Uploads running now (for tests and the status page). */
  public int running() {
    pool();
    return config.limits().maxConcurrentUploads() - running.availablePermits();
  }

  /** Runs tasks one at a time, in order, on the shared pool. */
  static final class Lane implements Executor {
    private final Executor pool;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Lane(Executor pool) {
      this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
      if (scheduled.compareAndSet(false, true)) {
        pool.execute(this::drain);
      }
    }

    private void drain() {
      while (true) {
        Runnable task;
        while ((task = tasks.poll()) != null) {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.warning("an upload task failed: " + e.getClass().getSimpleName());
          }
        }
        scheduled.set(false);
        if (tasks.isEmpty() || !scheduled.compareAndSet(false, true)) {
          return;
        }
      }
    }
  }

  /**
   * One upload: a lane of encrypting items. The event loop calls {@link #startFile}, {@link
   * #write}, {@link #endFile} and {@link #finish} in form order; each runs on the lane.
   */
  public final class Upload {

    /** Called from a pool thread; the web layer hops back to its event loop. */
    public interface Listener {
      /** The upload was full and has room again: resume reading. */
      void writable();

      /** Encrypting failed: answer with an error now (the lane has discarded everything). */
      void failed();
    }

    private final Lane lane;
    private final String sourceId;
    private final Listener listener;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ConcurrentLinkedQueue<byte[]> freeBatches = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean released = new AtomicBoolean();
    private final List<SubmissionService.Sealed> sealed = new ArrayList<>(); // lane only
    private EncryptingItem current; // lane only
    private volatile boolean failed;
    private volatile boolean storeFull;
    private volatile boolean aborted;

    private Upload(Executor pool, String sourceId, Listener listener) {
      this.lane = new Lane(pool);
      this.sourceId = sourceId;
      this.listener = listener;
    }

    /** An empty batch to fill (recycled once its lane has encrypted it). */
    public byte[] takeBatch() {
      byte[] b = freeBatches.poll();
      return b != null ? b : new byte[BATCH_BYTES];
    }

    /** Whether the web layer should stop reading until {@link Listener#writable()}. */
    public boolean full() {
      return inFlight.get() >= MAX_IN_FLIGHT;
    }

    /** Whether the lane failed (the web layer answers 500, or 507 when {@link #storeFull()}). */
    public boolean failed() {
      return failed;
    }

    /** Whether the lane failed because the store's file system is full. */
    public boolean storeFull() {
      return storeFull;
    }

    /** Starts a new document item. */
    public void startFile(String originalName) {
      lane.execute(
          () -> {
            if (failed || aborted) {
              return;
            }
            try {
              current =
                  EncryptingItem.document(store, submissionKeys.current(), sourceId, originalName);
            } catch (IOException | RuntimeException e) {
              fail(e);
            }
          });
    }

    /**
     * Hands {@code len} bytes of {@code batch} to the current item; the batch is the lane's now.
     */
    public void write(byte[] batch, int len) {
      inFlight.incrementAndGet();
      lane.execute(
          () -> {
            try {
              if (!failed && !aborted && current != null) {
                current.write(batch, 0, len);
              }
            } catch (IOException | RuntimeException e) {
              fail(e);
            } finally {
              freeBatches.offer(batch);
              if (inFlight.getAndDecrement() == MAX_IN_FLIGHT && !failed && !aborted) {
                listener.writable();
              }
            }
          });
    }

    /** The current document is complete: seal it (finish gzip and OpenPGP). */
    public void endFile() {
      lane.execute(
          () -> {
            if (failed || aborted || current == null) {
              return;
            }
            try {
              sealed.add(current.seal());
            } catch (IOException | RuntimeException e) {
              fail(e);
            } finally {
              current = null;
            }
          });
    }

    /** What the form adds once it is complete, decided on the lane. */
    @FunctionalInterface
    public interface Completion {
      /** Checks the form's rules; a reason refuses it. Runs on the lane (may block). */
      java.util.Optional<Reason> check();
    }

    /**
     * The form is complete: on the lane, checks it, encrypts the message (if any, stored first),
     * and stores every item in one commit. The future fails with {@link UploadRejectedException}.
     */
    public CompletableFuture<List<String>> finish(String message, Completion completion) {
      CompletableFuture<List<String>> result = new CompletableFuture<>();
      lane.execute(
          () -> {
            try {
              if (failed || aborted) {
                throw new UploadRejectedException(
                    storeFull ? Reason.STORE_FULL : Reason.STORE_FAILED);
              }
              java.util.Optional<Reason> problem = completion.check();
              if (problem.isPresent()) {
                throw new UploadRejectedException(problem.get());
              }
              List<SubmissionService.Sealed> items = new ArrayList<>();
              if (message != null && !message.isBlank()) {
                items.add(
                    EncryptingItem.message(store, submissionKeys.current(), sourceId, message));
              }
              items.addAll(sealed);
              sealed.clear();
              result.complete(submissions.storeSubmission(sourceId, items));
            } catch (UploadRejectedException e) {
              discard();
              result.completeExceptionally(e);
            } catch (ServerBusyException e) {
              discard();
              result.completeExceptionally(
                  new UploadRejectedException(Reason.KDF_BUSY, e.retryAfterSeconds()));
            } catch (IOException | RuntimeException e) {
              discard();
              LOG.warning("a submission could not be stored: " + e.getClass().getSimpleName());
              result.completeExceptionally(
                  new UploadRejectedException(
                      StoreFullException.in(e) ? Reason.STORE_FULL : Reason.STORE_FAILED, e));
            } finally {
              release();
            }
          });
      return result;
    }

    /** Discards everything (client gone, or the form was refused); safe to call more than once. */
    public void abort() {
      aborted = true;
      lane.execute(
          () -> {
            discard();
            release();
          });
    }

    private void fail(Exception e) {
      LOG.warning("an upload could not be encrypted: " + e.getClass().getSimpleName());
      storeFull = StoreFullException.in(e);
      failed = true;
      discard();
      listener.failed();
    }

    private void discard() {
      if (current != null) {
        current.abort();
        current = null;
      }
      sealed.forEach(SubmissionService.Sealed::abort);
      sealed.clear();
    }

    private void release() {
      if (released.compareAndSet(false, true)) {
        running.release();
      }
    }
  }
}
