package org.oniondrop.dropbox.journalist.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Timestamps as SecureDrop's API prints them ({@code API_DATETIME_FORMAT =
 * "%Y-%m-%dT%H:%M:%S.%fZ"}): UTC, always six fraction digits. Older Python clients parse with that
 * exact format and fail on 0, 3 or 9 digits.
 */
public final class ApiTime {

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private ApiTime() {}

  /** {@code null} stays null (a journalist who never logged in has no last_login). */
  public static String format(Instant t) {
    return t == null ? null : FORMAT.format(t);
  }
}
