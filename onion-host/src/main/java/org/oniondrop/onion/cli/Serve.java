package org.oniondrop.onion.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.oniondrop.onion.client.OnionClient;
import org.oniondrop.onion.client.SocksServer;
import org.oniondrop.onion.dir.DirException;
import org.oniondrop.onion.dir.JoinConfig;
import org.oniondrop.onion.embedded.EmbeddedNetwork;
import org.oniondrop.onion.keys.ClientAuthKey;
import org.oniondrop.onion.keys.HsIdentity;
import org.oniondrop.onion.keys.KeyFileException;
import org.oniondrop.onion.keys.TorKeyFiles;
import org.oniondrop.onion.nativenet.NativeNetwork;
import org.oniondrop.onion.net.OnionNetwork;
import org.oniondrop.onion.service.OnionService;
import org.oniondrop.onion.service.ServiceConfig;

/**
 * {@code onion-host serve}: a standalone embedded onion network hosting the given services and a
 * SOCKS port, so any local web app can be reached as an onion service. The embedded network gives
 * no anonymity (it runs every relay in this process).
 */
public final class Serve implements AutoCloseable {

  /** How long to wait for every service's first descriptor upload. */
  static final long PUBLISH_TIMEOUT_SECONDS = 120;

  /** Services one command may host. */
  static final int MAX_SERVICES = 32;

  /**
   * One {@code --service DIR=VPORT:HOST:PORT[,VPORT:HOST:PORT...]} argument; {@code
   * exportCircuitId} when an {@code --export-circuit-id DIR} names it too.
   */
  record ServiceSpec(Path dir, Map<Integer, InetSocketAddress> ports, boolean exportCircuitId) {

    ServiceSpec(Path dir, Map<Integer, InetSocketAddress> ports) {
      this(dir, ports, false);
    }

    ServiceSpec exportingCircuitId() {
      return new ServiceSpec(dir, ports, true);
    }

    /** Marks the specs whose DIR is in {@code exportDirs}; every such DIR must name a service. */
    static List<ServiceSpec> withExports(List<ServiceSpec> specs, List<String> exportDirs) {
      List<ServiceSpec> out = new ArrayList<>();
      java.util.Set<Path> wanted = new java.util.HashSet<>();
      for (String d : exportDirs) {
        wanted.add(Path.of(d).toAbsolutePath().normalize());
      }
      java.util.Set<Path> found = new java.util.HashSet<>();
      for (ServiceSpec spec : specs) {
        Path dir = spec.dir().toAbsolutePath().normalize();
        if (wanted.contains(dir)) {
          found.add(dir);
          out.add(spec.exportingCircuitId());
        } else {
          out.add(spec);
        }
      }
      wanted.removeAll(found);
      if (!wanted.isEmpty()) {
        throw new IllegalArgumentException("--export-circuit-id must name a --service DIR");
      }
      return out;
    }

    static ServiceSpec parse(String spec) throws IllegalArgumentException {
      int eq = spec.lastIndexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--service must look like DIR=80:127.0.0.1:8000");
      }
      Map<Integer, InetSocketAddress> ports = new HashMap<>();
      for (String mapping : spec.substring(eq + 1).split(",")) {
        String[] parts = mapping.split(":");
        if (parts.length != 3) {
          throw new IllegalArgumentException(
              "port mapping '" + mapping + "' must be VPORT:HOST:PORT");
        }
        int vport = port(parts[0]);
        if (!parts[1].equals("127.0.0.1")
            && !parts[1].equals("localhost")
            && !parts[1].equals("::1")) {
          throw new IllegalArgumentException("targets must be on this machine (127.0.0.1)");
        }
        ports.put(vport, new InetSocketAddress(InetAddress.getLoopbackAddress(), port(parts[2])));
      }
      return new ServiceSpec(Path.of(spec.substring(0, eq)), ports);
    }

