package io.github.c8backup.cluster.zeebe;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * 8.9's {@code GET actuator/backupRuntime/state} (reference 2.3): the latest checkpoint and the
 * latest backup of every partition, and the backup ranges, contiguous stretches of backups from
 * which a partition can be restored to any checkpoint. More than one range on a partition is a gap.
 */
public record BackupRuntimeState(List<Checkpoint> checkpointStates, List<Checkpoint> backupStates, List<BackupRange> ranges) {

  /** One checkpoint; fields Zeebe left out are null ({@code checkpointId} only, in the older range format). */
  public record Checkpoint(
      long checkpointId, int partitionId, String checkpointType, Long checkpointPosition, Instant checkpointTimestamp, Long firstLogPosition) {}

  public record BackupRange(int partitionId, Checkpoint start, Checkpoint end) {}

  /** Ranges by partition, in the order Zeebe listed them. */
  public Map<Integer, List<BackupRange>> rangesByPartition() {
    return ranges.stream().collect(Collectors.groupingBy(BackupRange::partitionId, TreeMap::new, Collectors.toList()));
  }

  /**
   * What keeps the backups from covering partitions 1..{@code partitionCount} in one piece each:
   * a partition without a backup, without a range, or with several ranges (a gap). Empty when
   * every partition is covered.
   */
  public List<String> coverageProblems(int partitionCount) {
    Map<Integer, List<BackupRange>> byPartition = rangesByPartition();
    List<String> problems = new java.util.ArrayList<>();
    for (int partition = 1; partition <= partitionCount; partition++) {
      int p = partition;
      if (backupStates.stream().noneMatch(b -> b.partitionId() == p)) {
        problems.add("partition " + p + " has no backup");
      }
      List<BackupRange> own = byPartition.getOrDefault(p, List.of());
      if (own.isEmpty()) {
        problems.add("partition " + p + " has no backup range");
      } else if (own.size() > 1) {
        problems.add("partition " + p + " has " + own.size() + " backup ranges (a gap between "
            + own.stream().map(r -> r.start().checkpointId() + ".." + r.end().checkpointId()).collect(Collectors.joining(", ")) + ")");
      }
    }
    return problems;
  }
}
