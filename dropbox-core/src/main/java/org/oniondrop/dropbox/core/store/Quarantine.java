package org.oniondrop.dropbox.core.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.oniondrop.crypto.kdf.SourceKeyDerivation;

/**
 * Ciphertext the start-up check found without a database row, kept for an admin to decide: {@code
 * <data-dir>/quarantine/<source id>/<file name>}. Nothing here is deleted except by {@link #purge}
 * (the admin command {@code oniondrop store quarantine purge}).
 *
 * <p>Two kinds of entries. An <em>orphan</em> ({@code N-designation-kind.gpg}) is a finished file
 * whose row is missing: its upload's commit never happened, or the database is not the one that
 * goes with this store (an empty or wrong database, a mismatched restore). It can be restored: the
 * source id (directory) and file name say where it belongs. A <em>pending deletion</em> ({@code
 * ….gpg.deleted}) is a file a journalist deleted whose destruction a crash interrupted: its row
 * deletion was committed, so restoring it would resurrect deleted material; it can only be purged.
 * A clash with an entry of the same name gets a {@code ~N} suffix.
 */
public final class Quarantine {

  /** Suffix of a pending deletion. */
  public static final String DELETED_SUFFIX = ".deleted";

  /** How many same-named entries one source directory may collect before admission fails. */
  private static final int MAX_CLASHES = 1000;

  private static final Pattern ENTRY =
      Pattern.compile(
          "("
              + EncryptedStore.FILENAME.pattern()
              + ")("
              + Pattern.quote(DELETED_SUFFIX)
              + ")?(~[0-9]{1,4})?");

  /** One quarantined file. {@code id} ({@code <source id>/<entry name>}) names it in commands. */
  public record Entry(String sourceId, String name, String filename, boolean deleted, long size) {
    public String id() {
      return sourceId + "/" + name;
    }
  }

  private final Path dir;
  private final EncryptedStore store;

  Quarantine(Path dir, EncryptedStore store) {
    this.dir = dir;
    this.store = store;
  }

  public Path dir() {
    return dir;
  }

  /** Moves {@code file} (in the store, same file system) into the quarantine. */
  void admit(String sourceId, String filename, Path file, boolean deleted) throws IOException {
    Path target = sourceDir(sourceId, true);
    String base = filename + (deleted ? DELETED_SUFFIX : "");
    Path to = target.resolve(base);
    for (int n = 2; Files.exists(to, LinkOption.NOFOLLOW_LINKS); n++) {
      if (n > MAX_CLASHES) {
        throw new StoreException("too many quarantined files of the same name");
      }
      to = target.resolve(base + "~" + n);
    }
    Files.move(file, to, StandardCopyOption.ATOMIC_MOVE);
    EncryptedStore.syncDirectory(target);
  }

  /** Every entry, sorted by id. */
  public List<Entry> list() {
    List<Entry> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> sources = Files.newDirectoryStream(dir)) {
      for (Path s : sources) {
        String sourceId = s.getFileName().toString();
        if (!Files.isDirectory(s, LinkOption.NOFOLLOW_LINKS)
            || !SourceKeyDerivation.isWellFormedSourceId(sourceId)) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(s)) {
          for (Path f : files) {
            parse(sourceId, f).ifPresent(out::add);
          }
        }
      }
    } catch (IOException e) {
      throw new StoreException("cannot list the quarantine", e);
    }
    out.sort(Comparator.comparing(Entry::id));
    return out;
  }

  /** How many entries there are (for the status page and the info file). */
  public int count() {
    return list().size();
  }

  /** The entry named {@code id} ({@code <source id>/<entry name>}), if there is one. */
  public java.util.Optional<Entry> find(String id) {
    int slash = id.indexOf('/');
    if (slash < 0) {
      return java.util.Optional.empty();
    }
    String sourceId = id.substring(0, slash);
    if (!SourceKeyDerivation.isWellFormedSourceId(sourceId)) {
      return java.util.Optional.empty();
    }
    Path f = dir.resolve(sourceId).resolve(id.substring(slash + 1)).normalize();
    if (!f.getParent().equals(dir.resolve(sourceId))) {
      return java.util.Optional.empty();
    }
    return parse(sourceId, f);
  }

  /** The quarantined file of {@code e} (to read it, e.g. for its size or recipient). */
  public Path path(Entry e) {
    return dir.resolve(e.sourceId()).resolve(e.name());
  }

  /**
   * Moves an orphan back to {@code store/<source id>/<file name>}. The caller commits the row that
   * goes with it; if that fails, it calls {@link #undoRestore}.
   *
   * @throws StoreException for a pending deletion, or when the store already has that name
   */
  public void restore(Entry e) {
    if (e.deleted()) {
      throw new StoreException("a pending deletion cannot be restored, only purged");
    }
    Path target = store.resolve(e.sourceId(), e.filename());
    try {
      Files.createDirectories(target.getParent());
      Files.setPosixFilePermissions(
          target.getParent(), PosixFilePermissions.fromString("rwx------"));
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new StoreException("the store already has a file of that name");
      }
      Files.move(path(e), target, StandardCopyOption.ATOMIC_MOVE);
      EncryptedStore.syncDirectory(target.getParent());
      EncryptedStore.syncDirectory(path(e).getParent());
    } catch (IOException ex) {
      throw new StoreException("cannot restore a quarantined file", ex);
    }
  }

  /** Puts a restored file back into the quarantine (its row could not be committed). */
  public void undoRestore(Entry e) {
    Path target = store.resolve(e.sourceId(), e.filename());
    try {
      admit(e.sourceId(), e.filename(), target, false);
    } catch (IOException ex) {
      throw new StoreException("cannot return a file to the quarantine", ex);
    }
  }

  /** Overwrites (if the store does) and unlinks a quarantined file: the admin's decision. */
  public void purge(Entry e) {
    Path f = path(e);
    try {
      store.destroy(f);
      EncryptedStore.syncDirectory(f.getParent());
      try {
        Files.delete(f.getParent());
      } catch (java.nio.file.DirectoryNotEmptyException notEmpty) {
        return;
      }
      EncryptedStore.syncDirectory(dir);
    } catch (IOException ex) {
      throw new StoreException("cannot purge a quarantined file", ex);
    }
  }

  private Path sourceDir(String sourceId, boolean create) throws IOException {
    if (!SourceKeyDerivation.isWellFormedSourceId(sourceId)) {
      throw new StoreException("refused a malformed source id");
    }
    Path d = dir.resolve(sourceId);
    if (create && !Files.isDirectory(d)) {
      Files.createDirectories(d);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
      EncryptedStore.syncDirectory(dir);
      EncryptedStore.syncDirectory(dir.getParent());
    }
    return d;
  }

  private static java.util.Optional<Entry> parse(String sourceId, Path f) {
    String name = f.getFileName().toString();
    Matcher m = ENTRY.matcher(name);
    if (!m.matches() || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
      return java.util.Optional.empty();
    }
    long size;
    try {
      size = Files.size(f);
    } catch (IOException e) {
      size = -1;
    }
    return java.util.Optional.of(new Entry(sourceId, name, m.group(1), m.group(3) != null, size));
  }
}
