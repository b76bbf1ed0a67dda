package io.github.c8backup.retention;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.backup.ClusterSteps;
import io.github.c8backup.backup.Components;
import io.github.c8backup.backup.PartialBackups;
import io.github.c8backup.cluster.ClusterConnection;
import java.util.List;
import java.util.Map;
import io.github.c8backup.metrics.RunMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deletes one expired backup from every component through its own API (Zeebe, Operate/Tasklist or
 * the web apps, Optimize, the records snapshot), with the rollback's {@link PartialBackups#remove}:
 * every component is asked even when one fails, a part already gone is fine, so a retry after a
 * partial failure finishes the job. A failure retries, then raises an incident naming the cause.
 */
@Component
public class DeleteExpiredBackupWorker {

  private static final Logger LOG = LoggerFactory.getLogger(DeleteExpiredBackupWorker.class);

  private final ClusterSteps steps;
  private final RunMetrics metrics;

  DeleteExpiredBackupWorker(ClusterSteps steps, RunMetrics metrics) {
    this.steps = steps;
    this.metrics = metrics;
  }

  @JobWorker(type = RetentionJobTypes.DELETE_EXPIRED_BACKUP)
  public Map<String, Object> delete(@Variable String cluster, @Variable Long expiredBackupId,
      @Variable(name = SelectExpiredBackupsWorker.VERSION) String camundaVersion, ActivatedJob job) {
    try {
      ClusterConnection connection = steps.connect(cluster, camundaVersion);
      boolean records = Components.of(connection.version(), connection).recordsSnapshot();
      List<String> removed = PartialBackups.remove(connection, expiredBackupId, records);
      LOG.info("Retention of cluster {}: deleted expired backup {} from {}", cluster, expiredBackupId, removed);
      metrics.retentionDeleted(cluster, "backup", 1);
      return Map.of("deletedParts", removed);
    } catch (RuntimeException e) {
      throw steps.retryThenIncident(e, job, "Delete expired backup " + expiredBackupId);
    }
  }
}
