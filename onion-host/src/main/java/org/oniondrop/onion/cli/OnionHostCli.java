package org.oniondrop.onion.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.oniondrop.onion.keys.ClientAuthKey;
import org.oniondrop.onion.keys.HsIdentity;
import org.oniondrop.onion.keys.KeyFileException;
import org.oniondrop.onion.keys.TorKeyFiles;

/**
 * {@code onion-host COMMAND [--option VALUE]...}. Exit codes: 0 success, 1 the operation failed
 * (bad or missing files), 2 usage error.
 */
public final class OnionHostCli {

  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  private static final String USAGE_TEXT =
      String.join(
          "\n",
          "usage: onion-host COMMAND [OPTIONS]",
          "  keygen --dir DIR                 write a new onion service key in tor's format",
          "  address --dir DIR                print the onion address of a key directory",
          "  client-auth-keygen --dir DIR --name NAME [--client-dir CDIR]",
          "                                   new client-authorization key: DIR/authorized_clients/NAME.auth",
          "                                   and CDIR/NAME.auth_private (CDIR defaults to the current directory)",
          "  torrc --service DIR=VPORT:127.0.0.1:PORT[,...] [--service ...] [--export-circuit-id DIR]",
          "                                   make each DIR a HiddenServiceDir with our key and print",
          "                                   the torrc lines for tor to host the services itself",
          "  serve --service DIR=VPORT:127.0.0.1:PORT[,...] [--service ...] [--socks PORT]",
          "        [--authorized-clients DIR] [--client-auth-dir DIR] [--relays N]",
          "        [--export-circuit-id DIR]",
          "                                   host local ports as onion services on an embedded",
          "                                   network (NO anonymity: development and tests only)",
          "  serve --native [--join-torrc FILE] [--data-dir DIR] --service ... [--socks PORT]",
          "        [--authorized-clients DIR] [--client-auth-dir DIR]",
          "                                   host them on a real Tor network (the DirAuthority and",
          "                                   FallbackDir lines of FILE, or the public network's",
          "                                   authorities and fallbacks); experimental: no",
          "                                   vanguards, congestion control or PoW, not audited",
          "  --export-circuit-id DIR            (repeatable) the service in DIR starts each stream to",
          "                                   its target with a HAProxy PROXY v1 line carrying the",
          "                                   circuit id (tor's HiddenServiceExportCircuitID haproxy)");

