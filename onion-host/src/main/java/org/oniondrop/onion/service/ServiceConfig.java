package org.oniondrop.onion.service;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.oniondrop.onion.keys.HsIdentity;

/**
 * What a service is: its identity, virtual port to local target mappings (like tor's
 * HiddenServicePort), the x25519 public keys of authorized clients (empty: anyone who knows the
 * address may connect), and whether to ask for proof-of-work defences against introduction floods
 * ({@code powDefenses}: hspow-spec, tor's HiddenServicePoWDefensesEnabled). Only the tor backend
 * applies {@code powDefenses} (ADD_ONION {@code PoWDefensesEnabled=1}, tor 0.4.8 or later with its
 * pow module); the embedded network has no proof-of-work and no flood to defend against.
 *
 * <p>{@code clientAuthRequired} makes client authorization fail closed: such a service is never
 * published with an empty {@code authorizedClients} list ({@link #publishable()} is false, and
 * every backend holds the service back until a key is added), because "no keys" would otherwise
 * mean "anyone who knows the address" (rend-spec-v3 section 2.5.1.2: without client auth the
 * descriptor's second layer is readable by anyone holding the address).
 */
public record ServiceConfig(
    HsIdentity identity,
    Map<Integer, InetSocketAddress> ports,
    List<byte[]> authorizedClients,
    int introPoints,
    boolean powDefenses,
    boolean clientAuthRequired) {

  /** C tor's default number of introduction points. */
  public static final int DEFAULT_INTRO_POINTS = 3;

  /** rend-spec-v3 allows at most 20 introduction points per descriptor. */
  public static final int MAX_INTRO_POINTS = 20;

  public ServiceConfig {
    ports = Map.copyOf(ports);
    authorizedClients = List.copyOf(authorizedClients);
    if (ports.isEmpty()) {
      throw new IllegalArgumentException("a service needs at least one port mapping");
    }
    if (introPoints < 1 || introPoints > MAX_INTRO_POINTS) {
      throw new IllegalArgumentException("intro points must be 1.." + MAX_INTRO_POINTS);
    }
  }

  /** A service whose client authorization is optional (empty list: open to anyone). */
  public ServiceConfig(
      HsIdentity identity,
      Map<Integer, InetSocketAddress> ports,
      List<byte[]> authorizedClients,
      int introPoints,
      boolean powDefenses) {
    this(identity, ports, authorizedClients, introPoints, powDefenses, false);
  }

  /**
   * Whether the service may be published now: always, unless client authorization is required and
   * no client is authorized.
   */
  public boolean publishable() {
    return !clientAuthRequired || !authorizedClients.isEmpty();
  }

  /** The same service, never published without at least one authorized client. */
  public ServiceConfig requiringClientAuth() {
    return new ServiceConfig(identity, ports, authorizedClients, introPoints, powDefenses, true);
  }

  /** A service without proof-of-work defences. */
  public ServiceConfig(
      HsIdentity identity,
      Map<Integer, InetSocketAddress> ports,
      List<byte[]> authorizedClients,
      int introPoints) {
    this(identity, ports, authorizedClients, introPoints, false);
  }

  /** The same service with other authorized clients. */
  public ServiceConfig withAuthorizedClients(List<byte[]> clients) {
    return new ServiceConfig(
        identity, ports, clients, introPoints, powDefenses, clientAuthRequired);
  }

  /** The same service asking for proof-of-work defences (tor backend). */
  public ServiceConfig withPowDefenses(boolean enabled) {
    return new ServiceConfig(
        identity, ports, authorizedClients, introPoints, enabled, clientAuthRequired);
  }

  public static ServiceConfig of(HsIdentity identity, int virtualPort, InetSocketAddress target) {
    return new ServiceConfig(
        identity, Map.of(virtualPort, target), List.of(), DEFAULT_INTRO_POINTS);
  }
}
