package io.github.c8backup.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What one backup step did, as a process variable readable in Operate: the component's own state
 * word, the snapshot names it created, timing in epoch milliseconds, a failure reason, and since
 * when the component has been reporting INCOMPLETE (for the grace period of 8.6/8.7).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StepOutcome(
    String state,
    List<String> snapshots,
    List<PartitionOutcome> partitions,
    Long startedAt,
    Long finishedAt,
    Long durationMs,
    String failureReason,
    Long incompleteSince) {

  public static StepOutcome started(long now, List<String> snapshots) {
    return new StepOutcome("STARTED", snapshots, null, now, null, null, null, null);
  }

  /**
   * What a check step saw of {@code variable} in an earlier look within the same job, or else what
   * the process variables say (see {@link WaitWithinJob}).
   */
  static StepOutcome lastSeen(java.util.Map<String, Object> previousLook, String variable, StepOutcome fromVariables) {
    return previousLook.get(variable) instanceof StepOutcome seen ? seen : fromVariables;
  }

  /** Whether this observation has been INCOMPLETE for at least {@code graceMillis} at {@code now}. */
  boolean incompleteFor(long graceMillis, long now) {
    return incompleteSince != null && now - incompleteSince >= graceMillis;
  }

  /** The same step with a new state; finished steps get their duration. */
  public StepOutcome observed(String newState, List<String> newSnapshots, List<PartitionOutcome> newPartitions, boolean finished, long now, String reason) {
    Long finish = finished ? (finishedAt != null ? finishedAt : Long.valueOf(now)) : null;
    Long duration = finish != null && startedAt != null ? finish - startedAt : null;
    return new StepOutcome(
        newState,
        newSnapshots != null && !newSnapshots.isEmpty() ? newSnapshots : snapshots,
        newPartitions != null ? newPartitions : partitions,
        startedAt,
        finish,
        duration,
        reason,
        "INCOMPLETE".equals(newState) ? (incompleteSince != null ? incompleteSince : Long.valueOf(now)) : null);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PartitionOutcome(int partitionId, String state, Long checkpointPosition, String brokerVersion, String snapshotId) {}
}
