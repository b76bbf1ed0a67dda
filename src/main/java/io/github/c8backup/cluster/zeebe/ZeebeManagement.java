package io.github.c8backup.cluster.zeebe;

import java.util.List;

/**
 * Zeebe's management API on port 9600 for one cluster and API flavour. Paths differ per version:
 * {@code actuator/backups} up to 8.7, {@code actuator/backupRuntime} from 8.8 (reference 2.2).
 * No method retries: transient faults throw
 * {@link io.github.c8backup.cluster.ComponentUnavailableException}, refusals
 * {@link io.github.c8backup.cluster.ComponentRequestRejectedException}.
 */
public interface ZeebeManagement {

  /**
   * {@code POST actuator/exporting/pause?soft=true}. The endpoint answers HTTP 200 with the real
   * status inside the body ({@code {"body":null,"status":204,...}}); a body status outside 2xx is
   * a failure even though HTTP said 200 (reference 2.1). Idempotent.
   */
  void softPauseExporting();

  /** {@code POST actuator/exporting/resume}; same body quirk as pause. Idempotent, also when not paused. */
  void resumeExporting();

  /**
   * {@code POST .../backups} or {@code .../backupRuntime} with {@code {"backupId": id}}; 202 means
   * scheduled.
   *
   * @throws io.github.c8backup.cluster.BackupIdTakenException on 409 (an equal or higher ID exists)
   */
  void takeBackup(long backupId);

  /** {@code GET .../{id}}; a 404 gives {@link ZeebeBackup#doesNotExist(long)}, not an exception. */
  ZeebeBackup backup(long backupId);

  /** {@code GET .../} : every backup the store knows, any order. */
  List<ZeebeBackup> backups();

  /** {@code DELETE .../{id}}; deleting a backup that does not exist is not an error. */
  void deleteBackup(long backupId);

  /**
   * 8.9 with continuous backups: {@code POST backupRuntime} without a body, Zeebe generates the ID
   * and returns it (reference 2.3). A cluster without continuous backups answers 400, which is
   * thrown as {@link io.github.c8backup.cluster.ComponentRequestRejectedException}.
   */
  long takeBackupWithGeneratedId();

  /** 8.9 {@code GET backupRuntime/state}: checkpoints, latest backups and backup ranges per partition. */
  BackupRuntimeState runtimeState();
}
