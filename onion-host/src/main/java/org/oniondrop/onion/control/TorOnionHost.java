package org.oniondrop.onion.control;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.oniondrop.onion.service.ServiceConfig;

/**
 * Onion services hosted by a tor daemon through its control port, with our keys. A supervisor
 * thread connects, authenticates, subscribes to {@code HS_DESC} and adds every service (without
 * {@code Detach}, so tor drops them if we go away); when the connection ends (tor restarted,
 * crashed or was reloaded) it reconnects with exponential backoff and adds them again. A service
 * counts as published from its first {@code HS_DESC UPLOADED} on the current connection.
 */
public final class TorOnionHost implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(TorOnionHost.class.getName());

  /** First wait before reconnecting; doubles up to {@link #MAX_BACKOFF_MILLIS}. */
  public static final long INITIAL_BACKOFF_MILLIS = 500;

  public static final long MAX_BACKOFF_MILLIS = 30_000;

  private final String target;
  private final Path cookieFile;
  private final String password;
  private final Map<String, ServiceConfig> services = new ConcurrentHashMap<>();
  private final Map<String, Boolean> published = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Void>> firstPublished = new ConcurrentHashMap<>();
  private final Thread supervisor;
  private volatile TorControl control;
  private volatile boolean closed;
  private volatile int connections;

  /**
   * @param target {@code host:port} or {@code unix:/path}
   * @param cookieFile the control cookie, or null (PROTOCOLINFO names it)
   * @param password the control password, or null
   */
  public TorOnionHost(
      String target, Path cookieFile, String password, List<ServiceConfig> configs) {
    this.target = target;
    this.cookieFile = cookieFile;
    this.password = password;
    for (ServiceConfig c : configs) {
      String label = c.identity().address().label();
      services.put(label, c);
      published.put(label, false);
      firstPublished.put(label, new CompletableFuture<>());
    }
    this.supervisor = new Thread(this::supervise, "tor-onion-host");
    supervisor.setDaemon(true);
  }

  public TorOnionHost start() {
    supervisor.start();
    return this;
  }

  /** Whether the service's descriptor was uploaded on the current control connection. */
  public boolean isPublished(String label) {
    return published.getOrDefault(label, false);
  }

  /** Completes at the service's first upload. */
  public CompletableFuture<Void> firstPublished(String label) {
    return firstPublished.get(label);
  }

  /** Control connections made so far (tests watch reconnection). */
  public int connections() {
    return connections;
  }

  /**
   * Replaces a service's authorized clients without a restart: on a live connection the service is
   * removed and added again with the new set (tor has no command to edit it in place).
   */
  public synchronized void updateClients(String label, List<byte[]> clients)
      throws TorControlException {
    ServiceConfig old = services.get(label);
    if (old == null) {
      throw new IllegalArgumentException("no such service");
    }
    ServiceConfig updated = old.withAuthorizedClients(clients);
    services.put(label, updated);
    TorControl c = control;
    if (c != null && c.isOpen()) {
      published.put(label, false);
      if (old.publishable()) {
        c.delOnion(label);
      }
      if (!updated.publishable()) {
        // Fail closed: the last client key went away; the service stays off until one is added.
        int closed = c.closeServiceRendezvousCircuits(label);
        LOG.warning(
            "service removed: it requires client authorization and has no client key; "
                + closed
                + " rendezvous circuits closed");
        return;
      }
      c.addOnion(updated);
      // Client authorization is checked at introduction only: a rendezvous circuit made with a
      // key that was just revoked would go on carrying streams. Close the service's rendezvous
      // circuits; clients whose keys remain reconnect through the new descriptor.
      int closed = c.closeServiceRendezvousCircuits(label);
      LOG.info(
          "service re-added with "
              + clients.size()
              + " client keys; "
              + closed
              + " rendezvous circuits closed");
    }
  }

  private void supervise() {
    long backoff = INITIAL_BACKOFF_MILLIS;
    while (!closed) {
      TorControl c = null;
      try {
        c = TorControl.connect(target);
        c.authenticate(cookieFile, password);
        c.onEvent(this::event);
        c.setEvents("HS_DESC");
        synchronized (this) {
          for (ServiceConfig s : services.values()) {
            if (s.publishable()) {
              c.addOnion(s);
            } else {
              LOG.warning("a service that requires client authorization has no client key: held");
            }
          }
          control = c;
        }
        connections++;
        LOG.info("onion services added to tor through " + target);
        backoff = INITIAL_BACKOFF_MILLIS;
        c.awaitClosed();
        if (!closed) {
          LOG.warning("the tor control connection closed; adding the services again");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (TorControlException | RuntimeException e) {
        LOG.log(Level.WARNING, "tor control: " + e.getMessage() + "; retrying");
      } finally {
        control = null;
        published.replaceAll((k, v) -> false);
        if (c != null) {
          c.close();
        }
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        return;
      }
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
    }
  }

  /** {@code 650 HS_DESC UPLOADED <address> <auth> <hsdir> [<descid>]} (control-spec 4.1.25). */
  private void event(TorControl.Reply r) {
    String[] f = r.first().split(" ");
    if (f.length >= 3 && f[0].equals("HS_DESC") && f[1].equals("UPLOADED")) {
      String label = f[2];
      if (services.containsKey(label)) {
        published.put(label, true);
        firstPublished.get(label).complete(null);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    supervisor.interrupt();
    TorControl c = control;
    if (c != null) {
      for (String label : services.keySet()) {
        if (!services.get(label).publishable()) {
          continue;
        }
        try {
          c.delOnion(label);
        } catch (TorControlException e) {
          // tor drops them anyway when the connection closes
        }
      }
      c.close();
    }
  }
}
