package io.github.c8backup.backup;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.VariablesAsType;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.cluster.BackupIdTakenException;
import io.github.c8backup.cluster.ComponentBackupState;
import io.github.c8backup.cluster.optimize.OptimizeBackupApi;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Starts Optimize's backup (202 Accepted; the snapshot names appear when it is checked). */
@Component
public class TakeOptimizeBackupWorker {

  private final ClusterSteps steps;

  TakeOptimizeBackupWorker(ClusterSteps steps) {
    this.steps = steps;
  }

  @JobWorker(type = JobTypes.TAKE_OPTIMIZE_BACKUP)
  public Map<String, StepOutcome> take(ActivatedJob job, @VariablesAsType BackupRun run) {
    try {
      OptimizeBackupApi optimize = steps.connect(run).optimize()
          .orElseThrow(() -> StepFailures.failed("Take Optimize backup: Optimize is not configured for cluster " + run.cluster()));
      try {
        optimize.takeBackup(run.requireBackupId());
      } catch (BackupIdTakenException taken) {
        // a retry after a lost answer: the backup with this run's ID is ours
        if (optimize.backup(run.requireBackupId()).state() == ComponentBackupState.DOES_NOT_EXIST) {
          throw taken;
        }
      }
      return Map.of("optimizeBackup", StepOutcome.started(steps.now(), List.of()));
    } catch (RuntimeException e) {
      throw steps.failure(e, job, "Take Optimize backup");
    }
  }
}
