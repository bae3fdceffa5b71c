package org.oniondrop.dropbox.journalist.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.oniondrop.dropbox.core.service.ConversationService.SourceSummary;

/**
 * The sources table of the index page: the rows in the service's order (starred first, then the
 * most recently active), each with its last activity as a human age ("3 hours ago", worded by the
 * message bundle with its plural forms) and the exact UTC time for the {@code title}.
 *
 * @param rows the sources shown
 * @param filter the designation filter as typed (empty for none)
 */
public record SourceTable(List<Row> rows, String filter) {

  /** The exact time shown on hover: ISO-8601 in UTC, to the second. */
  static final DateTimeFormatter EXACT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /** One source row. */
  public record Row(SourceSummary source, Age age, String exact, String iso) {}

  /**
   * How long ago something happened, in the largest whole unit (the bundle words it).
   *
   * @param unit {@code now}, {@code minutes}, {@code hours}, {@code days} or {@code months}
   * @param amount how many of them (0 for {@code now})
   */
  public record Age(String unit, long amount) {

    static Age between(Instant then, Instant now) {
      Duration d = Duration.between(then, now);
      if (d.isNegative() || d.toMinutes() < 1) {
        return new Age("now", 0);
      }
      if (d.toHours() < 1) {
        return new Age("minutes", d.toMinutes());
      }
      if (d.toDays() < 1) {
        return new Age("hours", d.toHours());
      }
      if (d.toDays() < 60) {
        return new Age("days", d.toDays());
      }
      return new Age("months", d.toDays() / 30);
    }
  }

  static SourceTable of(List<SourceSummary> sources, String filter, Instant now) {
    return new SourceTable(
        sources.stream()
            .map(
                s ->
                    new Row(
                        s,
                        s.lastUpdated() == null ? null : Age.between(s.lastUpdated(), now),
                        s.lastUpdated() == null ? "" : EXACT.format(s.lastUpdated()),
                        s.lastUpdated() == null
                            ? ""
                            : s.lastUpdated().truncatedTo(ChronoUnit.SECONDS).toString()))
            .toList(),
        filter == null ? "" : filter);
  }
}
