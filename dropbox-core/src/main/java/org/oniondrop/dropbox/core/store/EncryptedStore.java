package org.oniondrop.dropbox.core.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.oniondrop.crypto.kdf.SourceKeyDerivation;

/**
 * Files of the store, behind one confinement check. Thread-safe.
 *
 * <p>Names in a source directory: finished ciphertext ({@link #FILENAME}), a write in progress
 * ({@code .<uuid>.part}), and a file whose deletion is under way ({@code .<name>.deleting}: moved
 * aside before the database deletes its row, destroyed after the commit, see {@link
 * #markDeleting}). Nothing else is ever written there.
 *
 * <p>Ciphertext is never destroyed without a committed order to do so: at start-up {@link #cleanup}
 * removes only {@code .part} files; finished files without a row move to the {@link Quarantine},
 * where only an admin purges or restores them.
 */
public final class EncryptedStore {

  /** SecureDrop's VALIDATE_FILENAME, restricted to the kinds we write. */
  public static final Pattern FILENAME =
      Pattern.compile("[1-9][0-9]{0,9}-[a-z0-9_-]{1,80}-(msg|doc\\.gz|reply)\\.gpg");

  private static final String TEMP_SUFFIX = ".part";
  private static final Pattern TEMP = Pattern.compile("\\.[0-9a-f-]{36}\\.part");
  private static final String DELETING_SUFFIX = ".deleting";
  private static final Pattern DELETING =
      Pattern.compile("\\.(" + FILENAME.pattern() + ")\\.deleting");
  private static final int OVERWRITE_CHUNK = 64 * 1024;

  private final Path root;
  private final Quarantine quarantine;
  private final boolean overwriteOnDelete;
  private final SecureRandom random = new SecureRandom();
  private final DirectBuffers directBuffers;

  /** A store at {@code root} whose quarantine is {@code root}'s sibling {@code quarantine}. */
  public EncryptedStore(Path root, boolean overwriteOnDelete) {
    this(root, overwriteOnDelete, true);
  }

  /**
   * A store that writes pending files with {@code O_DIRECT} when {@code directIo} holds and the
   * file system takes it (see {@link #DIRECT_BUFFER_BYTES}), through the page cache otherwise.
   */
  public EncryptedStore(Path root, boolean overwriteOnDelete, boolean directIo) {
    try {
      Files.createDirectories(root);
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
      this.root = root.toRealPath();
    } catch (IOException e) {
      throw new StoreException("cannot create the store directory", e);
    }
    this.overwriteOnDelete = overwriteOnDelete;
    this.quarantine = new Quarantine(this.root.resolveSibling("quarantine"), this);
    this.directBuffers = directIo ? DirectBuffers.forStore(this.root) : null;
  }

  /** Where row-less ciphertext waits for an admin. */
  public Quarantine quarantine() {
    return quarantine;
  }

  public Path root() {
    return root;
  }

  /** The one confinement check: shapes, then the resolved path must stay under the root. */
  Path resolve(String sourceId, String filename) {
    Path dir = sourceDir(sourceId);
    if (filename != null) {
      boolean own =
          FILENAME.matcher(filename).matches()
              || TEMP.matcher(filename).matches()
              || DELETING.matcher(filename).matches();
      if (!own) {
        throw new StoreException("refused a file name outside the store's naming scheme");
      }
      Path file = dir.resolve(filename).normalize();
      if (!file.getParent().equals(dir)) {
        throw new StoreException("refused a path outside the source directory");
      }
      return file;
    }
    return dir;
  }

  private Path sourceDir(String sourceId) {
    if (!SourceKeyDerivation.isWellFormedSourceId(sourceId)) {
      throw new StoreException("refused a malformed source id");
    }
    Path dir = root.resolve(sourceId).normalize();
    if (!dir.startsWith(root) || !dir.getParent().equals(root)) {
      throw new StoreException("refused a path outside the store");
    }
    return dir;
  }

  /** Path of a stored file (for downloads). */
  public Path path(String sourceId, String filename) {
    return resolve(sourceId, filename);
  }

  /**
   * Bytes written to a pending file between two early writebacks. The commit's fsync must wait for
   * every byte not yet on disk; without early writeback that is the whole file (the kernel starts
   * on its own only past {@code vm.dirty_background_ratio}, gigabytes here): 0.5 s of a 3.2 s
   * upload of 256 MiB (strace). With it the disk writes while the upload is still arriving.
   */
  static final long WRITEBACK_BYTES = 16L * 1024 * 1024;

