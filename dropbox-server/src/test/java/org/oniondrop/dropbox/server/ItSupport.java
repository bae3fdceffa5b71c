package org.oniondrop.dropbox.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small helpers the integration tests that start the packaged application share. */
final class ItSupport {

  private ItSupport() {}

  /**
   * Bound on an application start in the fault tests, which start it many times: generous, since a
   * loaded 2-core CI machine was seen taking 110 s for one start.
   */
  static final java.time.Duration START_TIMEOUT =
      java.time.Duration.ofSeconds(Long.getLong("oniondrop.it.start-timeout-s", 300));

  /**
   * The GC option Ansible's unit starts the server with (ansible/roles/app/templates/
   * oniondrop.service.j2, which says why), for the tests that run the packaged app as it is
   * deployed. system-tests' {@code ServerJvmOptionsTest} checks every place that starts it carries
   * the option.
   */
  static final String GC_OPTION = "-XX:-G1UseAdaptiveIHOP";

  /** The java command of the JVM running the tests. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Where {@link #freePort()} looks: below Linux's ephemeral range (32768-60999 by default), so no
   * outgoing connection, and no TCP self-connect of a test polling the port before the app binds
   * it, can take the port between our check and the app's bind (it did: "Port 37967 seems to be in
   * use"); and below tornet's port blocks (TorBackendIT's 17300, NativeBackendIT's 20000 and up).
   */
  static final int FREE_PORT_LOW = 10_000;

  static final int FREE_PORT_HIGH = 17_000;

  /** Ports this JVM has handed out already: two calls in a row must not return the same one. */
  private static final java.util.Set<Integer> HANDED_OUT =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** A port free on 127.0.0.1 and on the wildcard address right now, not handed out before. */
  static int freePort() throws IOException {
    java.util.concurrent.ThreadLocalRandom random =
        java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = random.nextInt(FREE_PORT_LOW, FREE_PORT_HIGH);
      if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IOException("no free port in " + FREE_PORT_LOW + "-" + FREE_PORT_HIGH);
  }

  private static boolean bindable(int port) {
    try (ServerSocket loopback = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
        ServerSocket any = new ServerSocket()) {
      loopback.close();
      any.bind(new java.net.InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The rest of the first line of {@code text} that starts with {@code prefix}. */
  static String line(String text, String prefix) {
    return text.lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no '" + prefix + "' in:\n" + text))
        .substring(prefix.length());
  }

  /** Runs {@code command} with GNUPGHOME={@code gnupgHome}; its stdout (bounded wait: 300 s). */
  static String run(Path gnupgHome, List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("GNUPGHOME", gnupgHome.toString());
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return out;
  }

  /**
   * A submission key made by real gpg (ed25519 certification key, cv25519 encryption subkey) in
   * {@code gnupgHome}, exported armored to {@code out}; the secret stays in {@code gnupgHome}.
   */
  static Path gpgKey(Path gnupgHome, Path out) throws IOException, InterruptedException {
    return gpgKey(gnupgHome, out, "IT <it@example.invalid>");
  }

  /** As {@link #gpgKey(Path, Path)}, for the user id {@code uid} (one key per user id). */
  static Path gpgKey(Path gnupgHome, Path out, String uid)
      throws IOException, InterruptedException {
    if (Files.exists(out)) {
      return out;
    }
    Files.createDirectories(gnupgHome);
    Files.setPosixFilePermissions(gnupgHome, PosixFilePermissions.fromString("rwx------"));
    List<String> batch =
        List.of("gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "");
    run(gnupgHome, concat(batch, "--quick-gen-key", uid, "ed25519", "cert", "never"));
    String fpr = null;
    for (String l :
        run(gnupgHome, List.of("gpg", "--with-colons", "--list-keys", "=" + uid)).split("\n")) {
      if (l.startsWith("fpr:")) {
        fpr = l.split(":")[9];
        break;
      }
    }
    if (fpr == null) {
      throw new AssertionError("gpg made no key");
    }
    run(gnupgHome, concat(batch, "--quick-add-key", fpr, "cv25519", "encr", "never"));
    Files.writeString(out, run(gnupgHome, List.of("gpg", "--armor", "--export", fpr)));
    return out;
  }

  private static List<String> concat(List<String> a, String... b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(List.of(b));
    return all;
  }
}
