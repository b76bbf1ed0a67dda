package io.github.c8backup.backup;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.VariablesAsType;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.cluster.ClusterConnection;
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
      ClusterConnection connection = steps.connect(run);
      boolean records = run.components() != null && run.components().recordsSnapshot();
      variables.put("removedParts", PartialBackups.remove(connection, run.backupId(), records));
      return variables;
    } catch (RuntimeException e) {
      throw steps.retryThenIncident(e, job, "Remove partial backup");
    }
  }
}
