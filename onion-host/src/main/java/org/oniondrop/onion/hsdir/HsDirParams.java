package org.oniondrop.onion.hsdir;

import java.time.Instant;

/**
 * The network's time-period and shared-random schedule, and which (time period, SRV) pairs a client
 * and a service use at a given consensus time (rend-spec-v3 §2.2.4; C tor {@code
 * node_set_hsdir_index}, {@code hs_in_period_between_tp_and_srv}).
 *
 * @param periodLengthMinutes time-period length
 * @param offsetMinutes rotation offset of periods
 * @param srvRunSeconds length of a shared-random protocol run (24 voting intervals); runs start at
 *     multiples of it since the epoch
 */
public record HsDirParams(long periodLengthMinutes, long offsetMinutes, long srvRunSeconds) {

  /** The live network: 1440-minute periods offset by 720 minutes, SRV runs of a day. */
  public static final HsDirParams LIVE = new HsDirParams(1440, 720, 86_400);

  /**
   * A TestingTorNetwork: periods of 24 voting intervals, offset by 12, SRV runs of 24 intervals.
   */
  public static HsDirParams testingNetwork(long votingIntervalSeconds) {
    return new HsDirParams(
        Math.max(1, 24 * votingIntervalSeconds / 60),
        12 * votingIntervalSeconds / 60,
        24 * votingIntervalSeconds);
  }

  /** A (time period, SRV) pair for a descriptor or a fetch. */
  public record PeriodAndSrv(TimePeriod period, byte[] srv) {}

  public TimePeriod periodAt(Instant validAfter) {
    return TimePeriod.containing(validAfter, periodLengthMinutes, offsetMinutes);
  }

  /**
   * Whether {@code validAfter} lies between the start of a time period and the next SRV (C tor's
   * {@code hs_in_period_between_tp_and_srv}): false from the start of the SRV run until the first
   * period start after it, true from then on.
   */
  public boolean isBetweenTpAndSrv(Instant validAfter) {
    long t = validAfter.getEpochSecond();
    long srvStart = Math.floorDiv(t, srvRunSeconds) * srvRunSeconds;
    Instant tpAfterSrv = periodAt(Instant.ofEpochSecond(srvStart)).end();
    return !(t >= srvStart && t < tpAfterSrv.getEpochSecond());
  }

  /** What a client uses to fetch: the current period and the matching SRV. */
  public PeriodAndSrv forClient(Instant validAfter, byte[] currentSrv, byte[] previousSrv) {
    TimePeriod tp = periodAt(validAfter);
    byte[] srv = isBetweenTpAndSrv(validAfter) ? currentSrv : previousSrv;
    return new PeriodAndSrv(tp, orDisaster(srv, tp));
  }

  /**
   * The two descriptors a service publishes, {first, second} (rend-spec-v3 §2.2.4): between a
   * period start and the next SRV, (TP-1, previous SRV) and (TP, current SRV); otherwise (TP,
   * previous SRV) and (TP+1, current SRV). Either way one of them is what {@link #forClient} picks.
   */
  public PeriodAndSrv[] forService(Instant validAfter, byte[] currentSrv, byte[] previousSrv) {
    TimePeriod tp = periodAt(validAfter);
    if (isBetweenTpAndSrv(validAfter)) {
      return new PeriodAndSrv[] {
        new PeriodAndSrv(tp.previous(), orDisaster(previousSrv, tp.previous())),
        new PeriodAndSrv(tp, orDisaster(currentSrv, tp))
      };
    }
    return new PeriodAndSrv[] {
      new PeriodAndSrv(tp, orDisaster(previousSrv, tp)),
      new PeriodAndSrv(tp.next(), orDisaster(currentSrv, tp.next()))
    };
  }

  private static byte[] orDisaster(byte[] srv, TimePeriod tp) {
    return srv != null ? srv : HsDirRing.disasterSrv(tp);
  }
}
