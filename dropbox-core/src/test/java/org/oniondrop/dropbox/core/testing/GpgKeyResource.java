package org.oniondrop.dropbox.core.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Before the application starts: a fresh data directory, and a submission key made by real GnuPG in
 * a private GNUPGHOME, whose secret half stays with the test (as on a journalist's offline machine)
 * to decrypt what the server stored. Shared by the interfaces' tests through dropbox-core's test
 * jar.
 */
public class GpgKeyResource implements QuarkusTestResourceLifecycleManager {

  public static Path work;
  public static Path gnupgHome;
  public static Path dataDir;

  @Override
  public Map<String, String> start() {
    try {
      work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "dropbox-test-");
      // gpg-agent's socket lives in GNUPGHOME, and a Unix socket path has at most 107 bytes:
      // a home under a deep checkout's target/ overflows it, so the home stays short, in /tmp.
      gnupgHome = Files.createTempDirectory("od-gnupg-");
      Files.setPosixFilePermissions(gnupgHome, PosixFilePermissions.fromString("rwx------"));
      dataDir = work.resolve("data");
      gpg("--quick-gen-key", "Submission <submission@example.invalid>", "ed25519", "cert", "never");
      String fpr = fingerprint();
      gpg("--quick-add-key", fpr, "cv25519", "encr", "never");
      Path key = work.resolve("submission.asc");
      Files.writeString(key, gpg("--armor", "--export", fpr));
      return Map.of(
          "oniondrop.data-dir", dataDir.toString(), "oniondrop.submission-key", key.toString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String fingerprint() throws IOException {
    for (String line :
        gpg("--with-colons", "--list-keys", "submission@example.invalid").split("\n")) {
      if (line.startsWith("fpr:")) {
        return line.split(":")[9];
      }
    }
    throw new IllegalStateException("no key");
  }

  /** Runs gpg in the test GNUPGHOME; returns stdout, fails on a non-zero exit. */
  public static String gpg(String... args) throws IOException {
    return new String(gpgBytes(null, args), StandardCharsets.UTF_8);
  }

  /** Runs gpg with {@code stdin} as input; returns stdout bytes. */
  public static byte[] gpgBytes(Path stdin, String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "gpg",
                "--batch",
                "--no-tty",
                "--quiet",
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                ""));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("GNUPGHOME", gnupgHome.toString());
    Path err = Files.createTempFile(work, "gpg", ".err");
    pb.redirectError(err.toFile());
    if (stdin != null) {
      pb.redirectInput(stdin.toFile());
    }
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(
            "gpg " + String.join(" ", args) + " failed: " + Files.readString(err));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return out;
  }

  @Override
  public void stop() {
    try {
      ProcessBuilder kill = new ProcessBuilder("gpgconf", "--kill", "all");
      kill.environment().put("GNUPGHOME", gnupgHome.toString());
      kill.start().waitFor(10, TimeUnit.SECONDS);
      // The store may hold hundreds of MB of test ciphertext: do not keep it around.
      for (Path dir : List.of(work, gnupgHome)) {
        try (var files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    } catch (IOException e) {
      // nothing left to clean
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
