package org.oniondrop.dropbox.server;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.oniondrop.dropbox.core.config.DropboxConfig;
import org.oniondrop.dropbox.journalist.web.ClientKeys;
import org.oniondrop.dropbox.journalist.web.OnionStatus;
import org.oniondrop.onion.client.OnionClient;
import org.oniondrop.onion.client.SocksServer;
import org.oniondrop.onion.control.TorOnionHost;
import org.oniondrop.onion.dir.DirException;
import org.oniondrop.onion.dir.JoinConfig;
import org.oniondrop.onion.embedded.EmbeddedNetwork;
import org.oniondrop.onion.keys.ClientAuthKey;
import org.oniondrop.onion.keys.HsIdentity;
import org.oniondrop.onion.keys.KeyFileException;
import org.oniondrop.onion.keys.OnionAddress;
import org.oniondrop.onion.keys.TorKeyFiles;
import org.oniondrop.onion.nativenet.NativeNetwork;
import org.oniondrop.onion.net.OnionNetwork;
import org.oniondrop.onion.service.OnionService;
import org.oniondrop.onion.service.ServiceConfig;

/**
 * The two onion services, hosted in-process by onion-host. The source service maps port 80 to the
 * source listener; the journalist service maps port 80 to the journalist listener and requires
 * client authorization. Keys live under {@code <data-dir>/onion/} in tor's formats, so addresses
 * survive restarts and a move to the tor backend: {@code source/} and {@code journalist/}
 * (HiddenServiceDir layout, with {@code journalist/authorized_clients/journalist.auth}), and the
 * journalists' private half in {@code journalist-client-auth/journalist.auth_private} (a
 * ClientOnionAuthDir file for Tor Browser or tor).
 */
@ApplicationScoped
public class OnionHosting implements OnionStatus, ClientKeys {

  /** The client name of the journalists' authorization key. */
  static final String CLIENT_NAME = "journalist";

  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(OnionHosting.class.getName());

  /** How often authorized_clients is checked for keys changed by hand. */
  static final long CLIENT_POLL_MILLIS = 2000;

  /** The virtual port both services listen on. */
  static final int VIRTUAL_PORT = 80;

  @Inject DropboxConfig dropbox;
  @Inject OnionConfig onionConfig;
  @Inject TorConfig torConfig;

  private final SecureRandom random = new SecureRandom();
  private volatile OnionAddress sourceAddress;
  private volatile OnionAddress journalistAddress;
  private volatile EmbeddedNetwork network;
  private volatile NativeNetwork nativeNetwork;
  private volatile OnionNetwork serviceNetwork;
  private volatile OnionService source;
  private volatile OnionService journalist;
  private volatile OnionClient client;
  private volatile SocksServer socks;
  private volatile TorOnionHost tor;
  private volatile HsIdentity journalistId;
  private volatile int journalistPort;
  private volatile Path authorizedDir;
  private volatile java.util.Set<String> applied = java.util.Set.of();
  private volatile java.util.concurrent.ScheduledExecutorService poller;

  Path onionDir() {
    return dropbox.dataDir().resolve("onion");
  }

  /** The ClientOnionAuthDir holding the journalists' private key file. */
  public Path clientAuthDir() {
    return dropbox.dataDir().resolve("journalist-client-auth");
  }

  public Path clientAuthPrivateFile() {
    return clientAuthDir().resolve(CLIENT_NAME + ".auth_private");
  }