  /**
   * Bytes gathered before each {@code O_DIRECT} write of a pending file. Buffered writes cost this
   * machine's kernel 2.5 ms of CPU per MB (page allocation, copy, dirty accounting: 67 of the 111
   * ticks the ciphertext-writing thread spent on a 256 MiB upload were system time), more than the
   * SHA-1 and SHA-256 on that thread together; {@code O_DIRECT} writes go from our buffer to the
   * disk ({@code dd} of 256 MiB with fsync: 0.66 s of system time buffered, 0.12 s direct, and the
   * direct run finished first). The commit's fsync still runs: it makes the size, the block map and
   * the disk's write cache durable. Large enough that the disk sees large writes, small enough to
   * bound memory: two per pending write (one fills while the other is written), at most {@value
   * #MAX_DIRECT_WRITES} pending writes.
   */
  static final int DIRECT_BUFFER_BYTES = 1024 * 1024;

  /**
   * Pending writes that use {@code O_DIRECT} at once (each holds two {@link #DIRECT_BUFFER_BYTES}
   * halves outside the heap); more write through the page cache, with early writeback, as before.
   */
  static final int MAX_DIRECT_WRITES = 8;

  /**
   * The thread that issues {@code O_DIRECT} writes, mostly waiting for the disk; each pending write
   * has at most one write queued here, so the queue holds at most {@value #MAX_DIRECT_WRITES}.
   */
  static final java.util.concurrent.ExecutorService DIRECT_WRITER =
      oneDaemonThread("oniondrop-disk-writer");

  /**
   * One thread that has the disk write pending files early ({@code fdatasync} of what they hold so
   * far); at most one request per pending file waits for it.
   */
  private static final java.util.concurrent.ExecutorService WRITEBACK =
      oneDaemonThread("oniondrop-writeback");

  /** A write in progress: bytes go to a temporary file until {@link #commit}. */
  public final class PendingWrite implements AutoCloseable {
    private final String sourceId;
    private final Path temp;
    private final FileChannel channel;
    private final MessageDigest sha256;
    private final OutputStream stream;

    /** With {@code O_DIRECT}: the pooled aligned buffer of both halves; null when buffered. */
    private ByteBuffer direct;

    /** The half bytes gather in, and the half the disk writer may be writing. */
    private ByteBuffer filling;

    private ByteBuffer spare;

    /** The disk writer's write of {@link #spare}, if one was handed over. */
    private java.util.concurrent.Future<?> inFlight;

    /** Where the next handed-over half goes in the file. */
    private long diskOffset;

    private long size;
    private long sinceWriteback;
    private final java.util.concurrent.atomic.AtomicBoolean writebackQueued =
        new java.util.concurrent.atomic.AtomicBoolean();
    private volatile IOException writebackFailure;
    private boolean done;

    private PendingWrite(String sourceId, Path temp, FileChannel channel, ByteBuffer direct) {
      this.sourceId = sourceId;
      this.temp = temp;
      this.channel = channel;
      this.direct = direct;
      if (direct != null) {
        this.filling = direct.slice(0, DIRECT_BUFFER_BYTES);
        this.spare = direct.slice(DIRECT_BUFFER_BYTES, DIRECT_BUFFER_BYTES);
      }
      try {
        this.sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      OutputStream file = direct != null ? null : Channels.newOutputStream(channel);
      this.stream =
          new OutputStream() {
            @Override
            public void write(int b) throws IOException {
              write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              java.util.Objects.checkFromIndexSize(off, len, b.length);
              // Under the pending write's lock: an abort from the upload's lane can come while a
              // PgpWorkers thread still writes here, and must not hand the aligned buffer back to
              // the pool (for another upload to fill) in the middle of a copy into it.
              synchronized (PendingWrite.this) {
                writeLocked(b, off, len);
              }
            }

            private void writeLocked(byte[] b, int off, int len) throws IOException {
              if (done) {
                throw new IOException("the pending write is finished");
              }
              try {
                if (file != null) {
                  file.write(b, off, len);
                } else {
                  gatherDirect(b, off, len);
                }
              } catch (IOException e) {
                throw StoreFullException.classify(e);
              }
              sha256.update(b, off, len);
              size += len;
              if (file != null) {
                sinceWriteback += len;
                if (sinceWriteback >= WRITEBACK_BYTES) {
                  sinceWriteback = 0;
                  writeBackEarly();
                }
              }
            }

            @Override
            public void close() {
              // The pending write owns the channel: commit or abort closes it.
            }
          };
    }

    /** Whether this write bypasses the page cache ({@code O_DIRECT}). */
    boolean isDirect() {
      return direct != null;
    }

    /**
     * Copies into the filling half; a full half goes to the disk writer while the other fills, so
     * the disk's time (an {@code O_DIRECT} write returns when the device has the data) is spent
     * beside this thread's, not in it.
     */
    private void gatherDirect(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        int n = Math.min(len, filling.remaining());
        filling.put(b, off, n);
        off += n;
        len -= n;
        if (!filling.hasRemaining()) {
          handOff();
        }
      }
    }

