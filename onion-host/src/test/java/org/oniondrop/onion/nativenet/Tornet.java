package org.oniondrop.onion.nativenet;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.oniondrop.onion.control.TorControl;

/**
 * A tools/tornet network for a test: reused when {@code TORNET_DIR} names a running one, otherwise
 * started under {@code target/} on a free block of ports and stopped afterwards.
 */
public final class Tornet implements AutoCloseable {

  /** tornet uses ports base+10 .. base+99 for 3 authorities, 5 relays and the client. */
  static final int PORT_BLOCK = 100;

  final Path dir;
  final Map<String, String> env;
  private final boolean ours;

  private Tornet(Path dir, Map<String, String> env, boolean ours) {
    this.dir = dir;
    this.env = env;
    this.ours = ours;
  }

  static Path repoRoot() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("tools/tornet")) ? here : here.getParent();
  }

  public static Tornet startOrReuse(String name) throws IOException, InterruptedException {
    String existing = System.getenv("TORNET_DIR");
    if (existing != null && !existing.isBlank()) {
      return new Tornet(Path.of(existing), readEnv(Path.of(existing)), false);
    }
    Path dir = Path.of("target", name).toAbsolutePath();
    int base = freeBlock();
    Process p =
        new ProcessBuilder(
                repoRoot().resolve("tools/tornet").toString(),
                "start",
                "--dir",
                dir.toString(),
                "--base-port",
                Integer.toString(base),
                "--timeout",
                "240")
            .redirectErrorStream(true)
            .redirectOutput(dir.getParent().resolve(name + ".log").toFile())
            .start();
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("tornet did not start; see target/" + name + ".log");
    }
    return new Tornet(dir, readEnv(dir), true);
  }

  private static int freeBlock() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + ThreadLocalRandom.current().nextInt(300) * PORT_BLOCK;
      if (blockFree(base)) {
        return base;
      }
    }
    throw new IOException("no free block of " + PORT_BLOCK + " ports");
  }

  private static boolean blockFree(int base) {
    for (int port = base; port < base + PORT_BLOCK; port++) {
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        // free
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, String> readEnv(Path dir) throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String line : Files.readAllLines(dir.resolve("tornet.env"))) {
      if (line.startsWith("export ")) {
        int eq = line.indexOf('=');
        String value = line.substring(eq + 1);
        if (value.startsWith("'") && value.endsWith("'")) {
          value = value.substring(1, value.length() - 1);
        }
        env.put(line.substring(7, eq), value);
      }
    }
    return env;
  }

  /** Whether this test started the network (and stops it). */
  boolean ours() {
    return ours;
  }

  public Path joinTorrc() {
    return dir.resolve("join.torrc");
  }

  public int socksPort() {
    return Integer.parseInt(env.get("TORNET_SOCKS_PORT"));
  }

  String controlTarget() {
    return "127.0.0.1:" + env.get("TORNET_CONTROL_PORT");
  }

  Path controlCookie() {
    return Path.of(env.get("TORNET_CONTROL_COOKIE"));
  }

  /** C tor accepts one NEWNYM per 10 s and delays the rest: calls are spaced by this. */
  static final Duration NEWNYM_SPACING = Duration.ofSeconds(11);

  private Instant lastNewnym = Instant.EPOCH;

  /**
   * SIGNAL NEWNYM on tornet's C tor client: it purges its onion-service state (descriptors,
   * intro-point failures), so the next connection fetches the service's current descriptor. Spaced
   * by {@link #NEWNYM_SPACING}, since a delayed NEWNYM would land after the caller's next step.
   */
  synchronized void newnym() throws IOException, InterruptedException {
    Duration since = Duration.between(lastNewnym, Instant.now());
    if (since.compareTo(NEWNYM_SPACING) < 0) {
      Thread.sleep(NEWNYM_SPACING.minus(since).toMillis());
    }
    try (TorControl control = TorControl.connect(controlTarget())) {
      control.authenticate(controlCookie(), null);
      TorControl.Reply r = control.command("SIGNAL NEWNYM");
      if (r.status() != 250) {
        throw new IOException("SIGNAL NEWNYM refused: " + r.first());
      }
    }
    lastNewnym = Instant.now();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (ours) {
      new ProcessBuilder(
              repoRoot().resolve("tools/tornet").toString(), "stop", "--dir", dir.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(60, TimeUnit.SECONDS);
    }
  }
}
