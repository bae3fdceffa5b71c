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
import org.oniondrop.dropbox.journalist.web.OnionStatus;
import org.oniondrop.onion.client.OnionClient;
import org.oniondrop.onion.client.SocksServer;
import org.oniondrop.onion.control.TorOnionHost;
import org.oniondrop.onion.embedded.EmbeddedNetwork;
import org.oniondrop.onion.keys.ClientAuthKey;
import org.oniondrop.onion.keys.HsIdentity;
import org.oniondrop.onion.keys.KeyFileException;
import org.oniondrop.onion.keys.OnionAddress;
import org.oniondrop.onion.keys.TorKeyFiles;
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
public class OnionHosting implements OnionStatus {

  /** The client name of the journalists' authorization key. */
  static final String CLIENT_NAME = "journalist";

  /** The virtual port both services listen on. */
  static final int VIRTUAL_PORT = 80;

  @Inject DropboxConfig dropbox;
  @Inject OnionConfig onionConfig;
  @Inject TorConfig torConfig;

  private final SecureRandom random = new SecureRandom();
  private volatile OnionAddress sourceAddress;
  private volatile OnionAddress journalistAddress;
  private volatile EmbeddedNetwork network;
  private volatile OnionService source;
  private volatile OnionService journalist;
  private volatile OnionClient client;
  private volatile SocksServer socks;
  private volatile TorOnionHost tor;

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
   * the SOCKS port. Publication continues in the background ({@link #published()}).
   */
  synchronized void start(int sourcePort, int journalistPort) throws IOException, KeyFileException {
    HsIdentity sourceId = identity(onionDir().resolve("source"));
    HsIdentity journalistId = identity(onionDir().resolve("journalist"));
    sourceAddress = sourceId.address();
    journalistAddress = journalistId.address();
    Path authorized = onionDir().resolve("journalist").resolve("authorized_clients");
    if (!Files.exists(authorized.resolve(CLIENT_NAME + ".auth"))
        || !Files.exists(clientAuthPrivateFile())) {
      ClientAuthKey key = ClientAuthKey.generate(random);
      try {
        key.writeAuth(authorized, CLIENT_NAME);
        key.writeAuthPrivate(clientAuthDir(), CLIENT_NAME, journalistAddress);
      } finally {
        key.destroy();
      }
    }
    String backend = onionConfig.backend();
    if (backend.equals("none")) {
      return;
    }
    if (backend.equals("tor")) {
      tor =
          new TorOnionHost(
                  torConfig.control(),
                  torConfig.controlCookieFile().orElse(null),
                  torConfig.controlPassword().orElse(null),
                  List.of(
                      service(sourceId, sourcePort, List.of()),
                      service(journalistId, journalistPort, ClientAuthKey.readAuthDir(authorized))))
              .start();
      return;
    }
    if (!backend.equals("embedded")) {
      throw new IllegalStateException(
          "oniondrop.onion.backend must be 'embedded', 'tor' or 'none', not '" + backend + "'");
    }
    network = EmbeddedNetwork.start(onionConfig.relays(), Clock.systemUTC(), random);
    source = new OnionService(network, service(sourceId, sourcePort, List.of()), random).start();
    journalist =
        new OnionService(
                network,
                service(journalistId, journalistPort, ClientAuthKey.readAuthDir(authorized)),
                random)
            .start();
    client = new OnionClient(network, random);
    client.loadClientAuthDir(clientAuthDir());
    socks = SocksServer.start(client, onionConfig.socksPort());
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
    return java.util.concurrent.CompletableFuture.allOf(source.published(), journalist.published());
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
  public boolean published() {
    TorOnionHost t = tor;
    if (t != null) {
      return t.isPublished(sourceAddress.label()) && t.isPublished(journalistAddress.label());
    }
    OnionService s = source;
    OnionService j = journalist;
    return s != null && j != null && s.isPublished() && j.isPublished();
  }
}
