package io.github.c8backup.backup;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.VariablesAsType;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.cluster.BackupIdTakenException;
import io.github.c8backup.cluster.zeebe.ZeebeBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackupState;
import io.github.c8backup.cluster.zeebe.ZeebeManagement;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Takes the Zeebe backup and checks it; the BPMN loops over the check until COMPLETED or the deadline. */
@Component
public class ZeebeBackupWorker {

  private final ClusterSteps steps;

  ZeebeBackupWorker(ClusterSteps steps) {
    this.steps = steps;
  }

  @JobWorker(type = JobTypes.TAKE_ZEEBE_BACKUP)
  public Map<String, StepOutcome> take(ActivatedJob job, @VariablesAsType BackupRun run) {
    try {
      ZeebeManagement zeebe = zeebe(run);
      try {
        zeebe.takeBackup(run.requireBackupId());
      } catch (BackupIdTakenException taken) {
        // A retry after a lost answer (the broker took it, the job failed): the ID was chosen by
        // this run, so a backup with exactly this ID is ours. Anything else is a real conflict.
        if (zeebe.backup(run.requireBackupId()).state() == ZeebeBackupState.DOES_NOT_EXIST) {
          throw taken;
        }
      }
      return Map.of("zeebeBackup", StepOutcome.started(steps.now(), null));
    } catch (RuntimeException e) {
      throw steps.failure(e, job, "Take Zeebe backup");
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
      StepOutcome started = run.zeebeBackup() != null ? run.zeebeBackup() : StepOutcome.started(steps.now(), null);
      return Map.of(
          "zeebeBackup", started.observed(state.name(), null, ZeebeBackupOutcomes.partitions(backup), done, steps.now(), null),
          "zeebeBackupDone", done);
    } catch (RuntimeException e) {
      throw steps.failure(e, job, "Check Zeebe backup");
    }
  }

  private ZeebeManagement zeebe(BackupRun run) {
    return steps.connect(run).zeebe();
  }
}
