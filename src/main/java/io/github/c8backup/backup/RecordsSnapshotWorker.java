package io.github.c8backup.backup;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.VariablesAsType;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.worker.JobClient;
import io.github.c8backup.cluster.BackupIdTakenException;
import io.github.c8backup.cluster.ClusterConnection;
import io.github.c8backup.cluster.search.SnapshotApi;
import io.github.c8backup.cluster.search.SnapshotInfo;
import io.github.c8backup.cluster.search.SnapshotState;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The snapshot of the exported {@code zeebe-record*} indices, the one snapshot no Camunda API
 * takes for us (reference 5). Started without waiting; the BPMN polls for its end.
 */
@Component
public class RecordsSnapshotWorker {

  private final ClusterSteps steps;
  private final WaitWithinJob waits;

  RecordsSnapshotWorker(ClusterSteps steps, WaitWithinJob waits) {
    this.steps = steps;
    this.waits = waits;
  }

  /** Camunda's documented name; the restore looks for exactly this. */
  public static final String SNAPSHOT_PREFIX = "camunda_zeebe_records_backup_";

  public static String snapshotName(long backupId) {
    return SNAPSHOT_PREFIX + backupId;
  }

  @JobWorker(type = JobTypes.SNAPSHOT_ZEEBE_RECORDS)
  public Map<String, StepOutcome> snapshot(ActivatedJob job, @VariablesAsType BackupRun run) {
    try {
      ClusterConnection connection = connection(run);
      String name = snapshotName(run.requireBackupId());
      try {
        search(connection).createSnapshot(name, connection.settings().search().recordsIndexPrefix() + "*");
      } catch (BackupIdTakenException taken) {
        // a retry after a lost answer: a snapshot with this run's name is ours; the check step judges it
      }
      return Map.of("recordsSnapshot", StepOutcome.started(steps.now(), List.of(name)));
    } catch (RuntimeException e) {
      throw steps.failure(e, job, "Snapshot zeebe-record indices");
    }
  }

  /** Looks until SUCCESS or the cluster's check-wait is used up ({@link WaitWithinJob}); the BPMN loops over it. */
  @JobWorker(type = JobTypes.CHECK_RECORDS_SNAPSHOT, autoComplete = false)
  public void check(JobClient client, ActivatedJob job, @VariablesAsType BackupRun run) {
    waits.await(client, job, steps.clusters().settings(run.cluster()), previous -> checkOnce(job, run, previous), "recordsSnapshotDone");
  }

  Map<String, Object> checkOnce(ActivatedJob job, BackupRun run, Map<String, Object> previous) {
    try {
      String name = snapshotName(run.requireBackupId());
      SnapshotInfo info = search(connection(run)).snapshot(name);
      SnapshotState state = info.state();
      if (state == SnapshotState.DOES_NOT_EXIST) {
        // created synchronously by the step before, so it was visible: it is lost, not late
        throw StepFailures.failed("The records snapshot " + name + " no longer exists; the search engine may have restarted"
            + " while taking it. Check the search engine's log.");
      }
      if (state == SnapshotState.FAILED || state == SnapshotState.PARTIAL || state == SnapshotState.INCOMPATIBLE) {
        throw StepFailures.failed("Snapshot " + name + " of the zeebe-record indices is " + state
            + ". Check the search engine's log and the snapshot repository.");
      }
      boolean done = state == SnapshotState.SUCCESS;
      StepOutcome started = StepOutcome.lastSeen(previous, "recordsSnapshot",
          run.recordsSnapshot() != null ? run.recordsSnapshot() : StepOutcome.started(steps.now(), List.of(name)));
      return Map.of(
          "recordsSnapshot", started.observed(state.name(), List.of(name), null, done, steps.now(), null),
          "recordsSnapshotDone", done);
    } catch (RuntimeException e) {
      throw steps.failure(e, job, "Check records snapshot");
    }
  }

  private ClusterConnection connection(BackupRun run) {
    return steps.connect(run);
  }

  private static SnapshotApi search(ClusterConnection connection) {
    return connection.search().orElseThrow(() -> StepFailures.failed(
        "No search engine configured for cluster " + connection.name() + ": set orchestrator.clusters." + connection.name() + ".search"));
  }
}
