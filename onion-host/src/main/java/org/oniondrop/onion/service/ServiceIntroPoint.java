package org.oniondrop.onion.service;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.oniondrop.onion.circuit.OriginCircuit;
import org.oniondrop.onion.crypto.ExpandedEd25519Key;
import org.oniondrop.onion.handshake.X25519Keys;
import org.oniondrop.onion.net.RelayInfo;

/**
 * One introduction point of a service (rend-spec-v3 §3.1): its relay, its keys (KP_hs_ipt_sid,
 * KP_hss_ntor), its replay cache, and when it is to be rotated (after a random number of
 * introductions and a random lifetime in the {@link ServiceLimits} ranges, as C tor picks them in
 * service_intro_point_new). State changes on the service's loop.
 */
final class ServiceIntroPoint {

  final RelayInfo relay;
  final ExpandedEd25519Key authKey;
  final X25519Keys encKey;
  final ReplayCache replay;
  final int maxIntroductions;
  final Instant expires;
  OriginCircuit circuit;
  boolean established;
  boolean dead;

  /** Closed on purpose (rotated or shut down), not lost. */
  boolean retired;

  int introductions;

  ServiceIntroPoint(RelayInfo relay, ServiceLimits limits, Instant now, SecureRandom random) {
    this.relay = relay;
    this.authKey = ExpandedEd25519Key.generate(random);
    this.encKey = X25519Keys.generate(random);
    this.maxIntroductions =
        limits.minIntroductions()
            + random.nextInt(limits.maxIntroductions() - limits.minIntroductions() + 1);
    this.replay = new ReplayCache(maxIntroductions);
    long spread = limits.maxIntroLifetime().minus(limits.minIntroLifetime()).toMillis();
    this.expires =
        now.plus(limits.minIntroLifetime())
            .plus(
                Duration.ofMillis(spread == 0 ? 0 : Math.floorMod(random.nextLong(), spread + 1)));
  }

  /** Served its introductions or outlived its lifetime: to be replaced by a fresh point. */
  boolean due(Instant now) {
    return introductions >= maxIntroductions || !now.isBefore(expires);
  }
}