  /**
   * Loads or creates the keys; with the embedded backend also starts the network, both services and
   * the SOCKS port. The source service forwards to {@code sourceProxyPort} (the PROXY-protocol
   * source listener, -1 when off) when it exports circuit ids, else to {@code sourcePort}.
   * Publication continues in the background ({@link #published()}).
   */
  synchronized void start(int sourcePort, int sourceProxyPort, int journalistPort)
      throws IOException, KeyFileException {
    HsIdentity sourceId = identity(onionDir().resolve("source"));
    HsIdentity journalistId = identity(onionDir().resolve("journalist"));
    sourceAddress = sourceId.address();
    journalistAddress = journalistId.address();
    Path authorized = onionDir().resolve("journalist").resolve("authorized_clients");
    if (onionConfig.defaultClientKey()
        && (!Files.exists(authorized.resolve(CLIENT_NAME + ".auth"))
            || !Files.exists(clientAuthPrivateFile()))) {
      ClientAuthKey key = ClientAuthKey.generate(random);
      try {
        key.writeAuth(authorized, CLIENT_NAME);
        key.writeAuthPrivate(clientAuthDir(), CLIENT_NAME, journalistAddress);
      } finally {
        key.destroy();
      }
    }
    this.journalistId = journalistId;
    this.journalistPort = journalistPort;
    this.authorizedDir = authorized;
    this.applied = fingerprints(ClientAuthKey.readAuthDir(authorized));
    String backend = onionConfig.backend();
    if (backend.equals("none")) {
      return;
    }
    watch(authorized);
    if (backend.equals("tor")) {
      tor =
          new TorOnionHost(
                  torConfig.control(),
                  torConfig.controlCookieFile().orElse(null),
                  torConfig.controlPassword().orElse(null),
                  List.of(
                      service(sourceId, sourcePort, List.of())
                          .withPowDefenses(torConfig.powDefenses()),
                      journalistService(ClientAuthKey.readAuthDir(authorized))))
              .start();
      if (!journalistService(ClientAuthKey.readAuthDir(authorized)).publishable()) {
        LOG.warning(WAITING_FOR_KEY);
      }
      return;
    }
    if (backend.equals("native")) {
      Path joinTorrc = onionConfig.nativeBackend().joinTorrc().orElse(null);
      try {
        JoinConfig join =
            joinTorrc == null ? JoinConfig.publicNetwork() : JoinConfig.read(joinTorrc);
        nativeNetwork =
            NativeNetwork.start(join, onionDir().resolve("native"), Clock.systemUTC(), random);
      } catch (DirException e) {
        throw new IOException("native backend cannot join the network: " + e.getMessage(), e);
      }
      serviceNetwork = nativeNetwork;
    } else if (backend.equals("embedded")) {
      network = EmbeddedNetwork.start(onionConfig.relays(), Clock.systemUTC(), random);
      serviceNetwork = network;
    } else {
      throw new IllegalStateException(
          "oniondrop.onion.backend must be 'embedded', 'native', 'tor' or 'none', not '"
              + backend
              + "'");
    }
    OnionNetwork net = serviceNetwork;
    // The source service tells the source listener each stream's rendezvous circuit (PROXY v1
    // line, to the PROXY-protocol source listener that expects it), for per-circuit fairness; the
    // journalist service never does.
    boolean export = onionConfig.exportCircuitId() && sourceProxyPort > 0;
    source =
        new OnionService(
                net,
                service(sourceId, export ? sourceProxyPort : sourcePort, List.of())
                    .withExportCircuitId(export),
                random)
            .start();
    startJournalist(ClientAuthKey.readAuthDir(authorized));
    client = new OnionClient(net, random);
    client.loadClientAuthDir(clientAuthDir());
    socks = SocksServer.start(client, onionConfig.socksPort());
  }

  /** Logged (and shown on the status page and in the info file) while the service is held. */
  static final String WAITING_FOR_KEY =
      "the journalist onion service is not published: no client key is authorized (it is never"
          + " published without client authorization); add one with the admin page or"
          + " journalist-client-key.yml";

  /** The journalist service: always with client authorization required (fails closed). */
  private ServiceConfig journalistService(List<byte[]> keys) {
    return service(journalistId, journalistPort, keys).requiringClientAuth();
  }

  /** Starts the embedded journalist service, unless it has no client key (then it waits). */
  private void startJournalist(List<byte[]> keys) {
    ServiceConfig config = journalistService(keys);
    if (!config.publishable()) {
      journalist = null;
      LOG.warning(WAITING_FOR_KEY);
      return;
    }
    journalist = new OnionService(serviceNetwork, config, random).start();
    journalistStarted.complete(null);
  }

  /** Completes when the embedded journalist service first starts (it may wait for a key). */
  private final java.util.concurrent.CompletableFuture<Void> journalistStarted =
      new java.util.concurrent.CompletableFuture<>();

  @Override
  public boolean journalistWaitingForClientKey() {
    Path dir = authorizedDir;
    if (dir == null || onionConfig.backend().equals("none")) {
      return false;
    }
    return applied.isEmpty();
  }

  // ---- per-journalist client authorization ----

