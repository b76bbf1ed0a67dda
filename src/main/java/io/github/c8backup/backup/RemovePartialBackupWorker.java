package io.github.c8backup.backup;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.VariablesAsType;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.cluster.ClusterConnection;
import io.github.c8backup.cluster.TargetClusters;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.OrchestratorProperties;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Rollback: deletes whatever this backup ID created in every component, so a failed backup never
 * looks usable later. Deleting something that never came into being is fine; the ID itself stays
 * burnt in Zeebe, so a new attempt takes a new ID.
 */
@Component
public class RemovePartialBackupWorker {

  private final TargetClusters clusters;
  private final Clock clock;
  private final OrchestratorProperties properties;

  RemovePartialBackupWorker(TargetClusters clusters, Clock clock, OrchestratorProperties properties) {
    this.clusters = clusters;
    this.clock = clock;
    this.properties = properties;
  }

  @JobWorker(type = JobTypes.REMOVE_PARTIAL_BACKUP)
  public Map<String, Object> remove(ActivatedJob job, @VariablesAsType BackupRun run) {
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("outcome", "FAILED");
    variables.put("finishedAt", clock.millis());
    if (run.backupId() == null) {
      variables.put("removedParts", List.of());
      return variables;
    }
    try {
      long id = run.backupId();
      ClusterConnection connection = clusters.connect(run.cluster(), CamundaVersion.parse(run.camundaVersion()));
      List<String> removed = new ArrayList<>();
      connection.zeebe().deleteBackup(id);
      removed.add("zeebe");
      connection.operate().ifPresent(api -> { api.deleteBackup(id); removed.add("operate"); });
      connection.tasklist().ifPresent(api -> { api.deleteBackup(id); removed.add("tasklist"); });
      connection.webapps().ifPresent(api -> { api.deleteBackup(id); removed.add("webapps"); });
      connection.optimize().ifPresent(api -> { api.deleteBackup(id); removed.add("optimize"); });
      if (run.components() != null && run.components().recordsSnapshot()) {
        connection.search().ifPresent(api -> { api.deleteSnapshot(RecordsSnapshotWorker.snapshotName(id)); removed.add("recordsSnapshot"); });
      }
      variables.put("removedParts", removed);
      return variables;
    } catch (RuntimeException e) {
      throw StepFailures.of(e, job, "Remove partial backup", properties.retryBackoff());
    }
  }
}