    private static int port(String s) {
      try {
        int p = Integer.parseInt(s);
        if (p < 1 || p > 65535) {
          throw new NumberFormatException();
        }
        return p;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + s + "' is not a port number");
      }
    }
  }

  private final AutoCloseable network;
  private final List<OnionService> services;
  private final OnionClient client;
  private final SocksServer socks;

  private Serve(
      AutoCloseable network, List<OnionService> services, OnionClient client, SocksServer socks) {
    this.network = network;
    this.services = services;
    this.client = client;
    this.socks = socks;
  }

  /**
   * Starts everything, waits for the services to be published, and prints one line per service and
   * the SOCKS line to {@code out}.
   */
  static Serve start(
      List<ServiceSpec> specs,
      Path authorizedClients,
      Path clientAuthDir,
      int socksPort,
      int relays,
      PrintStream out)
      throws IOException, KeyFileException {
    return start(
        specs,
        authorizedClients,
        clientAuthDir,
        socksPort,
        out,
        random -> {
          EmbeddedNetwork network = EmbeddedNetwork.start(relays, Clock.systemUTC(), random);
          return new Network(network, network, "embedded network: no anonymity");
        });
  }

  /**
   * Like {@link #start} on a real Tor network (the {@code native} backend): the authorities come
   * from {@code join} and the directory cache lives in {@code dataDir}.
   */
  static Serve startNative(
      List<ServiceSpec> specs,
      Path authorizedClients,
      Path clientAuthDir,
      int socksPort,
      JoinConfig join,
      Path dataDir,
      PrintStream out)
      throws IOException, KeyFileException {
    return start(
        specs,
        authorizedClients,
        clientAuthDir,
        socksPort,
        out,
        random -> {
          try {
            NativeNetwork network = NativeNetwork.start(join, dataDir, Clock.systemUTC(), random);
            return new Network(
                network,
                network,
                "native backend on "
                    + (join.testingNetwork() ? "a test network" : "the Tor network")
                    + ": no vanguards, no congestion control, no PoW, not audited");
          } catch (DirException e) {
            throw new IOException("cannot join the network: " + e.getMessage(), e);
          }
        });
  }

  /** A started network, what closes it, and what the SOCKS line says about it. */
  private record Network(OnionNetwork network, AutoCloseable closer, String note) {}

  private interface NetworkStarter {
    Network start(SecureRandom random) throws IOException;
  }

  private static Serve start(
      List<ServiceSpec> specs,
      Path authorizedClients,
      Path clientAuthDir,
      int socksPort,
      PrintStream out,
      NetworkStarter starter)
      throws IOException, KeyFileException {
    if (specs.isEmpty() || specs.size() > MAX_SERVICES) {
      throw new IllegalArgumentException("give 1.." + MAX_SERVICES + " --service arguments");
    }
    SecureRandom random = new SecureRandom();
    List<ServiceConfig> configs = new ArrayList<>();
    for (ServiceSpec spec : specs) {
      HsIdentity identity;
      if (TorKeyFiles.exists(spec.dir())) {
        identity = TorKeyFiles.read(spec.dir());
      } else {
        identity = HsIdentity.generate(random);
        TorKeyFiles.write(spec.dir(), identity);
      }
      Path authDir =
          authorizedClients != null ? authorizedClients : spec.dir().resolve("authorized_clients");
      configs.add(
          new ServiceConfig(
                  identity,
                  spec.ports(),
                  ClientAuthKey.readAuthDir(authDir),
                  ServiceConfig.DEFAULT_INTRO_POINTS)
              .withExportCircuitId(spec.exportCircuitId()));
    }
    Network started = starter.start(random);
    OnionNetwork network = started.network();
    List<OnionService> services = new ArrayList<>();
    OnionClient client = new OnionClient(network, random);
    SocksServer socks = null;
    try {
      if (clientAuthDir != null) {
        client.loadClientAuthDir(clientAuthDir);
      }
      for (ServiceConfig config : configs) {
        services.add(new OnionService(network, config, random).start());
      }
      socks = SocksServer.start(client, socksPort);
      Serve serve = new Serve(started.closer(), services, client, socks);
      for (OnionService s : services) {
        s.published().get(PUBLISH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
      for (int i = 0; i < services.size(); i++) {
        out.println(
            "onion service " + services.get(i).address() + " -> " + describe(configs.get(i)));
      }
      out.println("socks 127.0.0.1:" + socks.port() + " (" + started.note() + ")");
      out.flush();
      return serve;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while publishing");
    } catch (ExecutionException | TimeoutException e) {
      if (socks != null) {
        socks.close();
      }
      services.forEach(OnionService::close);
      client.close();
      closeQuietly(started.closer());
      throw new IOException("services were not published within " + PUBLISH_TIMEOUT_SECONDS + " s");
    }
  }

  private static String describe(ServiceConfig config) {
    StringBuilder sb = new StringBuilder();
    config.ports().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              if (sb.length() > 0) {
                sb.append(", ");
              }
              sb.append(e.getKey()).append(" -> 127.0.0.1:").append(e.getValue().getPort());
            });
    if (!config.authorizedClients().isEmpty()) {
      sb.append(" (").append(config.authorizedClients().size()).append(" authorized clients)");
    }
    return sb.toString();
  }

  int socksPort() {
    return socks.port();
  }

  List<OnionService> services() {
    return services;
  }

  @Override
  public void close() {
    socks.close();
    services.forEach(OnionService::close);
    client.close();
    closeQuietly(network);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing: nothing more to do
    }
  }
}
