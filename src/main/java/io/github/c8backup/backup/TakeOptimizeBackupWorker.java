package io.github.c8backup.backup;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.VariablesAsType;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.cluster.TargetClusters;
import io.github.c8backup.cluster.optimize.OptimizeBackupApi;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.OrchestratorProperties;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Starts Optimize's backup (202 Accepted; the snapshot names appear when it is checked). */
@Component
public class TakeOptimizeBackupWorker {

  private final TargetClusters clusters;
  private final Clock clock;
  private final OrchestratorProperties properties;

  TakeOptimizeBackupWorker(TargetClusters clusters, Clock clock, OrchestratorProperties properties) {
    this.clusters = clusters;
    this.clock = clock;
    this.properties = properties;
  }

  @JobWorker(type = JobTypes.TAKE_OPTIMIZE_BACKUP)
  public Map<String, StepOutcome> take(ActivatedJob job, @VariablesAsType BackupRun run) {
    try {
      OptimizeBackupApi optimize = clusters.connect(run.cluster(), CamundaVersion.parse(run.camundaVersion())).optimize()
          .orElseThrow(() -> StepFailures.failed("Take Optimize backup: Optimize is not configured for cluster " + run.cluster()));
      optimize.takeBackup(run.requireBackupId());
      return Map.of("optimizeBackup", StepOutcome.started(clock.millis(), List.of()));
    } catch (RuntimeException e) {
      throw StepFailures.of(e, job, "Take Optimize backup", properties.retryBackoff());
    }
  }
}
