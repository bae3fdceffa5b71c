package org.oniondrop.onion.hsdir;

import java.time.Instant;

/**
 * A time period (rend-spec-v3 §2.2.1): {@code num = floor((unix/60 - offset) / length)}, in
 * minutes.
 *
 * @param number the period number
 * @param lengthMinutes period length (1440 on the live network)
 * @param offsetMinutes rotation offset (720 on the live network)
 */
public record TimePeriod(long number, long lengthMinutes, long offsetMinutes) {

  /** The live network's period length: {@code hsdir_interval} default. */
  public static final long DEFAULT_LENGTH_MINUTES = 1440;

  /** The live network's rotation offset: 12 voting intervals of an hour. */
  public static final long DEFAULT_OFFSET_MINUTES = 720;

  public TimePeriod {
    if (lengthMinutes < 1 || offsetMinutes < 0 || number < 0) {
      throw new IllegalArgumentException("bad time period");
    }
  }

  /** The period containing {@code time}. */
  public static TimePeriod containing(Instant time, long lengthMinutes, long offsetMinutes) {
    long minutes = Math.floorDiv(time.getEpochSecond(), 60) - offsetMinutes;
    return new TimePeriod(Math.floorDiv(minutes, lengthMinutes), lengthMinutes, offsetMinutes);
  }

  /** The live network's period containing {@code time}. */
  public static TimePeriod containing(Instant time) {
    return containing(time, DEFAULT_LENGTH_MINUTES, DEFAULT_OFFSET_MINUTES);
  }

  public Instant start() {
    return Instant.ofEpochSecond((number * lengthMinutes + offsetMinutes) * 60);
  }

  public Instant end() {
    return next().start();
  }

  public TimePeriod next() {
    return new TimePeriod(number + 1, lengthMinutes, offsetMinutes);
  }

  public TimePeriod previous() {
    return new TimePeriod(number - 1, lengthMinutes, offsetMinutes);
  }
}
