package io.github.c8backup.backup;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.VariablesAsType;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.cluster.ClusterConnection;
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

  private final ClusterSteps steps;

  RemovePartialBackupWorker(ClusterSteps steps) {
    this.steps = steps;
  }

  @JobWorker(type = JobTypes.REMOVE_PARTIAL_BACKUP)
  public Map<String, Object> remove(ActivatedJob job, @VariablesAsType BackupRun run) {
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("outcome", "FAILED");
    variables.put("finishedAt", steps.now());
    if (run.backupId() == null) {
      variables.put("removedParts", List.of());
      return variables;
    }
    try {
      long id = run.backupId();
      ClusterConnection connection = steps.connect(run);
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
      throw steps.failure(e, job, "Remove partial backup");
    }
  }
}
