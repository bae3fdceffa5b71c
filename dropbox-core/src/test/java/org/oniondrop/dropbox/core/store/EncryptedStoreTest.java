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

  @Test
  void cleanupRemovesLeftoversAndFilesWithoutRows() throws Exception {
    EncryptedStore store = new EncryptedStore(tmp.resolve("store"), true);
    EncryptedStore.PendingWrite kept = store.begin(ID);
    kept.stream().write(1);
    kept.commit("1-a-msg.gpg");
    EncryptedStore.PendingWrite orphan = store.begin(ID);
    orphan.stream().write(2);
    orphan.commit("2-a-msg.gpg");
    store.begin(ID).stream().write(3); // a crash mid-write leaves a .part file
    int removed = store.cleanup((id, name) -> name.equals("1-a-msg.gpg"));
    assertThat(removed).isEqualTo(2);
    try (var files = Files.list(store.root().resolve(ID))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("1-a-msg.gpg");
    }
  }

  @Test
  void deleteOverwritesAndUnlinks() throws Exception {
    EncryptedStore store = new EncryptedStore(tmp.resolve("store"), true);
    EncryptedStore.PendingWrite w = store.begin(ID);
    w.stream().write(new byte[100_000]);
    w.commit("1-a-doc.gz.gpg");
    store.delete(ID, "1-a-doc.gz.gpg");
    assertThat(store.path(ID, "1-a-doc.gz.gpg")).doesNotExist();
    store.deleteSource(ID);
    assertThat(store.root().resolve(ID)).doesNotExist();
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
