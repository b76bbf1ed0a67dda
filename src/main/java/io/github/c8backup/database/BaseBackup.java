package io.github.c8backup.database;

import java.time.Instant;

/**
 * A complete full backup of a database server.
 *
 * @param label its unique name, chosen by whoever took it
 * @param startedAt when it started, by the database server's clock
 * @param finishedAt when it was complete, by the database server's clock: the earliest moment the
 *     database can be recovered to from this backup
 * @param sizeBytes the bytes it takes in storage (compressed)
 * @param location where it is, for a person: a folder, a URL
 * @param logRange the change log positions it covers, when the vendor reports them
 */
public record BaseBackup(
    String label,
    Instant startedAt,
    Instant finishedAt,
    long sizeBytes,
    String location,
    LogRange logRange) {

  /**
   * Positions in the database's change log: for PostgreSQL WAL locations (LSNs such as
   * {@code 0/B00028}) on a timeline.
   *
   * @param timeline the PostgreSQL timeline (the history branch after a point-in-time recovery);
   *     null for vendors without one
   */
  public record LogRange(String start, String end, Integer timeline) {}
}
