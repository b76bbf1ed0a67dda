package io.github.c8backup.database;

import java.util.List;

/**
 * What the database side of retention did. When {@code skippedBecause} is set nothing was
 * deleted; the lists then describe what would have been kept.
 *
 * @param skippedBecause why nothing was deleted (an unsafe state), or null when the rule was applied
 * @param deletedBackups labels of the base backups deleted, oldest first
 * @param keptBackups labels of the base backups left, oldest first
 * @param keptForZeebe the base backup kept for the start of Zeebe's oldest range, or null
 * @param deletedLogFiles names of the archived change log files deleted (WAL segments), oldest first
 * @param oldestKeptLogFile the oldest change log file the rule keeps, or null
 * @param window the recoverable window afterwards, read again from the backups and the archive;
 *     null when there is none
 */
public record DatabaseRetentionResult(
    String skippedBecause,
    List<String> deletedBackups,
    List<String> keptBackups,
    String keptForZeebe,
    List<String> deletedLogFiles,
    String oldestKeptLogFile,
    RecoverableWindow window) {

  public DatabaseRetentionResult {
    deletedBackups = List.copyOf(deletedBackups);
    keptBackups = List.copyOf(keptBackups);
    deletedLogFiles = List.copyOf(deletedLogFiles);
  }

  public static DatabaseRetentionResult skipped(String because, RecoverableWindow window) {
    return new DatabaseRetentionResult(because, List.of(), List.of(), null, List.of(), null, window);
  }

  public boolean applied() {
    return skippedBecause == null;
  }
}
