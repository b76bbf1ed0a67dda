package io.github.c8backup.restore;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.github.c8backup.backup.Components;
import java.util.List;
import java.util.Map;

/**
 * The variables of a {@code camunda-restore} instance that workers read. {@code history} is the
 * RDBMS cluster's history a point-in-time restore was asked to go back to; null: the current one.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RestoreRun(
    String cluster,
    Long backupId,
    String camundaVersion,
    Components components,
    RestorePlan restorePlan,
    List<String> restoredSnapshots,
    Map<String, Long> restoredDocumentCounts,
    String secondaryStorage,
    String pointInTime,
    Integer partitionCount,
    Integer history) {

  /** The partitions the restored cluster must have: the ES/OS plan's, or the RDBMS preflight's. */
  public int expectedPartitions() {
    if (restorePlan != null) {
      return restorePlan.partitionCount();
    }
    if (partitionCount == null) {
      throw new IllegalStateException("neither restorePlan nor partitionCount is set; the preflight sets them");
    }
    return partitionCount;
  }

  /** What is restored, for messages: "backup 7" or "point in time 2026-...". */
  public String target() {
    return backupId != null ? "backup " + backupId : "point in time " + pointInTime;
  }

  public long requireBackupId() {
    if (backupId == null) {
      throw new IllegalStateException("variable backupId is missing; the resolve step sets it");
    }
    return backupId;
  }
}
