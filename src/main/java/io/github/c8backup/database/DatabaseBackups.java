package io.github.c8backup.database;

import java.util.List;
import java.util.Optional;

/**
 * Native backups of a Camunda 8.9 cluster's RDBMS secondary storage, with which the database can
 * be brought back to any moment of a {@link RecoverableWindow}: full copies ({@link BaseBackup})
 * plus the database's continuously archived change log (PostgreSQL's WAL, MySQL's and MariaDB's
 * binary log, Oracle's archived redo, SQL Server's log backups). Camunda leaves these backups to
 * the user (reference 6.3, 7.5, 9); the orchestrator takes them just before the on-demand Zeebe
 * backup, so the primary backup follows the secondary one, and restores the database first, to a
 * point no later than Zeebe's.
 *
 * <p>One implementation per vendor; archiving the change log itself is the database server's job
 * (PostgreSQL's {@code archive_command}), this interface only reads what was archived. Methods
 * block until the tool they run is done and throw {@link DatabaseBackupException} when it fails.
 */
public interface DatabaseBackups {

  /**
   * Takes a full backup of the whole database server under {@code label} (letters, digits,
   * {@code . _ -}; unique). It is listed only once complete: a failed attempt leaves nothing.
   *
   * @throws IllegalArgumentException if the label is malformed or already taken
   */
  BaseBackup takeBaseBackup(String label);

  /** Every complete base backup, oldest first. */
  List<BaseBackup> baseBackups();

  /** The complete base backup called {@code label}, if there is one. */
  Optional<BaseBackup> baseBackup(String label);

  /**
   * Checks a base backup against its manifest with the vendor's tool (every file present, sizes
   * and checksums, the change log it needs). A failed check is a result, not an exception.
   *
   * @throws IllegalArgumentException if there is no such backup
   */
  BackupVerification verify(String label);

  /**
   * Deletes a base backup. The recoverable window may shrink: it starts at the end of the oldest
   * backup left. Archived change log older than that is not deleted here (retention does that).
   * Idempotent: deleting a missing backup does nothing.
   */
  void delete(String label);

  /**
   * The moments the database can be recovered to from the base backups and the archived change
   * log, as they are now; empty when there is no base backup to start from. Reads the backups and
   * the archive, so it answers while the database server is down.
   */
  Optional<RecoverableWindow> recoverableWindow();

  /**
   * Deletes the base backups and archived change log that no restore together with Zeebe can use
   * any more, by the rule of {@link DatabaseRetentionRequest}: the oldest first, so that whatever
   * stops it half-way leaves a recoverable window that only starts later. Deletes nothing, and
   * says why, when the backups or the archive are in a state it cannot judge safely (a gap in the
   * archive, a backup that does not count in the window, clocks that disagree).
   *
   * <p>Vendors without an implementation delete nothing.
   */
  default DatabaseRetentionResult applyRetention(DatabaseRetentionRequest request) {
    return DatabaseRetentionResult.skipped("retention is not implemented for this database", recoverableWindow().orElse(null));
  }

  /**
   * The database's histories, oldest first: each point-in-time recovery starts a new one. Empty
   * for vendors without histories, where every recovery follows the one history there is.
   */
  default List<DatabaseHistory> histories() {
    return List.of();
  }
}