  @Override
  public List<String> clientKeys() {
    Path dir = authorizedDir;
    if (dir == null || !Files.isDirectory(dir)) {
      return List.of();
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".auth"))
          .map(n -> n.substring(0, n.length() - ".auth".length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  @Override
  public synchronized String authorizeClient(String name) throws IOException, Refused {
    if (authorizedDir == null) {
      throw new Refused(Reason.NO_ONION_HOSTING);
    }
    if (name == null || !ClientAuthKey.NAME.matcher(name).matches()) {
      throw new Refused(Reason.INVALID_NAME);
    }
    if (Files.exists(authorizedDir.resolve(name + ".auth"))) {
      throw new Refused(Reason.EXISTS);
    }
    ClientAuthKey key = ClientAuthKey.generate(random);
    try {
      key.writeAuth(authorizedDir, name);
      String line = key.authPrivateLine(journalistAddress);
      applyClients();
      return line;
    } finally {
      key.destroy();
    }
  }

  @Override
  public synchronized void revokeClient(String name) throws IOException, Refused {
    if (authorizedDir == null) {
      throw new Refused(Reason.NO_ONION_HOSTING);
    }
    if (name == null
        || !ClientAuthKey.NAME.matcher(name).matches()
        || !Files.exists(authorizedDir.resolve(name + ".auth"))) {
      throw new Refused(Reason.NO_SUCH_KEY);
    }
    if (clientKeys().size() <= 1) {
      throw new Refused(Reason.LAST_KEY);
    }
    Files.delete(authorizedDir.resolve(name + ".auth"));
    applyClients();
  }

  /**
   * Gives the journalist service the keys now in its authorized_clients directory, if they changed:
   * tor re-adds the service (DEL_ONION, ADD_ONION); the embedded service is replaced. The admin
   * pages call this, and a watch on the directory does when an operator adds or removes a file
   * (e.g. with {@code onion-host client-auth-keygen}), so no restart is needed.
   */
  synchronized void applyClients() throws IOException {
    List<byte[]> keys;
    try {
      keys = ClientAuthKey.readAuthDir(authorizedDir);
    } catch (KeyFileException e) {
      throw new IOException(e.getMessage(), e);
    }
    java.util.Set<String> now = fingerprints(keys);
    if (now.equals(applied)) {
      return;
    }
    applied = now;
    LOG.info("journalist service client keys changed: " + keys.size() + " authorized");
    if (keys.isEmpty()) {
      LOG.warning(WAITING_FOR_KEY);
    }
    if (tor != null) {
      tor.updateClients(journalistAddress.label(), keys);
    } else if (serviceNetwork != null) {
      if (journalist != null) {
        journalist.close();
      }
      startJournalist(keys);
    }
  }

  private static java.util.Set<String> fingerprints(List<byte[]> keys) {
    return keys.stream()
        .map(k -> java.util.HexFormat.of().formatHex(k))
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  /**
   * Polls the authorized_clients directory for keys an operator added or removed by hand. A
   * WatchService missed such changes in one of our tests, for reasons not yet understood; a small
   * directory read every {@link #CLIENT_POLL_MILLIS} is simple and dependable.
   */
  private void watch(Path dir) {
    java.util.concurrent.ScheduledExecutorService poller =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "client-auth-poll");
              t.setDaemon(true);
              return t;
            });
    poller.scheduleWithFixedDelay(
        () -> {
          try {
            applyClients();
          } catch (IOException | RuntimeException e) {
            LOG.warning("client keys not applied: " + e.getMessage());
          }
        },
        CLIENT_POLL_MILLIS,
        CLIENT_POLL_MILLIS,
        java.util.concurrent.TimeUnit.MILLISECONDS);
    this.poller = poller;
  }

  private static ServiceConfig service(HsIdentity id, int port, List<byte[]> clients) {
    return new ServiceConfig(
        id,
        Map.of(VIRTUAL_PORT, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)),
        clients,
        ServiceConfig.DEFAULT_INTRO_POINTS);
  }

  private HsIdentity identity(Path dir) throws IOException, KeyFileException {
    if (TorKeyFiles.exists(dir)) {
      return TorKeyFiles.read(dir);
    }
    HsIdentity id = HsIdentity.generate(random);
    TorKeyFiles.write(dir, id);
    return id;
  }

  void stop(@Observes ShutdownEvent event) {
    close();
  }

  synchronized void close() {
    if (poller != null) {
      poller.shutdownNow();
      poller = null;
    }
    if (tor != null) {
      tor.close();
      tor = null;
    }
    if (socks != null) {
      socks.close();
    }
    if (client != null) {
      client.close();
    }
    if (source != null) {
      source.close();
    }
    if (journalist != null) {
      journalist.close();
    }
    if (network != null) {
      network.close();
    }
    if (nativeNetwork != null) {
      nativeNetwork.close();
    }
    nativeNetwork = null;
    serviceNetwork = null;
    socks = null;
    client = null;
    source = null;
    journalist = null;
    network = null;
  }

  /** The embedded network (tests make clients of their own on it), or null. */
  public EmbeddedNetwork network() {
    return network;
  }

  /** The SOCKS port, or null when the backend has none. */
  public Integer socksPort() {
    SocksServer s = socks;
    return s == null ? null : s.port();
  }

  /** Completes when both services have published their first descriptors. */
  public java.util.concurrent.CompletableFuture<Void> publication() {
    TorOnionHost t = tor;
    if (t != null) {
      return java.util.concurrent.CompletableFuture.allOf(
          t.firstPublished(sourceAddress.label()), t.firstPublished(journalistAddress.label()));
    }
    if (source == null) {
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    }
    return java.util.concurrent.CompletableFuture.allOf(
        source.published(), journalistStarted.thenCompose(v -> journalist.published()));
  }

  @Override
  public String backend() {
    return onionConfig.backend();
  }

  @Override
  public String sourceAddress() {
    OnionAddress a = sourceAddress;
    return a == null ? null : a.toString();
  }

  @Override
  public String journalistAddress() {
    OnionAddress a = journalistAddress;
    return a == null ? null : a.toString();
  }

  @Override
  public boolean sourcePublished() {
    TorOnionHost t = tor;
    if (t != null) {
      return t.isPublished(sourceAddress.label());
    }
    OnionService s = source;
    return s != null && s.isPublished();
  }

  @Override
  public boolean journalistPublished() {
    TorOnionHost t = tor;
    if (t != null) {
      return t.isPublished(journalistAddress.label());
    }
    OnionService j = journalist;
    return j != null && j.isPublished();
  }

  @Override
  public boolean published() {
    return sourcePublished() && journalistPublished();
  }
}
