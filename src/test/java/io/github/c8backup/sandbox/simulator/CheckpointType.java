package io.github.c8backup.sandbox.simulator;

/**
 * The type of a checkpoint on a partition's log, as 8.9's {@code backupRuntime/state} reports it
 * (reference 2.3): a backup taken on the schedule, one requested through the API, or a MARKER that
 * takes no backup and only marks a point a restore can go to ({@code checkpoint-interval},
 * reference 9).
 */
enum CheckpointType {
  MARKER,
  SCHEDULED_BACKUP,
  MANUAL_BACKUP;

  boolean takesBackup() {
    return this != MARKER;
  }
}
