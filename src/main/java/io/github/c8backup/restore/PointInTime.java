package io.github.c8backup.restore;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The moment an 8.9 RDBMS cluster is restored to: an ISO-8601 instant, or "latest" (the newest
 * moment both the database and every Zeebe partition can be restored to).
 */
final class PointInTime {

  static final String LATEST = "latest";

  private PointInTime() {}

  /**
   * @return null for "latest" (also for null or blank)
   * @throws IllegalArgumentException if it is neither an ISO-8601 instant nor "latest"
   */
  static Instant parse(Object requested) {
    String text = requested == null ? "" : String.valueOf(requested).trim();
    if (text.isEmpty() || LATEST.equalsIgnoreCase(text)) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("pointInTime '" + text
          + "' is malformed; give an ISO-8601 instant with its zone, e.g. 2026-01-10T14:00:00Z, or 'latest'");
    }
  }

  /** The canonical text of a point: the instant's ISO form, or "latest". */
  static String text(Instant point) {
    return point == null ? LATEST : point.toString();
  }
}
