package org.oniondrop.crypto.pgp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promise 1's memory half: encryption memory is bounded by buffers, not the message. A 1 GiB stream
 * is encrypted in a JVM limited to a {@value #HEAP} heap and decrypted by real gpg on the other end
 * of a pipe.
 */
class BoundedMemoryTest {

  private static final String HEAP = "-Xmx64m";
  private static final long SIZE = 1L << 30;

  @TempDir Path home;

  @Test
  void aGibibyteStreamEncryptsIn64MiBOfHeapAndGpgDecryptsIt() throws Exception {
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    try (Gpg gpg = new Gpg(home)) {
      // Given a gpg key and its certificate on disk
      String fpr = gpg.generate("big@example.invalid", "ed25519", "cv25519");
      Path cert = home.resolve("cert.asc");
      Files.write(cert, gpg.exportPublic(fpr));
      Path expected = home.resolve("expected.sha256");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

      // When a small-heap JVM encrypts 1 GiB into a pipe that gpg decrypts
      String pipeline =
          String.join(
              " ",
              "set -o pipefail;",
              quote(java),
              HEAP,
              "-cp",
              quote(System.getProperty("java.class.path")),
              BoundedMemoryEncryptMain.class.getName(),
              quote(cert.toString()),
              Long.toString(SIZE),
              quote(expected.toString()),
              "| gpg --batch --quiet --pinentry-mode loopback --passphrase '' --decrypt",
              "| sha256sum");
      Gpg.Result result = gpg.run(List.of("bash", "-c", pipeline), null);

      // Then both sides succeed and gpg's plaintext is exactly what was written
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      assertThat(result.stderr()).doesNotContain("OutOfMemoryError");
      assertThat(result.stdout().split(" ")[0]).isEqualTo(Files.readString(expected));
    }
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
