package io.github.c8backup.restore;

import io.github.c8backup.cluster.zeebe.BackupRuntimeState;
import io.github.c8backup.cluster.zeebe.PartitionBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackupState;
import io.github.c8backup.database.DatabaseHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Zeebe backups of an earlier history of an 8.9 RDBMS cluster, the one a restore left behind,
 * and how the brokers get back onto it.
 *
 * <p>Why this is needed: after a restore to checkpoint X, Zeebe's state (RocksDB) knows only the
 * checkpoints up to X; every backup confirmed afterwards extends the state's ranges and syncs the
 * partition's backup metadata in the store from that state (camunda/camunda
 * {@code CheckpointBackupConfirmedApplier}, {@code DbBackupRangeState},
 * {@code BackupMetadataManifest}: "re-synced from the authoritative RocksDB column families"). The
 * backups taken after X on the abandoned history stay in the store but drop out of
 * {@code GET backupRuntime/state} and, from the first backup confirmed on the new history on, out
 * of the metadata the restore application's default mode, {@code --to} and {@code --from} read
 * (camunda/camunda#46729). Only {@code --backupId=<id>,<id>,...} still reaches them: it restores
 * the first backup's snapshot and chains the log of the following contiguous backups
 * (camunda/camunda#36159), without consulting the database's exporter position.
 *
 * <p>So the orchestrator picks the backups itself, from the store's list ({@code GET backupRuntime}),
 * keeping those checkpointed while the cluster was on the history's path
 * ({@link DatabaseHistory#holds}), and hands the restore application the contiguous run of them that
 * ends at the restore point. A backup's moment is its partitions' earliest {@code createdAt}: the
 * list does not report the checkpoint timestamp, and a backup is created as its checkpoint is taken.
 */
final class HistoryBackups {

  /** One COMPLETED backup with every partition's part. */
  private record Backup(long id, Instant moment, Map<Integer, PartitionBackup> partitions) {}

  /** The backups the restore application is given, oldest first, and the checkpoint time of the last one. */
  record Chain(List<Long> backupIds, Instant lastCheckpoint) {}

  private final DatabaseHistory history;
  private final int partitionCount;
  private final List<Backup> backups;

  private HistoryBackups(DatabaseHistory history, int partitionCount, List<Backup> backups) {
    this.history = history;
    this.partitionCount = partitionCount;
    this.backups = backups;
  }

  static HistoryBackups of(List<ZeebeBackup> all, DatabaseHistory history, int partitionCount) {
    List<Backup> kept = new ArrayList<>();
    for (ZeebeBackup backup : all) {
      if (backup.state() != ZeebeBackupState.COMPLETED) {
        continue;
      }
      Map<Integer, PartitionBackup> parts = new TreeMap<>();
      backup.partitions().forEach(part -> parts.put(part.partitionId(), part));
      Optional<Instant> moment = backup.partitions().stream().map(PartitionBackup::createdAt)
          .filter(java.util.Objects::nonNull).min(Comparator.naturalOrder());
      boolean complete = true;
      for (int p = 1; p <= partitionCount; p++) {
        complete &= parts.containsKey(p) && parts.get(p).checkpointPosition() != null;
      }
      if (complete && moment.isPresent() && history.holds(moment.get())) {
        kept.add(new Backup(backup.backupId(), moment.get(), parts));
      }
    }
    kept.sort(Comparator.comparingLong(Backup::id));
    return new HistoryBackups(history, partitionCount, List.copyOf(kept));
  }

  /**
   * The history's backup ranges per partition as Zeebe's state would report them, for
   * {@link RecoveryPoints}: runs of backups whose log starts at or before the previous one's
   * checkpoint position + 1. A backup without a first log position (before 8.9) chains.
   */
  BackupRuntimeState asRuntimeState() {
    List<BackupRuntimeState.BackupRange> ranges = new ArrayList<>();
    List<BackupRuntimeState.Checkpoint> latest = new ArrayList<>();
    for (int p = 1; p <= partitionCount; p++) {
      Backup start = null;
      Backup previous = null;
      for (Backup backup : backups) {
        if (previous != null && !contiguous(previous, backup, p)) {
          ranges.add(new BackupRuntimeState.BackupRange(p, checkpoint(start, p), checkpoint(previous, p)));
          start = null;
        }
        start = start == null ? backup : start;
        previous = backup;
      }
      if (start != null) {
        ranges.add(new BackupRuntimeState.BackupRange(p, checkpoint(start, p), checkpoint(previous, p)));
        latest.add(checkpoint(previous, p));
      }
    }
    return new BackupRuntimeState(latest, latest, ranges);
  }

  /**
   * The backups that bring every partition to the newest backup checkpointed at or before
   * {@code point}: that backup and the contiguous run before it, on every partition. Empty when
   * the history has no backup at or before {@code point}.
   */
  Optional<Chain> chainTo(Instant point) {
    int last = -1;
    for (int i = 0; i < backups.size(); i++) {
      if (!backups.get(i).moment().isAfter(point)) {
        last = i;
      }
    }
    if (last < 0) {
      return Optional.empty();
    }
    int first = last;
    while (first > 0 && contiguousOnEveryPartition(backups.get(first - 1), backups.get(first))) {
      first--;
    }
    List<Long> ids = backups.subList(first, last + 1).stream().map(Backup::id).toList();
    return Optional.of(new Chain(ids, backups.get(last).moment()));
  }

  DatabaseHistory history() {
    return history;
  }

  private boolean contiguousOnEveryPartition(Backup previous, Backup next) {
    for (int p = 1; p <= partitionCount; p++) {
      if (!contiguous(previous, next, p)) {
        return false;
      }
    }
    return true;
  }

  private static boolean contiguous(Backup previous, Backup next, int partition) {
    Long firstLog = next.partitions().get(partition).firstLogPosition();
    return firstLog == null || firstLog <= previous.partitions().get(partition).checkpointPosition() + 1;
  }

  private static BackupRuntimeState.Checkpoint checkpoint(Backup backup, int partition) {
    PartitionBackup part = backup.partitions().get(partition);
    return new BackupRuntimeState.Checkpoint(backup.id(), partition, null, part.checkpointPosition(), backup.moment(),
        part.firstLogPosition());
  }
}
