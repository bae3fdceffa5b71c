package org.oniondrop.onion.service;

import java.time.Duration;

/**
 * How much one onion service lets the network make it do. Every number is a bound an anonymous
 * client cannot push past; the defaults follow C tor where it has one.
 *
 * @param maxRendezvousCircuits rendezvous circuits open or being built at once for this service; an
 *     INTRODUCE2 beyond it is dropped before any public-key work (C tor has no default cap; its
 *     defence is the intro point's rate limit and PoW, which the embedded network does not run)
 * @param maxStreamsPerCircuit streams open or connecting on one rendezvous circuit (C tor's
 *     HiddenServiceMaxStreams); further BEGINs get END(RESOURCELIMIT)
 * @param minIntroductions fewest INTRODUCE2 cells an introduction point serves before it is rotated
 *     (C tor hs_intro_min_introduce2, default 16384)
 * @param maxIntroductions most INTRODUCE2 cells an introduction point serves (C tor
 *     hs_intro_max_introduce2, default 32768); also the size of its replay cache, which therefore
 *     never forgets an entry while the point lives
 * @param minIntroLifetime shortest life of an introduction point (C tor hs_intro_min_lifetime, 18
 *     h)
 * @param maxIntroLifetime longest life of an introduction point (C tor hs_intro_max_lifetime, 24 h)
 */
public record ServiceLimits(
    int maxRendezvousCircuits,
    int maxStreamsPerCircuit,
    int minIntroductions,
    int maxIntroductions,
    Duration minIntroLifetime,
    Duration maxIntroLifetime) {

  /** Rendezvous circuits per service by default: well above honest use of a dropbox. */
  public static final int DEFAULT_MAX_RENDEZVOUS_CIRCUITS = 1024;

  /** C tor INTRO_POINT_MIN_LIFETIME_INTRODUCTIONS. */
  public static final int DEFAULT_MIN_INTRODUCTIONS = 16_384;

  /** C tor INTRO_POINT_MAX_LIFETIME_INTRODUCTIONS. */
  public static final int DEFAULT_MAX_INTRODUCTIONS = 32_768;

  /** Upper bound for any configured value: a replay cache of 32-byte hashes stays below 4 MiB. */
  public static final int MAX_INTRODUCTIONS_LIMIT = 65_536;

  public static final ServiceLimits DEFAULT =
      new ServiceLimits(
          DEFAULT_MAX_RENDEZVOUS_CIRCUITS,
          org.oniondrop.onion.circuit.StreamMux.MAX_STREAMS,
          DEFAULT_MIN_INTRODUCTIONS,
          DEFAULT_MAX_INTRODUCTIONS,
          Duration.ofHours(18),
          Duration.ofHours(24));

  public ServiceLimits {
    if (maxRendezvousCircuits < 1 || maxRendezvousCircuits > 65_536) {
      throw new IllegalArgumentException("max rendezvous circuits must be 1..65536");
    }
    if (maxStreamsPerCircuit < 1
        || maxStreamsPerCircuit > org.oniondrop.onion.circuit.StreamMux.MAX_STREAMS) {
      throw new IllegalArgumentException("max streams per circuit out of range");
    }
    if (minIntroductions < 1
        || maxIntroductions < minIntroductions
        || maxIntroductions > MAX_INTRODUCTIONS_LIMIT) {
      throw new IllegalArgumentException("introductions per intro point out of range");
    }
    if (minIntroLifetime.isNegative()
        || minIntroLifetime.isZero()
        || maxIntroLifetime.compareTo(minIntroLifetime) < 0) {
      throw new IllegalArgumentException("intro point lifetime out of range");
    }
  }
}
