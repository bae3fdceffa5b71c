package org.oniondrop.onion.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A real tor (Debian's, installed by .ci/run) with no network at all ({@code DisableNetwork 1}, no
 * SOCKS port), hosting one HiddenServiceDir: enough for tor to load or generate the service key and
 * write {@code hostname}.
 */
final class TorProcess implements AutoCloseable {

  /** tor writes hostname within a second or two; this bounds the wait. */
  private static final Duration HOSTNAME_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final Path log;

  private TorProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts tor with {@code serviceDir} as its HiddenServiceDir and waits for its hostname file. */
  static TorProcess hosting(Path work, Path serviceDir) throws IOException, InterruptedException {
    Path data = work.resolve("tor-data");
    Files.createDirectories(data);
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    Path torrc = work.resolve("torrc");
    Files.writeString(
        torrc,
        String.join(
            "\n",
            "DataDirectory " + data,
            "SocksPort 0",
            "DisableNetwork 1",
            "RunAsDaemon 0",
            "Log notice stdout",
            "HiddenServiceDir " + serviceDir,
            "HiddenServicePort 80 127.0.0.1:9",
            ""));
    Path log = work.resolve("tor.log");
    Process process =
        new ProcessBuilder("tor", "-f", torrc.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    TorProcess tor = new TorProcess(process, log);
    Instant deadline = Instant.now().plus(HOSTNAME_TIMEOUT);
    Path hostname = serviceDir.resolve("hostname");
    while (!Files.exists(hostname) || Files.size(hostname) == 0) {
      if (!process.isAlive() || Instant.now().isAfter(deadline)) {
        tor.close();
        throw new IllegalStateException("tor did not write hostname:\n" + Files.readString(log));
      }
      process.waitFor(100, TimeUnit.MILLISECONDS);
    }
    return tor;
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