    private void handOff() throws IOException {
      awaitInFlight();
      ByteBuffer full = filling.flip();
      long at = diskOffset;
      diskOffset += full.remaining();
      inFlight = DIRECT_WRITER.submit(() -> writeFully(full, at));
      filling = spare.clear();
      spare = full;
    }

    /** Waits for the disk writer's write; its failure is thrown here, as it was thrown there. */
    private void awaitInFlight() throws IOException {
      java.util.concurrent.Future<?> f = inFlight;
      if (f == null) {
        return;
      }
      inFlight = null;
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw new IOException("the disk write failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while the disk wrote");
      }
    }

    /**
     * The last bytes of an {@code O_DIRECT} file: written padded with zeros to a whole block (the
     * only length {@code O_DIRECT} takes), then the file is cut back to its true size.
     */
    private void finishDirect() throws IOException {
      awaitInFlight();
      int tail = filling.position();
      if (tail > 0) {
        int block = directBuffers.block();
        int padded = (tail + block - 1) / block * block;
        while (filling.position() < padded) {
          filling.put((byte) 0);
        }
        writeFully(filling.flip(), diskOffset);
        channel.truncate(size);
      }
    }

    private Void writeFully(ByteBuffer buffer, long at) throws IOException {
      long position = at;
      while (buffer.hasRemaining()) {
        position += channel.write(buffer, position);
      }
      return null;
    }

    /** Returns the buffer to the pool once no write of it can still be running. */
    private void releaseDirect() {
      if (direct != null) {
        try {
          awaitInFlight();
        } catch (IOException e) {
          // discarding: the failure was or will be reported by whoever wrote
        }
        directBuffers.release(direct);
        direct = null;
        filling = null;
        spare = null;
      }
    }

    /**
     * Asks the writeback thread to sync what the file holds so far, unless a request is already
     * waiting. A failure is kept for {@link #commit}: after a failed fsync Linux may report the
     * next one as a success, so the commit must not trust its own fsync alone.
     */
    private void writeBackEarly() {
      if (!writebackQueued.compareAndSet(false, true)) {
        return;
      }
      WRITEBACK.execute(
          () -> {
            try {
              if (channel.isOpen()) {
                channel.force(false);
              }
            } catch (java.nio.channels.ClosedChannelException e) {
              // committed or aborted meanwhile
            } catch (IOException e) {
              writebackFailure = e;
            } finally {
              writebackQueued.set(false);
            }
          });
    }

    /** Where ciphertext goes. */
    public OutputStream stream() {
      return stream;
    }

