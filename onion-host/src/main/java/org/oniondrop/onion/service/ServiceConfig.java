package org.oniondrop.onion.service;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.oniondrop.onion.keys.HsIdentity;

/**
 * What a service is: its identity, virtual port to local target mappings (like tor's
 * HiddenServicePort), and the x25519 public keys of authorized clients (empty: anyone who knows the
 * address may connect).
 */
public record ServiceConfig(
    HsIdentity identity,
    Map<Integer, InetSocketAddress> ports,
    List<byte[]> authorizedClients,
    int introPoints) {

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

  public static ServiceConfig of(HsIdentity identity, int virtualPort, InetSocketAddress target) {
    return new ServiceConfig(
        identity, Map.of(virtualPort, target), List.of(), DEFAULT_INTRO_POINTS);
  }
}