  /** A usage problem, reported as one line. */
  private static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  private OnionHostCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, null);
  }

  /**
   * Runs a command; returns the exit code. Never throws for bad input. For {@code serve}, the
   * started system is handed to {@code served} (tests) or, when null, kept until Ctrl-C.
   */
  static int run(
      String[] args, PrintStream out, PrintStream err, java.util.function.Consumer<Serve> served) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      (args.length == 0 ? err : out).println(USAGE_TEXT);
      return args.length == 0 ? USAGE : OK;
    }
    try {
      String command = args[0];
      if (command.equals("serve")) {
        return serve(args, out, served);
      }
      if (command.equals("torrc")) {
        torrc(args, out);
        return OK;
      }
      Map<String, String> options = options(args);
      switch (command) {
        case "keygen" -> keygen(options, out);
        case "address" -> address(options, out);
        case "client-auth-keygen" -> clientAuthKeygen(options, out);
        default -> throw new UsageException("unknown command '" + command + "'; try --help");
      }
      return OK;
    } catch (UsageException e) {
      err.println("onion-host: " + e.getMessage());
      return USAGE;
    } catch (KeyFileException e) {
      err.println("onion-host: " + e.getMessage());
      return FAILED;
    } catch (IOException e) {
      err.println("onion-host: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      return FAILED;
    } catch (RuntimeException e) {
      // Last resort: one line, no stack trace, for a bug we did not foresee.
      err.println("onion-host: internal error: " + e);
      return FAILED;
    }
  }

  private static int serve(
      String[] args, PrintStream out, java.util.function.Consumer<Serve> served)
      throws UsageException, IOException, KeyFileException {
    java.util.List<Serve.ServiceSpec> specs = new java.util.ArrayList<>();
    java.util.List<String> exports = new java.util.ArrayList<>();
    Path authorized = null;
    Path clientAuth = null;
    int socksPort = 9350;
    int relays = org.oniondrop.onion.embedded.EmbeddedNetwork.DEFAULT_RELAYS;
    boolean nativeBackend = java.util.Arrays.asList(args).contains("--native");
    Path joinTorrc = null;
    Path dataDir = Path.of("onion-host-data");
    args = java.util.Arrays.stream(args).filter(a -> !a.equals("--native")).toArray(String[]::new);
    for (int i = 1; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new UsageException("option " + args[i] + " needs a value");
      }
      String value = args[i + 1];
      try {
        switch (args[i]) {
          case "--service" -> specs.add(Serve.ServiceSpec.parse(value));
          case "--export-circuit-id" -> exports.add(value);
          case "--authorized-clients" -> authorized = Path.of(value);
          case "--client-auth-dir" -> clientAuth = Path.of(value);
          case "--socks" -> socksPort = Integer.parseInt(value);
          case "--relays" -> relays = Integer.parseInt(value);
          case "--join-torrc" -> joinTorrc = Path.of(value);
          case "--data-dir" -> dataDir = Path.of(value);
          default -> throw new UsageException("unknown option '" + args[i] + "'");
        }
      } catch (NumberFormatException e) {
        throw new UsageException(args[i] + " needs a number");
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    if (specs.isEmpty()) {
      throw new UsageException("serve needs at least one --service DIR=VPORT:127.0.0.1:PORT");
    }
    try {
      specs = Serve.ServiceSpec.withExports(specs, exports);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (socksPort < 0 || socksPort > 65535) {
      throw new UsageException("--socks must be a port number");
    }
    if (relays < org.oniondrop.onion.embedded.EmbeddedNetwork.MIN_RELAYS || relays > 100) {
      throw new UsageException(
          "--relays must be " + org.oniondrop.onion.embedded.EmbeddedNetwork.MIN_RELAYS + "..100");
    }
    Serve serve;
    try {
      if (nativeBackend) {
        org.oniondrop.onion.dir.JoinConfig join;
        try {
          join =
              joinTorrc == null
                  ? org.oniondrop.onion.dir.JoinConfig.publicNetwork()
                  : org.oniondrop.onion.dir.JoinConfig.read(joinTorrc);
        } catch (org.oniondrop.onion.dir.DirException e) {
          throw new UsageException(e.getMessage());
        }
        serve = Serve.startNative(specs, authorized, clientAuth, socksPort, join, dataDir, out);
      } else {
        serve = Serve.start(specs, authorized, clientAuth, socksPort, relays, out);
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (served != null) {
      served.accept(serve);
      return OK;
    }
    java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  serve.close();
                  stopped.countDown();
                },
                "onion-host-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return OK;
  }

  private static Map<String, String> options(String[] args) throws UsageException {
    Map<String, String> options = new HashMap<>();
    Set<String> known = Set.of("--dir", "--name", "--client-dir");
    for (int i = 1; i < args.length; i += 2) {
      if (!known.contains(args[i])) {
        throw new UsageException("unknown option '" + args[i] + "'");
      }
      if (i + 1 >= args.length) {
        throw new UsageException("option " + args[i] + " needs a value");
      }
      if (options.put(args[i], args[i + 1]) != null) {
        throw new UsageException("option " + args[i] + " given twice");
      }
    }
    return options;
  }

  private static String need(Map<String, String> options, String name) throws UsageException {
    String value = options.get(name);
    if (value == null || value.isBlank()) {
      throw new UsageException("missing " + name);
    }
    return value;
  }

  private static void only(Map<String, String> options, List<String> allowed)
      throws UsageException {
    for (String key : options.keySet()) {
      if (!allowed.contains(key)) {
        throw new UsageException("option " + key + " does not apply here");
      }
    }
  }

  /**
   * {@code torrc --service DIR=VPORT:127.0.0.1:PORT[,...] ...}: for operators who let tor host the
   * services itself. Makes each DIR a HiddenServiceDir with our key (generated when missing, in
   * tor's format; an {@code authorized_clients/} there is tor's too) and prints the torrc lines.
   */
  private static void torrc(String[] args, PrintStream out)
      throws UsageException, IOException, KeyFileException {
    java.util.List<Serve.ServiceSpec> specs = new java.util.ArrayList<>();
    java.util.List<String> exports = new java.util.ArrayList<>();
    for (int i = 1; i < args.length; i += 2) {
      boolean service = args[i].equals("--service");
      if ((!service && !args[i].equals("--export-circuit-id")) || i + 1 >= args.length) {
        throw new UsageException(
            "torrc takes --service DIR=VPORT:127.0.0.1:PORT[,...] and --export-circuit-id DIR");
      }
      try {
        if (service) {
          specs.add(Serve.ServiceSpec.parse(args[i + 1]));
        } else {
          exports.add(args[i + 1]);
        }
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    if (specs.isEmpty()) {
      throw new UsageException("torrc needs at least one --service DIR=VPORT:127.0.0.1:PORT");
    }
    try {
      specs = Serve.ServiceSpec.withExports(specs, exports);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    StringBuilder text =
        new StringBuilder("# Onion services with OnionDrop's keys (onion-host torrc)\n");
    for (Serve.ServiceSpec spec : specs) {
      Path dir = spec.dir().toAbsolutePath().normalize();
      if (!TorKeyFiles.exists(dir)) {
        HsIdentity identity = HsIdentity.generate(new SecureRandom());
        try {
          TorKeyFiles.write(dir, identity);
        } finally {
          identity.destroy();
        }
      }
      text.append("HiddenServiceDir ").append(dir).append('\n');
      if (spec.exportCircuitId()) {
        // tor(1): a HAProxy PROXY v1 line with the global circuit id before each stream.
        text.append("HiddenServiceExportCircuitID haproxy\n");
      }
      spec.ports().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(
              e ->
                  text.append("HiddenServicePort ")
                      .append(e.getKey())
                      .append(" 127.0.0.1:")
                      .append(e.getValue().getPort())
                      .append('\n'));
    }
    out.print(text);
  }

  private static void keygen(Map<String, String> options, PrintStream out)
      throws UsageException, IOException, KeyFileException {
    only(options, List.of("--dir"));
    Path dir = Path.of(need(options, "--dir"));
    if (TorKeyFiles.exists(dir)) {
      throw new KeyFileException(dir + " already holds a key; refusing to overwrite it");
    }
    HsIdentity identity = HsIdentity.generate(new SecureRandom());
    try {
      TorKeyFiles.write(dir, identity);
      out.println(identity.address());
    } finally {
      identity.destroy();
    }
  }

  private static void address(Map<String, String> options, PrintStream out)
      throws UsageException, KeyFileException {
    only(options, List.of("--dir"));
    HsIdentity identity = TorKeyFiles.read(Path.of(need(options, "--dir")));
    try {
      out.println(identity.address());
    } finally {
      identity.destroy();
    }
  }

  private static void clientAuthKeygen(Map<String, String> options, PrintStream out)
      throws UsageException, IOException, KeyFileException {
    only(options, List.of("--dir", "--name", "--client-dir"));
    Path dir = Path.of(need(options, "--dir"));
    String name = need(options, "--name");
    if (!ClientAuthKey.NAME.matcher(name).matches()) {
      throw new UsageException("--name must match " + ClientAuthKey.NAME.pattern());
    }
    Path clientDir = Path.of(options.getOrDefault("--client-dir", "."));
    HsIdentity identity = TorKeyFiles.read(dir);
    Path authDir = dir.resolve("authorized_clients");
    Path authFile = authDir.resolve(name + ".auth");
    Path privateFile = clientDir.resolve(name + ".auth_private");
    if (Files.exists(authFile) || Files.exists(privateFile)) {
      throw new KeyFileException(
          "a client named '" + name + "' already exists; refusing to overwrite");
    }
    ClientAuthKey key = ClientAuthKey.generate(new SecureRandom());
    try {
      key.writeAuth(authDir, name);
      key.writeAuthPrivate(clientDir, name, identity.address());
      out.println(authFile);
      out.println(privateFile);
    } finally {
      key.destroy();
      identity.destroy();
    }
  }
}