    /**
     * Syncs the data, renames the file to {@code filename} (which must not exist) and syncs the
     * directory. After this returns the caller may commit its database row.
     */
    public synchronized Stored commit(String filename) throws IOException {
      Path target = resolve(sourceId, filename);
      try {
        if (direct != null) {
          finishDirect();
          releaseDirect();
        }
        // fsync can be where a file system with delayed allocation first reports ENOSPC.
        channel.force(true);
        channel.close();
        IOException early = writebackFailure;
        if (early != null) {
          throw early;
        }
      } catch (IOException e) {
        abort();
        throw StoreFullException.classify(e);
      }
      if (Files.exists(target)) {
        abort();
        throw new StoreException("a stored file with that name already exists");
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(target.getParent());
      done = true;
      return new Stored(filename, size, HexFormat.of().formatHex(sha256.digest()));
    }

    /** Discards the temporary file. Safe to call more than once. */
    public synchronized void abort() {
      if (done) {
        return;
      }
      done = true;
      releaseDirect();
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing a failed write
      }
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // start-up cleanup removes it
      }
    }

    @Override
    public void close() {
      abort();
    }
  }

  /** What a commit stored. */
  public record Stored(String filename, long size, String sha256) {}

  /** Starts a write into the source's directory (created 0700 if needed). */
  public PendingWrite begin(String sourceId) {
    Path dir = resolve(sourceId, null);
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        syncDirectory(root);
      }
      ByteBuffer buffer = directBuffers != null ? directBuffers.take() : null;
      if (buffer != null) {
        Path temp = resolve(sourceId, "." + UUID.randomUUID() + TEMP_SUFFIX);
        try {
          return new PendingWrite(sourceId, temp, open(temp, true), buffer);
        } catch (IOException e) {
          directBuffers.release(buffer);
          Files.deleteIfExists(temp);
          // The page cache below: if that open works, the file system refused O_DIRECT.
          Path plain = resolve(sourceId, "." + UUID.randomUUID() + TEMP_SUFFIX);
          PendingWrite w = new PendingWrite(sourceId, plain, open(plain, false), null);
          directBuffers.disable();
          return w;
        }
      }
      Path temp = resolve(sourceId, "." + UUID.randomUUID() + TEMP_SUFFIX);
      return new PendingWrite(sourceId, temp, open(temp, false), null);
    } catch (IOException e) {
      throw new StoreException("cannot start a write in the store", StoreFullException.classify(e));
    }
  }

  private static java.util.concurrent.ExecutorService oneDaemonThread(String name) {
    return java.util.concurrent.Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  private static FileChannel open(Path temp, boolean direct) throws IOException {
    Set<java.nio.file.OpenOption> options =
        direct
            ? Set.of(
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE,
                com.sun.nio.file.ExtendedOpenOption.DIRECT)
            : Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return FileChannel.open(
        temp,
        options,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
  }

  /** Whether pending writes may use {@code O_DIRECT} now (for tests). */
  boolean directIo() {
    return directBuffers != null && directBuffers.enabled();
  }

  /**
   * Overwrites (if configured) and unlinks a stored file at once; a missing file is not an error.
   * Only for files no row points to (a write whose commit failed): a file with a row is deleted
   * with {@link #markDeleting} / {@link #finishDeleting} around the database commit.
   */
  public void delete(String sourceId, String filename) {
    Path file = resolve(sourceId, filename);
    try {
      if (!Files.exists(file)) {
        return;
      }
      destroy(file);
      syncDirectory(file.getParent());
    } catch (IOException e) {
      throw new StoreException("cannot delete a stored file", e);
    }
  }

  /**
   * First step of a crash-safe deletion, before the database deletes the row: the file is renamed
   * to {@code .<name>.deleting} (and the directory fsynced), so that whatever happens next it is
   * never served again nor destroyed before the row deletion is committed. Then either {@link
   * #finishDeleting} (committed) or {@link #cancelDeleting} (rolled back). After a crash, {@link
   * #cleanup} renames it back when the row still exists, and quarantines it as a pending deletion
   * (for an admin's purge, never restorable) when the row is gone.
   *
   * @return false if there was no such file
   */
  public boolean markDeleting(String sourceId, String filename) {
    Path file = resolve(sourceId, filename);
    Path aside = resolve(sourceId, "." + filename + DELETING_SUFFIX);
    try {
      if (!Files.exists(file)) {
        return false;
      }
      Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(file.getParent());
      return true;
    } catch (IOException e) {
      throw new StoreException("cannot set a stored file aside for deletion", e);
    }
  }

  /** The deletion's row removal is committed: overwrite (if configured) and unlink the file. */
  public void finishDeleting(String sourceId, String filename) {
    Path aside = resolve(sourceId, "." + filename + DELETING_SUFFIX);
    try {
      if (Files.exists(aside)) {
        destroy(aside);
        syncDirectory(aside.getParent());
      }
    } catch (IOException e) {
      throw new StoreException("cannot finish the deletion of a stored file", e);
    }
  }

  /** The deletion was rolled back: the file gets its name again. */
  public void cancelDeleting(String sourceId, String filename) {
    Path file = resolve(sourceId, filename);
    Path aside = resolve(sourceId, "." + filename + DELETING_SUFFIX);
    try {
      if (Files.exists(aside)) {
        Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(file.getParent());
      }
    } catch (IOException e) {
      throw new StoreException("cannot cancel the deletion of a stored file", e);
    }
  }

  /** The finished files of a source (names matching {@link #FILENAME}), sorted. */
  public java.util.List<String> files(String sourceId) {
    Path dir = resolve(sourceId, null);
    java.util.List<String> names = new java.util.ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return names;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (FILENAME.matcher(name).matches()) {
          names.add(name);
        }
      }
    } catch (IOException e) {
      throw new StoreException("cannot list a source's files", e);
    }
    java.util.Collections.sort(names);
    return names;
  }

  /**
   * Removes a source's directory if it is empty (after its deletion was committed and its files
   * destroyed); a directory that still holds anything (an upload in flight) stays.
   */
  public void removeSourceDirIfEmpty(String sourceId) {
    Path dir = resolve(sourceId, null);
    try {
      Files.deleteIfExists(dir);
      syncDirectory(root);
    } catch (java.nio.file.DirectoryNotEmptyException e) {
      // something still in it: start-up cleanup deals with it
    } catch (IOException e) {
      throw new StoreException("cannot remove a source directory", e);
    }
  }

  /** What {@link #cleanup} did. */
  public record Cleanup(int tempRemoved, int quarantined, int deletionsPending, int undeleted) {}

  /**
   * Start-up repair after a crash; never destroys finished ciphertext. {@code known} answers
   * whether (source id, file name) has a database row.
   *
   * <ul>
   *   <li>{@code .part} files (writes never acknowledged) are removed;
   *   <li>{@code .deleting} files whose row still exists get their name back (the deletion was
   *       never committed); those without a row go to the quarantine marked as deleted (a
   *       journalist's committed deletion, finished only by an admin's purge, never restorable);
   *   <li>finished files without a row go to the quarantine (restorable by an admin);
   *   <li>anything else is left where it is; empty source directories without rows are removed.
   * </ul>
   */
  public Cleanup cleanup(java.util.function.BiPredicate<String, String> known) {
    int temp = 0;
    int quarantined = 0;
    int pending = 0;
    int undeleted = 0;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path dir : dirs) {
        String sourceId = dir.getFileName().toString();
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            || !SourceKeyDerivation.isWellFormedSourceId(sourceId)) {
          continue;
        }
        boolean changed = false;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
          for (Path f : files) {
            String name = f.getFileName().toString();
            if (!Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
              continue;
            }
            java.util.regex.Matcher deleting = DELETING.matcher(name);
            if (TEMP.matcher(name).matches()) {
              destroy(f);
              temp++;
              changed = true;
            } else if (deleting.matches()) {
              String original = deleting.group(1);
              if (known.test(sourceId, original)) {
                Files.move(f, dir.resolve(original), StandardCopyOption.ATOMIC_MOVE);
                undeleted++;
              } else {
                quarantine.admit(sourceId, original, f, true);
                pending++;
              }
              changed = true;
            } else if (FILENAME.matcher(name).matches() && !known.test(sourceId, name)) {
              quarantine.admit(sourceId, name, f, false);
              quarantined++;
              changed = true;
            }
          }
        }
        if (changed) {
          syncDirectory(dir);
        }
        try (DirectoryStream<Path> left = Files.newDirectoryStream(dir)) {
          if (!left.iterator().hasNext() && !known.test(sourceId, null)) {
            Files.delete(dir);
            syncDirectory(root);
          }
        }
      }
    } catch (IOException e) {
      throw new StoreException("cannot clean up the store", e);
    }
    return new Cleanup(temp, quarantined, pending, undeleted);
  }

  /** Overwrites (if configured) and unlinks {@code file}. */
  void destroy(Path file) throws IOException {
    if (overwriteOnDelete) {
      overwrite(file);
    }
    Files.delete(file);
  }

  private void overwrite(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      long size = ch.size();
      byte[] noise = new byte[OVERWRITE_CHUNK];
      long written = 0;
      while (written < size) {
        random.nextBytes(noise);
        int n = (int) Math.min(noise.length, size - written);
        written += ch.write(ByteBuffer.wrap(noise, 0, n), written);
      }
      ch.force(true);
    }
  }

  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
