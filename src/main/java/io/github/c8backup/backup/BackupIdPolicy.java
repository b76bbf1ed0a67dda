package io.github.c8backup.backup;

import io.github.c8backup.cluster.zeebe.ZeebeBackup;
import java.time.Clock;
import java.util.Collection;
import java.util.OptionalLong;

/**
 * Chooses the backup ID. Zeebe accepts only IDs greater than every earlier backup, completed,
 * failed or deleted (reference 1.2), so the list from the store is the floor; the default is the
 * Unix time in seconds, the convention Camunda's docs recommend.
 */
final class BackupIdPolicy {

  private BackupIdPolicy() {}

  static OptionalLong latest(Collection<ZeebeBackup> existing) {
    return existing.stream().mapToLong(ZeebeBackup::backupId).max();
  }

  static long next(Collection<ZeebeBackup> existing, Clock clock) {
    long now = clock.instant().getEpochSecond();
    return Math.max(now, latest(existing).orElse(0) + 1);
  }

  /** Why a requested ID cannot be used, or null when it can. */
  static String rejectRequested(long requested, Collection<ZeebeBackup> existing) {
    if (requested <= 0) {
      return "Backup ID " + requested + " is invalid: it must be a positive integer";
    }
    OptionalLong latest = latest(existing);
    if (latest.isPresent() && requested <= latest.getAsLong()) {
      return "Backup ID " + requested + " is not greater than the latest Zeebe backup " + latest.getAsLong()
          + "; Zeebe only accepts increasing IDs";
    }
    return null;
  }
}
