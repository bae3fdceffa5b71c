package org.oniondrop.crypto.pgp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real GnuPG (and Sequoia's {@code sq}) in a private, temporary GNUPGHOME, for interop tests.
 * {@code .ci/run} installs both; a missing tool fails the test rather than skipping it.
 */
final class Gpg implements AutoCloseable {

  /** Bound on one external command: key generation of RSA-4096 is the slowest step. */
  private static final long COMMAND_TIMEOUT_SECONDS = 300;

  private final Path home;

  Gpg(Path home) {
    this.home = home;
  }

  /** The result of a finished command. */
  record Result(int exitCode, String stdout, String stderr) {}

  /** Runs gpg with batch options in this home; fails the test on a non-zero exit. */
  Result gpg(String... args) {
    List<String> command = new ArrayList<>(List.of("gpg", "--batch", "--no-tty", "--quiet"));
    command.addAll(List.of("--pinentry-mode", "loopback", "--passphrase", ""));
    command.addAll(List.of(args));
    Result result = run(command, null);
    assertThat(result.exitCode())
        .as("gpg %s\n%s", String.join(" ", args), result.stderr())
        .isZero();
    return result;
  }

  /** Runs any command with GNUPGHOME set, optionally feeding {@code stdin}. */
  Result run(List<String> command, Path stdin) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().put("GNUPGHOME", home.toString());
      Path out = Files.createTempFile(home, "out", ".txt");
      Path err = Files.createTempFile(home, "err", ".txt");
      builder.redirectOutput(out.toFile()).redirectError(err.toFile());
      if (stdin != null) {
        builder.redirectInput(stdin.toFile());
      }
      Process process = builder.start();
      if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("timed out: " + command);
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + command.get(0) + " (is it installed?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Generates a key with {@code gpg --quick-gen-key}; returns its fingerprint. */
  String generate(String email, String primaryAlgo, String encryptionAlgo) {
    gpg("--quick-gen-key", "Test <" + email + ">", primaryAlgo, "cert", "never");
    String fpr = fingerprint(email);
    gpg("--quick-add-key", fpr, encryptionAlgo, "encr", "never");
    return fpr;
  }

  String fingerprint(String email) {
    for (String line : gpg("--with-colons", "--list-keys", email).stdout().split("\n")) {
      if (line.startsWith("fpr:")) {
        return line.split(":")[9];
      }
    }
    throw new AssertionError("no fingerprint for " + email);
  }

  byte[] exportPublic(String fpr) {
    return gpg("--armor", "--export", fpr).stdout().getBytes(StandardCharsets.US_ASCII);
  }

  /** Writes the secret key, unprotected, to a file (for {@code sq}). */
  Path exportSecret(String fpr) throws IOException {
    Path file = home.resolve(fpr + ".sec.asc");
    Files.writeString(file, gpg("--armor", "--export-secret-keys", fpr).stdout());
    return file;
  }

  Path home() {
    return home;
  }

  @Override
  public void close() {
    run(List.of("gpgconf", "--kill", "all"), null);
  }
}
