package org.oniondrop.dropbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk (design promise 8: a clear answer, nothing lost, nothing half-kept): the packaged
 * application's data directory is a small tmpfs, filled until an upload cannot fit. The upload gets
 * 507 Insufficient Storage with a readable page; no {@code .part}, no file and no row of it stays;
 * once space is back, the same upload succeeds and real gpg opens it.
 *
 * <p>Mounting needs root. CI runs as root (and sets {@code CI}), where a non-root run fails; on a
 * developer's machine it is skipped with a message.
 */
@EnabledOnOs(OS.LINUX)
class FullDiskIT {

  /** The tmpfs: room for H2, keys and one upload, small enough to fill in a moment. */
  private static final String TMPFS_SIZE = "64m";

  /** Free space left by the filler: less than the upload below. */
  private static final long LEFT_FREE = 4L << 20;

  private static final int UPLOAD = 12 << 20;

  /** Uploads refused on the full disk, each of which must be a 507. */
  private static final int FULL_ROUNDS = 5;

  @TempDir Path work;
  private Path mount;
  private Process app;

  @AfterEach
  void cleanUp() throws Exception {
    if (app != null) {
      app.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    if (mount != null) {
      new ProcessBuilder("umount", mount.toString())
          .inheritIO()
          .start()
          .waitFor(30, TimeUnit.SECONDS);
    }
    ItSupport.run(work.resolve("gnupg"), List.of("gpgconf", "--kill", "all"));
  }

  @Test
  void aFullDiskGets507AndKeepsNothingAndTheNextUploadWorks() throws Exception {
    boolean root = "0".equals(ItSupport.run(work, List.of("id", "-u")).trim());
    if (!root) {
      assertThat(System.getenv("CI"))
          .as("CI runs as root: the full-disk test must run there (mount needs root)")
          .isNull();
      Assumptions.abort("FullDiskIT skipped: mounting a tmpfs needs root (CI runs it as root)");
    }
    // Given the app with its data directory on a small tmpfs
    Path key = ItSupport.gpgKey(work.resolve("gnupg"), work.resolve("submission.asc"));
    mount = work.resolve("data");
    Files.createDirectories(mount);
    Process m =
        new ProcessBuilder(
                "mount",
                "-t",
                "tmpfs",
                "-o",
                "size=" + TMPFS_SIZE + ",mode=0700",
                "tmpfs",
                mount.toString())
            .redirectErrorStream(true)
            .start();
    String mountOut = new String(m.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(m.waitFor()).as("mount tmpfs: " + mountOut).isZero();
    int port = ItSupport.freePort();
    Path log = work.resolve("app.log");
    app =
        new ProcessBuilder(
                ItSupport.java(),
                "-Doniondrop.data-dir=" + mount,
                "-Doniondrop.submission-key=" + key,
                "-Doniondrop.sources.kdf=scrypt:N=16,r=1,p=1",
                "-Doniondrop.sources.allow-test-kdf=true",
                "-Doniondrop.journalists.passphrase-kdf=argon2id:m=64,t=1,p=1",
                "-Doniondrop.journalists.allow-test-kdf=true",
                "-Dquarkus.http.port=" + port,
                "-Doniondrop.server.journalist-port=0",
                "-Doniondrop.onion.backend=none",
                // A loaded CI machine was seen taking more than Agroal's default 5 s to open H2.
                "-Dquarkus.datasource.jdbc.acquisition-timeout=120S",
                "-Doniondrop.onion.socks-port=0",
                "-jar",
                System.getProperty("quarkus.app.jar"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    String base = "http://127.0.0.1:" + port;
    LargeUploadMemoryIT.awaitUp(base, log, ItSupport.START_TIMEOUT);
    // (with onion hosting off the summary names no onion address: none would answer)
    assertThat(Files.readString(log)).contains("onion hosting: off").doesNotContain(".onion/");
    String cookie = LargeUploadMemoryIT.sourceCookie(base);
    byte[] content = new byte[UPLOAD];
    new Random(14).nextBytes(content);

    // When the disk has less room than the upload
    Path filler = mount.resolve("filler");
    long fill = Files.getFileStore(mount).getUsableSpace() - LEFT_FREE;
    try (OutputStream out = Files.newOutputStream(filler)) {
      byte[] block = new byte[1 << 20];
      for (long n = 0; n < fill; n += block.length) {
        out.write(block, 0, (int) Math.min(block.length, fill - n));
      }
    }
    // (several times: the parser and the encrypting lane race to report the failure, and
    // whichever wins must name the full disk)
    for (int round = 0; round < FULL_ROUNDS; round++) {
      String full = upload(base, cookie, content);

      // Then a clear 507 page, and nothing of the upload stays
      int r = round;
      assertThat(full)
          .as(() -> "round " + r + ", app log: " + readLog(work.resolve("app.log")))
          .startsWith("HTTP/1.1 507")
          .contains("no room to store your submission");
      assertThat(full).doesNotContain("Exception").doesNotContain("ENOSPC");
      assertThat(storeFiles()).isEmpty();
    }

    // When space is back, the same upload succeeds and gpg opens it to the same bytes
    Files.delete(filler);
    String ok = upload(base, cookie, content);
    assertThat(ok).startsWith("HTTP/1.1 303");
    List<Path> stored = storeFiles();
    assertThat(stored).singleElement().asString().endsWith("-doc.gz.gpg");
    String digest =
        ItSupport.run(
                work.resolve("gnupg"),
                List.of(
                    "bash",
                    "-c",
                    "set -o pipefail; gpg --batch --quiet --decrypt '"
                        + stored.get(0)
                        + "' | gunzip | sha256sum"))
            .split(" ")[0];
    assertThat(digest)
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));

    // And the database has exactly that one row
    app.destroy();
    assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
    app = null;
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:h2:file:" + mount.resolve("db").resolve("oniondrop"), "", "");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM submissions")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }

  private static String readLog(Path log) {
    try {
      String all = Files.readString(log);
      return all.substring(Math.max(0, all.length() - 4000));
    } catch (IOException e) {
      return "(no log: " + e.getClass().getSimpleName() + ")";
    }
  }

  private List<Path> storeFiles() throws IOException {
    try (Stream<Path> s = Files.walk(mount.resolve("store"))) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  /**
   * Posts one document over a raw socket, reading the answer while writing: the server answers an
   * error as soon as it knows, and may close the connection before the body is fully sent.
   */
  private static String upload(String base, String cookie, byte[] content) throws Exception {
    java.net.URI u = java.net.URI.create(base);
    String csrf = LargeUploadMemoryIT.csrf(LargeUploadMemoryIT.get(base + "/lookup", cookie));
    String boundary = "----full-disk";
    byte[] head =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
                + csrf
                + "\r\n--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    try (Socket s = new Socket(u.getHost(), u.getPort())) {
      s.setSoTimeout(60_000);
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      Thread reader =
          new Thread(
              () -> {
                try (InputStream in = s.getInputStream()) {
                  in.transferTo(response);
                } catch (IOException e) {
                  // connection closed by the server after its answer
                }
              });
      reader.start();
      try {
        OutputStream out = s.getOutputStream();
        out.write(
            ("POST /submit HTTP/1.1\r\nHost: localhost\r\nCookie: "
                    + cookie
                    + "\r\nContent-Type: multipart/form-data; boundary="
                    + boundary
                    + "\r\nContent-Length: "
                    + (head.length + content.length + tail.length)
                    + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(head);
        for (int off = 0; off < content.length; off += 64 * 1024) {
          out.write(content, off, Math.min(64 * 1024, content.length - off));
        }
        out.write(tail);
        out.flush();
      } catch (IOException e) {
        // the server answered and closed before taking the whole body
      }
      reader.join(60_000);
      return response.toString(StandardCharsets.UTF_8);
    }
  }
}
