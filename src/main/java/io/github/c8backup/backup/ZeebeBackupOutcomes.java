package io.github.c8backup.backup;

import io.github.c8backup.cluster.zeebe.ZeebeBackup;
import java.util.List;

final class ZeebeBackupOutcomes {

  private ZeebeBackupOutcomes() {}

  static List<StepOutcome.PartitionOutcome> partitions(ZeebeBackup backup) {
    return backup.partitions().stream()
        .map(p -> new StepOutcome.PartitionOutcome(p.partitionId(), p.state().name(), p.checkpointPosition(), p.brokerVersion(), p.snapshotId()))
        .toList();
  }
}
