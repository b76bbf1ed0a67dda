package io.github.c8backup.backup;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.cluster.ClusterConnection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The exporting watchdog's cleanup after a backup instance ended without resuming exporting: the
 * components decide. A backup complete in every one of them is a usable backup and stays; anything
 * less is removed from every component, so it can never look usable later.
 */
@Component
public class RemoveAbandonedBackupWorker {

  private static final Logger LOG = LoggerFactory.getLogger(RemoveAbandonedBackupWorker.class);

  private final ClusterSteps steps;

  RemoveAbandonedBackupWorker(ClusterSteps steps) {
    this.steps = steps;
  }

  @JobWorker(type = JobTypes.WATCHDOG_REMOVE_ABANDONED_BACKUP)
  public Map<String, Object> remove(
      ActivatedJob job,
      @Variable(name = "cluster") String cluster,
      @Variable(name = "camundaVersion") String version,
      @Variable(name = "backupId") Long backupId,
      @Variable(name = "components") Components components) {
    Map<String, Object> variables = new LinkedHashMap<>();
    if (backupId == null) {
      variables.put("abandonedBackup", "no backup ID known; nothing to remove");
      return variables;
    }
    try {
      ClusterConnection connection = steps.connect(cluster, version);
      boolean records = components == null ? connection.search().isPresent() : components.recordsSnapshot();
      List<String> incomplete = PartialBackups.incompleteParts(connection, backupId, records);
      if (incomplete.isEmpty()) {
        variables.put("abandonedBackup", "backup " + backupId + " is complete in every component and was kept");
        return variables;
      }
      variables.put("removedParts", PartialBackups.remove(connection, backupId, records));
      variables.put("abandonedBackup", "backup " + backupId + " was incomplete " + incomplete + " and was removed");
      LOG.warn("Cluster {}: removed backup {} left incomplete {} by a backup instance that ended while exporting was paused",
          cluster, backupId, incomplete);
      return variables;
    } catch (RuntimeException e) {
      throw steps.retryThenIncident(e, job, "Watchdog: remove abandoned backup " + backupId + " of " + cluster);
    }
  }
}
