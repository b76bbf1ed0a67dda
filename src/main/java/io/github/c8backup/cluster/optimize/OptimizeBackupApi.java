package io.github.c8backup.cluster.optimize;

import io.github.c8backup.cluster.ComponentBackup;
import java.util.List;

/**
 * Optimize's backup API ({@code actuator/backups} on port 8092; its context path does not apply).
 * Create answers 202; 409 means the ID exists; errors carry {@code errorCode/errorMessage}, not
 * {@code message}; state {@code COMPLETE} and {@code COMPLETED} both mean done (reference 4).
 */
public interface OptimizeBackupApi {

  /** @throws io.github.c8backup.cluster.BackupIdTakenException on 409 */
  void takeBackup(long backupId);

  /** 404 gives {@link ComponentBackup#doesNotExist(long)}. */
  ComponentBackup backup(long backupId);

  List<ComponentBackup> backups();

  void deleteBackup(long backupId);
}
