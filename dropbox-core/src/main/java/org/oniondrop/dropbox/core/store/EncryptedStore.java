package org.oniondrop.dropbox.core.store;

import java.io.FilterOutputStream;
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

/** Files of the store, behind one confinement check. Thread-safe. */
public final class EncryptedStore {

  /** SecureDrop's VALIDATE_FILENAME, restricted to the kinds we write. */
  public static final Pattern FILENAME =
      Pattern.compile("[1-9][0-9]{0,9}-[a-z0-9_-]{1,80}-(msg|doc\\.gz|reply)\\.gpg");

  private static final String TEMP_SUFFIX = ".part";
  private static final int OVERWRITE_CHUNK = 64 * 1024;

  private final Path root;
  private final boolean overwriteOnDelete;
  private final SecureRandom random = new SecureRandom();

  public EncryptedStore(Path root, boolean overwriteOnDelete) {
    try {
      Files.createDirectories(root);
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
      this.root = root.toRealPath();
    } catch (IOException e) {
      throw new StoreException("cannot create the store directory", e);
    }
    this.overwriteOnDelete = overwriteOnDelete;
  }

  public Path root() {
    return root;
  }

  /** The one confinement check: shapes, then the resolved path must stay under the root. */
  Path resolve(String sourceId, String filename) {
    Path dir = sourceDir(sourceId);
    if (filename != null) {
      boolean temp = filename.startsWith(".") && filename.endsWith(TEMP_SUFFIX);
      if (!temp && !FILENAME.matcher(filename).matches()) {
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

  /** A write in progress: bytes go to a temporary file until {@link #commit}. */
  public final class PendingWrite implements AutoCloseable {
    private final String sourceId;
    private final Path temp;
    private final FileChannel channel;
    private final MessageDigest sha256;
    private final OutputStream stream;
    private long size;
    private boolean done;

    private PendingWrite(String sourceId, Path temp, FileChannel channel) {
      this.sourceId = sourceId;
      this.temp = temp;
      this.channel = channel;
      try {
        this.sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      OutputStream file = Channels.newOutputStream(channel);
      this.stream =
          new FilterOutputStream(file) {
            @Override
            public void write(int b) throws IOException {
              write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              out.write(b, off, len);
              sha256.update(b, off, len);
              size += len;
            }

            @Override
            public void close() {
              // The pending write owns the channel: commit or abort closes it.
            }
          };
    }

    /** Where ciphertext goes. */
    public OutputStream stream() {
      return stream;
    }

    /**
     * Syncs the data, renames the file to {@code filename} (which must not exist) and syncs the
     * directory. After this returns the caller may commit its database row.
     */
    public Stored commit(String filename) throws IOException {
      Path target = resolve(sourceId, filename);
      channel.force(true);
      channel.close();
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
    public void abort() {
      if (done) {
        return;
      }
      done = true;
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
      Path temp = resolve(sourceId, "." + UUID.randomUUID() + TEMP_SUFFIX);
      FileChannel channel =
          FileChannel.open(
              temp,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      return new PendingWrite(sourceId, temp, channel);
    } catch (IOException e) {
      throw new StoreException("cannot start a write in the store", e);
    }
  }

  /** Overwrites (if configured) and unlinks a stored file; a missing file is not an error. */
  public void delete(String sourceId, String filename) {
    Path file = resolve(sourceId, filename);
    try {
      if (!Files.exists(file)) {
        return;
      }
      if (overwriteOnDelete) {
        overwrite(file);
      }
      Files.delete(file);
      syncDirectory(file.getParent());
    } catch (IOException e) {
      throw new StoreException("cannot delete a stored file", e);
    }
  }

  /** Deletes every file of a source and its directory. */
  public void deleteSource(String sourceId) {
    Path dir = resolve(sourceId, null);
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        if (overwriteOnDelete) {
          overwrite(f);
        }
        Files.delete(f);
      }
      Files.delete(dir);
      syncDirectory(root);
    } catch (IOException e) {
      throw new StoreException("cannot delete a source's files", e);
    }
  }

  /**
   * Removes temporary leftovers and files with no database row (they are ciphertext, but nobody was
   * told they were stored). {@code known} answers whether (source id, file name) has a row.
   */
  public int cleanup(java.util.function.BiPredicate<String, String> known) {
    int removed = 0;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path dir : dirs) {
        String sourceId = dir.getFileName().toString();
        if (!Files.isDirectory(dir) || !SourceKeyDerivation.isWellFormedSourceId(sourceId)) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
          for (Path f : files) {
            String name = f.getFileName().toString();
            boolean temp = name.endsWith(TEMP_SUFFIX);
            if (temp || !FILENAME.matcher(name).matches() || !known.test(sourceId, name)) {
              if (overwriteOnDelete) {
                overwrite(f);
              }
              Files.delete(f);
              removed++;
            }
          }
        }
      }
    } catch (IOException e) {
      throw new StoreException("cannot clean up the store", e);
    }
    return removed;
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
