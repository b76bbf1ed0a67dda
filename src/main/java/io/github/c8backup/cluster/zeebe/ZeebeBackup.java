package io.github.c8backup.cluster.zeebe;

import java.util.List;

/** A Zeebe backup as {@code GET actuator/backups/{id}} (8.6/8.7) or {@code backupRuntime/{id}} (8.8+) reports it. */
public record ZeebeBackup(long backupId, ZeebeBackupState state, String failureReason, List<PartitionBackup> partitions) {

  public static ZeebeBackup doesNotExist(long backupId) {
    return new ZeebeBackup(backupId, ZeebeBackupState.DOES_NOT_EXIST, null, List.of());
  }
}
