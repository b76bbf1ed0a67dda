package io.github.c8backup.backup;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.VariablesAsType;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.cluster.TargetClusters;
import io.github.c8backup.cluster.zeebe.ZeebeBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackupState;
import io.github.c8backup.cluster.zeebe.ZeebeManagement;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.OrchestratorProperties;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Takes the Zeebe backup and checks it; the BPMN loops over the check until COMPLETED or the deadline. */
@Component
public class ZeebeBackupWorker {

  private final TargetClusters clusters;
  private final Clock clock;
  private final OrchestratorProperties properties;

  ZeebeBackupWorker(TargetClusters clusters, Clock clock, OrchestratorProperties properties) {
    this.clusters = clusters;
    this.clock = clock;
    this.properties = properties;
  }

  @JobWorker(type = JobTypes.TAKE_ZEEBE_BACKUP)
  public Map<String, StepOutcome> take(ActivatedJob job, @VariablesAsType BackupRun run) {
    try {
      zeebe(run).takeBackup(run.requireBackupId());
      return Map.of("zeebeBackup", StepOutcome.started(clock.millis(), null));
    } catch (RuntimeException e) {
      throw StepFailures.of(e, job, "Take Zeebe backup", properties.retryBackoff());
    }
  }

  @JobWorker(type = JobTypes.CHECK_ZEEBE_BACKUP)
  public Map<String, Object> check(ActivatedJob job, @VariablesAsType BackupRun run) {
    try {
      ZeebeBackup backup = zeebe(run).backup(run.requireBackupId());
      ZeebeBackupState state = backup.state();
      if (state == ZeebeBackupState.FAILED || state == ZeebeBackupState.INCOMPLETE
          || state == ZeebeBackupState.DELETED || state == ZeebeBackupState.INCOMPATIBLE) {
        throw StepFailures.failed("Zeebe backup " + backup.backupId() + " is " + state
            + (backup.failureReason() != null ? ": " + backup.failureReason() : "")
            + ". Check the brokers' logs and the backup store configuration.");
      }
      boolean done = state == ZeebeBackupState.COMPLETED;
      StepOutcome started = run.zeebeBackup() != null ? run.zeebeBackup() : StepOutcome.started(clock.millis(), null);
      return Map.of(
          "zeebeBackup", started.observed(state.name(), null, ZeebeBackupOutcomes.partitions(backup), done, clock.millis(), null),
          "zeebeBackupDone", done);
    } catch (RuntimeException e) {
      throw StepFailures.of(e, job, "Check Zeebe backup", properties.retryBackoff());
    }
  }

  private ZeebeManagement zeebe(BackupRun run) {
    return clusters.connect(run.cluster(), CamundaVersion.parse(run.camundaVersion())).zeebe();
  }
}
