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

  /**
   * API v2's form (the Inbox keeps it as an opaque string, but it enters each source record's
   * version): UTC without a zone designator, six fraction digits, e.g. {@code
   * 2025-09-24T18:19:49.665896}. Established by hashing: with this form our source records for the
   * Inbox's fixtures hash to the versions its sync.test.ts expects from SecureDrop.
   */
  private static final DateTimeFormatter FORMAT_V2 =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  private ApiTime() {}

  /** API v2's form of {@code t}; {@code null} stays null. */
  public static String formatV2(Instant t) {
    return t == null ? null : FORMAT_V2.format(t);
  }

  /** {@code null} stays null (a journalist who never logged in has no last_login). */
  public static String format(Instant t) {
    return t == null ? null : FORMAT.format(t);
  }
}
