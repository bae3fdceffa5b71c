package org.oniondrop.dropbox.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptedStoreTest {

  private static final String ID = "A".repeat(52);

  @TempDir Path tmp;

  @Test
  void writesGoThroughATemporaryFileAndCommitByRename() throws Exception {
    EncryptedStore store = new EncryptedStore(tmp.resolve("store"), true);
    EncryptedStore.PendingWrite w = store.begin(ID);
    w.stream().write("ciphertext".getBytes(StandardCharsets.US_ASCII));
    try (var files = Files.list(store.root().resolve(ID))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .singleElement()
          .asString()
          .startsWith(".")
          .endsWith(".part");
    }
    EncryptedStore.Stored stored = w.commit("1-amiable_oyster-msg.gpg");
    assertThat(stored.size()).isEqualTo(10);
    assertThat(stored.sha256())
        .isEqualTo(
            java.util.HexFormat.of()
                .formatHex(
                    java.security.MessageDigest.getInstance("SHA-256")
                        .digest("ciphertext".getBytes(StandardCharsets.US_ASCII))));
    assertThat(Files.readString(store.path(ID, "1-amiable_oyster-msg.gpg")))
        .isEqualTo("ciphertext");
    try (var files = Files.list(store.root().resolve(ID))) {
      assertThat(files.count()).isEqualTo(1);
    }
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(store.root().resolve(ID))))
        .isEqualTo("rwx------");
  }

  @Test
  void aLargeWriteSyncedEarlyWhileItIsWrittenCommitsEveryByteInOrder() throws Exception {
    // Early writeback is the page-cache path's: this store never uses O_DIRECT.
    EncryptedStore store = new EncryptedStore(tmp.resolve("store"), true, false);
    // Several early writebacks run while later bytes are still being written.
    byte[] data = new byte[(int) (2.5 * EncryptedStore.WRITEBACK_BYTES) + 12345];
    new Random(16).nextBytes(data);
    EncryptedStore.PendingWrite w = store.begin(ID);
    Random split = new Random(7);
    for (int off = 0; off < data.length; ) {
      int n = Math.min(data.length - off, 1 + split.nextInt(300_000));
      w.stream().write(data, off, n);
      off += n;
    }
    EncryptedStore.Stored stored = w.commit("1-amiable_oyster-doc.gz.gpg");
    assertThat(stored.size()).isEqualTo(data.length);
    assertThat(stored.sha256())
        .isEqualTo(
            java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data)));
    assertThat(Files.readAllBytes(store.path(ID, "1-amiable_oyster-doc.gz.gpg"))).isEqualTo(data);
    assertThat(w.isDirect()).isFalse();
  }

  /** Lengths around every boundary of an O_DIRECT write: none, the block, the buffer. */
  private static final int[] DIRECT_LENGTHS = {
    0,
    1,
    4095,
    4096,
    4097,
    EncryptedStore.DIRECT_BUFFER_BYTES - 1,
    EncryptedStore.DIRECT_BUFFER_BYTES,
    EncryptedStore.DIRECT_BUFFER_BYTES + 1,
    (int) (2.5 * EncryptedStore.DIRECT_BUFFER_BYTES) + 12345
  };

  @Test
  void directWritesCommitEveryByteAndTheTrueSizeAtEveryBoundary() throws Exception {
    // The temporary directory is on the same file system as a real data directory here (ext4);
    // a file system that refuses O_DIRECT fails this test's first assertion, not silently passes.
    EncryptedStore store = new EncryptedStore(tmp.resolve("store"), true);
    Random split = new Random(9);
    int i = 0;
    for (int length : DIRECT_LENGTHS) {
      byte[] data = new byte[length];
      new Random(length).nextBytes(data);
      EncryptedStore.PendingWrite w = store.begin(ID);
      assertThat(w.isDirect()).as("O_DIRECT on %s", tmp).isTrue();
      for (int off = 0; off < length; ) {
        int n = Math.min(length - off, 1 + split.nextInt(700_000));
        w.stream().write(data, off, n);
        off += n;
      }
      String name = ++i + "-amiable_oyster-doc.gz.gpg";
      EncryptedStore.Stored stored = w.commit(name);
      assertThat(stored.size()).as("size of %d bytes", length).isEqualTo(length);
      assertThat(stored.sha256())
          .isEqualTo(
              java.util.HexFormat.of()
                  .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data)));
      assertThat(Files.readAllBytes(store.path(ID, name))).as("%d bytes", length).isEqualTo(data);
      assertThatThrownBy(() -> w.stream().write(1)).hasMessage("the pending write is finished");
    }
    assertThat(names(store.root().resolve(ID))).hasSize(DIRECT_LENGTHS.length);
  }

  /**
   * A data directory on a file system that refuses {@code O_DIRECT} (ramfs: its open answers
   * EINVAL; tmpfs and ext4 take it) still stores every byte: the first write finds out, goes
   * through the page cache, and no later write tries the direct open again. Mounting needs root,
   * which CI has: there the test must run.
   */
  @Test
  void onAFileSystemThatRefusesDirectWritesEveryWriteGoesThroughThePageCache() throws Exception {
    if (!"root".equals(System.getProperty("user.name"))) {
      assertThat(System.getenv("CI"))
          .as("CI runs as root: this test must run there (mounting a ramfs needs root)")
          .isNull();
      org.junit.jupiter.api.Assumptions.abort("mounting a ramfs needs root (CI runs it as root)");
    }
    Path mount = Files.createDirectory(tmp.resolve("ramfs"));
    run("mount", "-t", "ramfs", "-o", "mode=0700", "ramfs", mount.toString());
    try {
      // The control: this file system refuses the direct open the store makes.
      assertThatThrownBy(
              () ->
                  java.nio.channels.FileChannel.open(
                          mount.resolve("probe"),
                          java.nio.file.StandardOpenOption.CREATE_NEW,
                          java.nio.file.StandardOpenOption.WRITE,
                          com.sun.nio.file.ExtendedOpenOption.DIRECT)
                      .close())
          .isInstanceOf(java.io.IOException.class);
      Files.deleteIfExists(mount.resolve("probe"));

      EncryptedStore store = new EncryptedStore(mount.resolve("store"), true);
      assertThat(store.directIo()).isTrue();
      int i = 0;
      for (int length : DIRECT_LENGTHS) {
        byte[] data = new byte[length];
        new Random(length).nextBytes(data);
        EncryptedStore.PendingWrite w = store.begin(ID);
        assertThat(w.isDirect()).as("write %d", i).isFalse();
        assertThat(store.directIo()).as("O_DIRECT given up after the first refusal").isFalse();
        w.stream().write(data);
        String name = ++i + "-amiable_oyster-doc.gz.gpg";
        EncryptedStore.Stored stored = w.commit(name);
        assertThat(stored.size()).isEqualTo(length);
        assertThat(Files.readAllBytes(store.path(ID, name))).as("%d bytes", length).isEqualTo(data);
      }
      // Nothing left behind by the refused opens: only the committed files.
      assertThat(names(store.root().resolve(ID))).hasSize(DIRECT_LENGTHS.length);
    } finally {
      // A failed assertion may leave a pending write open on the mount: detach it then (lazy),
      // so that the failure shows and no mount outlives the test.
      if (exec("umount", mount.toString()) != 0) {
        exec("umount", "-l", mount.toString());
      }
    }
  }

  private static void run(String... command) throws Exception {
    assertThat(exec(command)).as(String.join(" ", command)).isZero();
  }

  private static int exec(String... command) throws Exception {
    return new ProcessBuilder(command).inheritIO().start().waitFor();
  }

  @Test
  void anAbortWaitsForAWriteInProgressBeforeItsBufferGoesBackToThePool() throws Exception {
    EncryptedStore store = new EncryptedStore(tmp.resolve("store"), true);
    EncryptedStore.PendingWrite doomed = store.begin(ID);
    assertThat(doomed.isDirect()).isTrue();
    // The disk writer is held, so a write of three halves stops inside its second hand-off.
    java.util.concurrent.CountDownLatch disk = new java.util.concurrent.CountDownLatch(1);
    EncryptedStore.DIRECT_WRITER.execute(
        () -> {
          try {
            disk.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    java.util.concurrent.atomic.AtomicReference<Throwable> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread writer =
        new Thread(
            () -> {
              try {
                doomed.stream().write(new byte[3 * EncryptedStore.DIRECT_BUFFER_BYTES]);
              } catch (java.io.IOException | RuntimeException e) {
                failure.set(e);
              }
            });
    writer.start();
    // An abort from another thread (the upload's lane) while that write is under way ...
    Thread aborter = new Thread(doomed::abort);
    try {
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      while (writer.getState() != Thread.State.WAITING) {
        assertThat(System.nanoTime() - deadline)
            .as(
                "the write reached its second hand-off within 30 s (state %s, failure %s)",
                writer.getState(), failure.get())
            .isNegative();
        Thread.sleep(5);
      }
      aborter.start();
      aborter.join(300);
      // ... does not return the buffer (for another upload to fill) while the writer may still
      // copy into it: without the pending write's lock it returned at once, with the writer
      // still inside.
      assertThat(aborter.isAlive()).as("abort returned during a write").isTrue();
    } finally {
      // The disk writer is shared by every store in this JVM: never leave it held.
      disk.countDown();
    }
    aborter.join(10_000);
    writer.join(10_000);
    assertThat(aborter.isAlive()).isFalse();
    // The write under way finished whole; the next one is refused cleanly, not a
    // NullPointerException on a buffer that went back to the pool.
    assertThat(failure.get()).isNull();
    assertThatThrownBy(() -> doomed.stream().write(1)).hasMessage("the pending write is finished");
    assertThat(names(store.root().resolve(ID))).isEmpty();
  }

  @Test
  void pastTheDirectBuffersWritesUseThePageCacheAndABufferIsReusedOnceFreed() throws Exception {
    EncryptedStore store = new EncryptedStore(tmp.resolve("store"), true);
    java.util.List<EncryptedStore.PendingWrite> open = new java.util.ArrayList<>();
    for (int k = 0; k < EncryptedStore.MAX_DIRECT_WRITES; k++) {
      open.add(store.begin(ID));
    }
    assertThat(open).allMatch(EncryptedStore.PendingWrite::isDirect);
    EncryptedStore.PendingWrite extra = store.begin(ID);
    assertThat(extra.isDirect()).isFalse();

    // A flood of writes that begin and end (commit or abort) takes no more buffers than that.
    open.get(0).abort();
    for (int k = 0; k < 50; k++) {
      EncryptedStore.PendingWrite w = store.begin(ID);
      assertThat(w.isDirect()).isTrue();
      w.stream().write(("item " + k).getBytes(StandardCharsets.US_ASCII));
      if (k % 2 == 0) {
        w.commit((k + 1) + "-a-msg.gpg");
      } else {
        w.abort();
      }
    }
    extra.stream().write("through the page cache".getBytes(StandardCharsets.US_ASCII));
    extra.commit("100-a-msg.gpg");
    assertThat(Files.readString(store.path(ID, "100-a-msg.gpg")))
        .isEqualTo("through the page cache");
    assertThat(Files.readString(store.path(ID, "49-a-msg.gpg"))).isEqualTo("item 48");
    open.forEach(EncryptedStore.PendingWrite::abort);
    assertThat(names(store.root().resolve(ID)).stream().filter(n -> n.endsWith(".part"))).isEmpty();
  }

  @Test
  void abortLeavesNothing() throws Exception {
    EncryptedStore store = new EncryptedStore(tmp.resolve("store"), true);
    EncryptedStore.PendingWrite w = store.begin(ID);
    w.stream().write(new byte[1000]);
    w.abort();
    try (var files = Files.list(store.root().resolve(ID))) {
      assertThat(files.count()).isZero();
    }
  }

  @Test
  void everyPathGoesThroughTheConfinementCheck() {
    EncryptedStore store = new EncryptedStore(tmp.resolve("store"), false);
    assertThatThrownBy(() -> store.path("../../etc", "1-a-msg.gpg"))
        .isInstanceOf(StoreException.class)
        .hasMessage("refused a malformed source id");
    assertThatThrownBy(() -> store.path(ID, "../../../etc/passwd"))
        .hasMessage("refused a file name outside the store's naming scheme");
    assertThatThrownBy(() -> store.path(ID, "1-a/../../x-msg.gpg"))
        .isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.path(ID, "0-a-msg.gpg")).isInstanceOf(StoreException.class);
    assertThat(store.path(ID, "12-amiable_oyster-doc.gz.gpg").startsWith(store.root())).isTrue();
  }

  private static java.util.List<String> names(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return java.util.List.of();
    }
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void put(EncryptedStore store, String name, String content) throws Exception {
    EncryptedStore.PendingWrite w = store.begin(ID);
    w.stream().write(content.getBytes(StandardCharsets.US_ASCII));
    w.commit(name);
  }

  @Test
  void cleanupRemovesOnlyTemporaryFilesAndQuarantinesRowlessCiphertext() throws Exception {
    // Given a kept file, a finished file without a row, and a crash mid-write (.part)
    EncryptedStore store = new EncryptedStore(tmp.resolve("store"), true);
    put(store, "1-a-msg.gpg", "kept");
    put(store, "2-a-msg.gpg", "orphan");
    store.begin(ID).stream().write(3);

    // When the start-up cleanup runs with only 1-a-msg.gpg known
    EncryptedStore.Cleanup c =
        store.cleanup((id, name) -> name == null || name.equals("1-a-msg.gpg"));

    // Then the .part is gone, the orphan is in the quarantine byte for byte, nothing destroyed
    assertThat(c).isEqualTo(new EncryptedStore.Cleanup(1, 1, 0, 0));
    assertThat(names(store.root().resolve(ID))).containsExactly("1-a-msg.gpg");
    Path q = tmp.resolve("quarantine").resolve(ID);
    assertThat(names(q)).containsExactly("2-a-msg.gpg");
    assertThat(Files.readString(q.resolve("2-a-msg.gpg"))).isEqualTo("orphan");
    Quarantine.Entry e = store.quarantine().list().get(0);
    assertThat(e).isEqualTo(new Quarantine.Entry(ID, "2-a-msg.gpg", "2-a-msg.gpg", false, 6));
    assertThat(store.quarantine().find(e.id())).contains(e);
    assertThat(store.quarantine().find(ID + "/../../store/x")).isEmpty();
  }

  @Test
  void anEmptyDatabaseQuarantinesTheWholeStoreAndRestoreBringsItBack() throws Exception {
    EncryptedStore store = new EncryptedStore(tmp.resolve("store"), true);
    put(store, "1-a-msg.gpg", "one");
    put(store, "2-a-doc.gz.gpg", "two");
    store.cleanup((id, name) -> false);
    assertThat(store.root().resolve(ID)).doesNotExist();
    assertThat(store.quarantine().count()).isEqualTo(2);

    // A second quarantine of the same name does not overwrite the first
    put(store, "1-a-msg.gpg", "again");
    store.cleanup((id, name) -> false);
    assertThat(names(tmp.resolve("quarantine").resolve(ID)))
        .containsExactly("1-a-msg.gpg", "1-a-msg.gpg~2", "2-a-doc.gz.gpg");

    Quarantine.Entry one = store.quarantine().find(ID + "/1-a-msg.gpg").orElseThrow();
    store.quarantine().restore(one);
    assertThat(Files.readString(store.path(ID, "1-a-msg.gpg"))).isEqualTo("one");
    Quarantine.Entry again = store.quarantine().find(ID + "/1-a-msg.gpg~2").orElseThrow();
    assertThat(again.filename()).isEqualTo("1-a-msg.gpg");
    assertThatThrownBy(() -> store.quarantine().restore(again))
        .hasMessage("the store already has a file of that name");
    store.quarantine().purge(again);
    assertThat(store.quarantine().count()).isEqualTo(1);
  }

  @Test
  void aDeletionSetsTheFileAsideUntilTheRowDeletionCommits() throws Exception {
    EncryptedStore store = new EncryptedStore(tmp.resolve("store"), true);
    put(store, "1-a-doc.gz.gpg", "x".repeat(100_000));

    // Rolled back: the file gets its name back
    assertThat(store.markDeleting(ID, "1-a-doc.gz.gpg")).isTrue();
    assertThat(names(store.root().resolve(ID))).containsExactly(".1-a-doc.gz.gpg.deleting");
    store.cancelDeleting(ID, "1-a-doc.gz.gpg");
    assertThat(names(store.root().resolve(ID))).containsExactly("1-a-doc.gz.gpg");

    // Committed: overwritten and unlinked
    store.markDeleting(ID, "1-a-doc.gz.gpg");
    store.finishDeleting(ID, "1-a-doc.gz.gpg");
    assertThat(names(store.root().resolve(ID))).isEmpty();
    store.removeSourceDirIfEmpty(ID);
    assertThat(store.root().resolve(ID)).doesNotExist();
    assertThat(store.markDeleting(ID, "1-a-doc.gz.gpg")).isFalse();
  }

  @Test
  void aCrashDuringADeletionIsRepairedAtStartWithoutResurrection() throws Exception {
    EncryptedStore store = new EncryptedStore(tmp.resolve("store"), true);
    put(store, "1-a-msg.gpg", "row still there");
    put(store, "2-a-msg.gpg", "row deleted");
    store.markDeleting(ID, "1-a-msg.gpg"); // crash before the commit
    store.markDeleting(ID, "2-a-msg.gpg"); // crash after the commit

    EncryptedStore.Cleanup c =
        store.cleanup((id, name) -> name == null || name.equals("1-a-msg.gpg"));

    assertThat(c).isEqualTo(new EncryptedStore.Cleanup(0, 0, 1, 1));
    assertThat(names(store.root().resolve(ID))).containsExactly("1-a-msg.gpg");
    Quarantine.Entry pending = store.quarantine().list().get(0);
    assertThat(pending.name()).isEqualTo("2-a-msg.gpg.deleted");
    assertThat(pending.deleted()).isTrue();
    assertThatThrownBy(() -> store.quarantine().restore(pending))
        .hasMessage("a pending deletion cannot be restored, only purged");
    store.quarantine().purge(pending);
    assertThat(store.quarantine().list()).isEmpty();
    assertThat(tmp.resolve("quarantine").resolve(ID)).doesNotExist();
  }

  @Test
  void aFullFileSystemIsReportedAsSuch() {
    java.io.IOException enospc = new java.io.IOException("No space left on device");
    assertThat(StoreFullException.classify(enospc)).isInstanceOf(StoreFullException.class);
    assertThat(StoreFullException.in(new RuntimeException(new java.io.IOException("x", enospc))))
        .isTrue();
    assertThat(StoreFullException.in(new java.io.IOException("Broken pipe"))).isFalse();
  }

  @Test
  void gzipContainerStoresWhatDoesNotCompressAndCarriesTheName() throws Exception {
    byte[] random = new byte[3 << 20];
    new Random(1).nextBytes(random);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    GzipContainer gz = new GzipContainer(out, "leak.pdf");
    for (int off = 0; off < random.length; off += 65536) {
      gz.write(random, off, 65536);
    }
    assertThat(gz.storing()).isTrue();
    gz.finish();
    byte[] packed = out.toByteArray();
    assertThat(packed.length).isBetween(random.length, random.length + random.length / 100);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(packed))) {
      assertThat(in.readAllBytes()).isEqualTo(random);
    }
    assertThat(new String(packed, 10, 8, StandardCharsets.ISO_8859_1)).isEqualTo("leak.pdf");

    byte[] text =
        "the quick brown fox jumps over the lazy dog\n"
            .repeat(50_000)
            .getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream out2 = new ByteArrayOutputStream();
    GzipContainer gz2 = new GzipContainer(out2, "");
    gz2.write(text);
    assertThat(gz2.storing()).isFalse();
    gz2.finish();
    assertThat(out2.size()).isLessThan(text.length / 20);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(out2.toByteArray()))) {
      assertThat(in.readAllBytes()).isEqualTo(text);
    }
  }
}
