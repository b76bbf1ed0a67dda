package io.github.c8backup.backup;

import io.github.c8backup.cluster.zeebe.BackupRuntimeState;
import io.github.c8backup.cluster.zeebe.BackupRuntimeState.BackupRange;
import io.github.c8backup.cluster.zeebe.PartitionBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackupState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Zeebe side of retention on the RDBMS path: Zeebe backups that lie entirely before the
 * database's recoverable window serve no restore (a restore recovers the database first and never
 * lets Zeebe end before it, reference 7.5), so they may go, through Zeebe's own delete
 * ({@code DELETE actuator/backupRuntime/{id}}, reference 2.2, 6.4).
 *
 * <p>The rule, with {@code W} = the window's start minus the clock tolerance: keep the newest
 * COMPLETED backup dated at or before {@code W} (a restore to the window's first moment starts
 * from it) and everything newer; delete the COMPLETED backups older than it, oldest first. They
 * form the beginning of every partition's range, so the ranges shrink from their start as with
 * Zeebe's own retention (reference 6.4) and are never split; one backup, at least, stays. A backup
 * is dated by the latest {@code createdAt} of its partitions, so a backup counts as "before" only
 * if all its partitions are.
 *
 * <p>Nothing is deleted, and the reason given, when a partition has no range or more than one (a
 * gap: which backups form a prefix is then not clear), or a backup carries no dates.
 */
final class ZeebeRetention {

  private ZeebeRetention() {}

  /**
   * @param refusal why nothing may be deleted, or null
   * @param delete backup IDs to delete, oldest first
   * @param keptForWindowStart the backup kept for the window's first moment, or null when every
   *     backup is inside the window already
   */
  record Plan(String refusal, List<Long> delete, Long keptForWindowStart) {
    static Plan refused(String why) {
      return new Plan(why, List.of(), null);
    }
  }

  static Plan select(BackupRuntimeState state, List<ZeebeBackup> backups, Instant windowStart, Duration tolerance) {
    Map<Integer, List<BackupRange>> ranges = state.rangesByPartition();
    if (ranges.isEmpty()) {
      return Plan.refused("Zeebe reports no backup range");
    }
    for (Map.Entry<Integer, List<BackupRange>> partition : ranges.entrySet()) {
      if (partition.getValue().size() != 1) {
        return Plan.refused("partition " + partition.getKey() + " has " + partition.getValue().size()
            + " backup ranges: with a gap, which backups begin a range is not clear");
      }
    }
    List<Dated> inRanges = new ArrayList<>();
    for (ZeebeBackup backup : backups) {
      if (backup.state() != ZeebeBackupState.COMPLETED || !insideEveryRange(backup.backupId(), ranges)) {
        continue;
      }
      Instant at = backup.partitions().stream().map(PartitionBackup::createdAt).filter(Objects::nonNull)
          .max(Comparator.naturalOrder()).orElse(null);
      if (at == null || backup.partitions().stream().anyMatch(p -> p.createdAt() == null)) {
        return Plan.refused("Zeebe backup " + backup.backupId() + " carries no creation time on every partition: its time "
            + "cannot be compared with the database's");
      }
      inRanges.add(new Dated(backup.backupId(), at));
    }
    inRanges.sort(Comparator.comparingLong(Dated::id));
    Instant threshold = windowStart.minus(tolerance);
    Dated kept = null;
    for (Dated backup : inRanges) {
      if (!backup.at().isAfter(threshold)) {
        kept = backup;
      }
    }
    if (kept == null) {
      return new Plan(null, List.of(), null);
    }
    long keptId = kept.id();
    List<Long> delete = inRanges.stream().map(Dated::id).filter(id -> id < keptId).toList();
    return new Plan(null, delete, keptId);
  }

  private static boolean insideEveryRange(long id, Map<Integer, List<BackupRange>> ranges) {
    return ranges.values().stream().map(List::getFirst)
        .allMatch(range -> id >= range.start().checkpointId() && id <= range.end().checkpointId());
  }

  private record Dated(long id, Instant at) {}
}
