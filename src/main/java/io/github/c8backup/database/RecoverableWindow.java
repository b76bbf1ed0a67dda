package io.github.c8backup.database;

import java.time.Instant;
import java.util.List;

/**
 * The moments a database can be recovered to: every instant from {@code earliest} to
 * {@code latest}, both included, by the database server's clock.
 *
 * @param earliest when the oldest usable base backup was complete
 * @param earliestBasis what {@code earliest} rests on, for a person (which backup)
 * @param latest the newest moment the archived change log provably reaches (for PostgreSQL the
 *     newest commit in the contiguous WAL archive)
 * @param latestBasis what {@code latest} rests on, for a person (which archived segment)
 * @param notes what was left out and why: backups cut off by a gap in the archive, backups of an
 *     abandoned timeline or of another server, archived files that do not belong
 */
public record RecoverableWindow(
    Instant earliest,
    String earliestBasis,
    Instant latest,
    String latestBasis,
    List<String> notes) {

  public RecoverableWindow {
    if (latest.isBefore(earliest)) {
      throw new IllegalArgumentException("latest " + latest + " is before earliest " + earliest);
    }
    notes = List.copyOf(notes);
  }

  public boolean contains(Instant instant) {
    return !instant.isBefore(earliest) && !instant.isAfter(latest);
  }

  /** "from ... (basis) to ... (basis)", for messages. */
  public String describe() {
    return "from " + earliest + " (" + earliestBasis + ") to " + latest + " (" + latestBasis + ")";
  }
}
