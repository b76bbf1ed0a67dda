package io.github.c8backup.backup;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.VariablesAsType;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.cluster.BackupIdTakenException;
import io.github.c8backup.cluster.ClusterConnection;
import io.github.c8backup.cluster.ComponentBackup;
import io.github.c8backup.cluster.ComponentBackupState;
import io.github.c8backup.cluster.SnapshotDetail;
import io.github.c8backup.cluster.webapps.WebappsBackupApi;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * Starts the web application backups: Operate and Tasklist separately up to 8.7, the combined
 * {@code backupHistory} from 8.8. Each returns the snapshot names it scheduled; they are kept as
 * variables because a restore needs exactly those names.
 */
@Component
public class TakeWebappBackupsWorker {

  private final ClusterSteps steps;

  TakeWebappBackupsWorker(ClusterSteps steps) {
    this.steps = steps;
  }

  @JobWorker(type = JobTypes.TAKE_OPERATE_BACKUP)
  public Map<String, StepOutcome> takeOperate(ActivatedJob job, @VariablesAsType BackupRun run) {
    return Map.of("operateBackup", take(job, run, "Take Operate backup", ClusterConnection::operate));
  }

  @JobWorker(type = JobTypes.TAKE_TASKLIST_BACKUP)
  public Map<String, StepOutcome> takeTasklist(ActivatedJob job, @VariablesAsType BackupRun run) {
    return Map.of("tasklistBackup", take(job, run, "Take Tasklist backup", ClusterConnection::tasklist));
  }

  @JobWorker(type = JobTypes.TAKE_WEBAPPS_BACKUP)
  public Map<String, StepOutcome> takeWebapps(ActivatedJob job, @VariablesAsType BackupRun run) {
    return Map.of("webappsBackup", take(job, run, "Take web apps backup", ClusterConnection::webapps));
  }

  private StepOutcome take(ActivatedJob job, BackupRun run, String step, Function<ClusterConnection, Optional<WebappsBackupApi>> api) {
    try {
      ClusterConnection connection = steps.connect(run);
      WebappsBackupApi webapps = api.apply(connection)
          .orElseThrow(() -> StepFailures.failed(step + ": the component is not configured for cluster " + run.cluster()));
      List<String> scheduled;
      try {
        scheduled = webapps.takeBackup(run.requireBackupId());
      } catch (BackupIdTakenException taken) {
        // a retry after a lost answer: the backup with this run's ID is ours; its snapshots are the scheduled ones
        ComponentBackup existing = webapps.backup(run.requireBackupId());
        if (existing.state() == ComponentBackupState.DOES_NOT_EXIST) {
          throw taken;
        }
        scheduled = existing.details().stream().map(SnapshotDetail::snapshotName).toList();
      }
      return StepOutcome.started(steps.now(), scheduled);
    } catch (RuntimeException e) {
      throw steps.failure(e, job, step);
    }
  }
}
