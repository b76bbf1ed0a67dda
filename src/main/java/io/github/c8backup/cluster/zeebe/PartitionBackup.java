package io.github.c8backup.cluster.zeebe;

import java.time.Instant;

/** One partition's part of a Zeebe backup ({@code details[]}); optional fields are null when the broker omits them. */
public record PartitionBackup(
    int partitionId,
    ZeebeBackupState state,
    String failureReason,
    Instant createdAt,
    Instant lastUpdatedAt,
    String snapshotId,
    Long checkpointPosition,
    Integer brokerId,
    String brokerVersion,
    Long firstLogPosition) {

  /** Without {@code firstLogPosition}, which only 8.9 reports (continuous backups, reference 2.3). */
  public PartitionBackup(int partitionId, ZeebeBackupState state, String failureReason, Instant createdAt,
      Instant lastUpdatedAt, String snapshotId, Long checkpointPosition, Integer brokerId, String brokerVersion) {
    this(partitionId, state, failureReason, createdAt, lastUpdatedAt, snapshotId, checkpointPosition, brokerId,
        brokerVersion, null);
  }
}
