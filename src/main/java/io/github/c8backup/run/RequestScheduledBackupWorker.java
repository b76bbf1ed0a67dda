package io.github.c8backup.run;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.github.c8backup.cluster.TargetClusters;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A schedule's timer fired: ask for a backup the same way the API does, so that the engine's
 * one-run-per-cluster rule also holds for scheduled backups (a timer start event alone has no
 * correlation key and would start a second run beside one in progress).
 */
@Component
public class RequestScheduledBackupWorker {

  private static final Logger LOG = LoggerFactory.getLogger(RequestScheduledBackupWorker.class);

  private final ClusterRuns runs;
  private final TargetClusters clusters;

  RequestScheduledBackupWorker(ClusterRuns runs, TargetClusters clusters) {
    this.runs = runs;
    this.clusters = clusters;
  }

  @JobWorker(type = RunJobTypes.REQUEST_SCHEDULED_BACKUP)
  public Map<String, Object> request(@Variable String cluster) {
    clusters.settings(cluster); // a cluster no longer configured fails the job with its name
    ClusterRuns.Request request = runs.request(cluster, ClusterRuns.Operation.BACKUP, "schedule", Map.of());
    LOG.info("Scheduled backup of cluster {} requested (request {}, message {})", cluster, request.requestId(), request.messageKey());
    return Map.of("requestedRunId", request.requestId());
  }
}
