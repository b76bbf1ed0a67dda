package io.github.c8backup.cluster;

import java.util.List;

/** A web applications or Optimize backup as the component reports it on {@code GET .../{backupId}}. */
public record ComponentBackup(
    long backupId, ComponentBackupState state, String failureReason, List<SnapshotDetail> details) {

  public static ComponentBackup doesNotExist(long backupId) {
    return new ComponentBackup(backupId, ComponentBackupState.DOES_NOT_EXIST, null, List.of());
  }
}
