package io.github.c8backup.backup;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.VariablesAsType;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.worker.JobClient;
import io.github.c8backup.cluster.ClusterConnection;
import io.github.c8backup.cluster.ComponentBackup;
import io.github.c8backup.cluster.ComponentBackupState;
import io.github.c8backup.cluster.SnapshotDetail;
import io.github.c8backup.config.CamundaVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * Looks at every web application and Optimize backup this run started, until all are COMPLETED or
 * the cluster's check-wait is used up ({@link WaitWithinJob}); the BPMN loops over this task with a
 * poll timer and bounds the wait with a deadline.
 */
@Component
public class CheckWebappsBackupsWorker {

  private final ClusterSteps steps;
  private final WaitWithinJob waits;

  CheckWebappsBackupsWorker(ClusterSteps steps, WaitWithinJob waits) {
    this.steps = steps;
    this.waits = waits;
  }

  @JobWorker(type = JobTypes.CHECK_WEBAPPS_BACKUPS, autoComplete = false)
  public void check(JobClient client, ActivatedJob job, @VariablesAsType BackupRun run) {
    waits.await(client, job, steps.clusters().settings(run.cluster()), previous -> checkOnce(job, run, previous), "webappsBackupsDone");
  }

  /** One look; {@code previous} holds this job's earlier observations, which take over from the variables. */
  Map<String, Object> checkOnce(ActivatedJob job, BackupRun run, Map<String, Object> previous) {
    try {
      CamundaVersion version = CamundaVersion.parse(run.camundaVersion());
      ClusterConnection connection = steps.clusters().connect(run.cluster(), version);
      Map<String, Object> variables = new LinkedHashMap<>();
      boolean done = true;
      done &= observe(variables, "operateBackup", StepOutcome.lastSeen(previous, "operateBackup", run.operateBackup()), "Operate", connection, c -> c.operate().map(api -> api::backup), version, run);
      done &= observe(variables, "tasklistBackup", StepOutcome.lastSeen(previous, "tasklistBackup", run.tasklistBackup()), "Tasklist", connection, c -> c.tasklist().map(api -> api::backup), version, run);
      done &= observe(variables, "webappsBackup", StepOutcome.lastSeen(previous, "webappsBackup", run.webappsBackup()), "Web apps", connection, c -> c.webapps().map(api -> api::backup), version, run);
      done &= observe(variables, "optimizeBackup", StepOutcome.lastSeen(previous, "optimizeBackup", run.optimizeBackup()), "Optimize", connection, c -> c.optimize().map(api -> api::backup), version, run);
      variables.put("webappsBackupsDone", done);
      return variables;
    } catch (RuntimeException e) {
      throw steps.failure(e, job, "Check web app backups");
    }
  }

  /**
   * 8.8+ reports INCOMPLETE only after its own incompleteCheckTimeout, so it is final at once;
   * 8.6/8.7 can say it while the snapshots are still being taken (camunda/camunda#33717), so there
   * it is final once it has lasted the grace period.
   */
  private static boolean incompleteForGood(StepOutcome observed, CamundaVersion version, BackupRun run, long now) {
    if (version.hasCombinedWebapps()) {
      return true;
    }
    return observed.incompleteFor(run.incompleteGraceMillis(), now);
  }

  private boolean observe(
      Map<String, Object> variables, String variable, StepOutcome started, String component, ClusterConnection connection,
      Function<ClusterConnection, Optional<Function<Long, ComponentBackup>>> lookup, CamundaVersion version, BackupRun run) {
    if (started == null) {
      return true; // not part of this backup
    }
    Function<Long, ComponentBackup> api = lookup.apply(connection)
        .orElseThrow(() -> StepFailures.failed(component + " backup was started but the component is no longer configured"));
    ComponentBackup backup = api.apply(run.requireBackupId());
    List<String> snapshots = backup.details().stream().map(SnapshotDetail::snapshotName).toList();
    ComponentBackupState state = backup.state();
    long now = steps.now();
    StepOutcome observed = started.observed(state.name(), snapshots, null, state == ComponentBackupState.COMPLETED, now, null);
    if (state.isTerminalFailure() || (state == ComponentBackupState.INCOMPLETE && incompleteForGood(observed, version, run, now))) {
      throw StepFailures.failed(component + " backup " + run.backupId() + " is " + state
          + (state == ComponentBackupState.INCOMPLETE && !version.hasCombinedWebapps() ? " for longer than " + run.incompleteGrace() : "")
          + (backup.failureReason() != null ? ": " + backup.failureReason() : "")
          + ". Check the component's log and the snapshot repository.");
    }
    variables.put(variable, observed);
    return state == ComponentBackupState.COMPLETED;
  }
}
