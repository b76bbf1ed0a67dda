package io.github.c8backup.cluster.webapps;

import io.github.c8backup.cluster.ComponentBackup;
import java.util.List;

/**
 * Backup API of the web applications: Operate's or Tasklist's own {@code actuator/backups}
 * (8.6/8.7, one instance per application) or the orchestration cluster's combined
 * {@code actuator/backupHistory} (8.8+). Reference section 3.
 */
public interface WebappsBackupApi {

  /**
   * Starts a backup; answers HTTP 200 (not 202) with {@code scheduledSnapshots}, the snapshot
   * names to keep for the restore.
   *
   * @throws io.github.c8backup.cluster.BackupIdTakenException on 400 "A backup with ID [..] already exists"
   * @throws io.github.c8backup.cluster.ComponentUnavailableException also on 400 "Another backup is
   *     running at the moment" (retry later)
   */
  List<String> takeBackup(long backupId);

  /** State and snapshot details; 404 gives {@link ComponentBackup#doesNotExist(long)}. */
  ComponentBackup backup(long backupId);

  List<ComponentBackup> backups();

  /** Deleting a backup that does not exist is not an error. */
  void deleteBackup(long backupId);
}
