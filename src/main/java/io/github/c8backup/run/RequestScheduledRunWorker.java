package io.github.c8backup.run;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.github.c8backup.cluster.TargetClusters;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A schedule's timer fired: ask for a run the same way the API does, so that the engine's
 * one-run-per-cluster rule also holds for scheduled backups and retention (a timer start event
 * alone has no correlation key and would start a second run beside one in progress; retention
 * beside a running backup would see that backup as partial). A request while a run is in
 * progress is skipped and recorded by the engine.
 */
@Component
public class RequestScheduledRunWorker {

  private static final Logger LOG = LoggerFactory.getLogger(RequestScheduledRunWorker.class);

  private final ClusterRuns runs;
  private final TargetClusters clusters;

  RequestScheduledRunWorker(ClusterRuns runs, TargetClusters clusters) {
    this.runs = runs;
    this.clusters = clusters;
  }

  @JobWorker(type = RunJobTypes.REQUEST_SCHEDULED_BACKUP)
  public Map<String, Object> requestBackup(@Variable String cluster) {
    return request(cluster, ClusterRuns.Operation.BACKUP);
  }

  @JobWorker(type = RunJobTypes.REQUEST_SCHEDULED_RETENTION)
  public Map<String, Object> requestRetention(@Variable String cluster) {
    return request(cluster, ClusterRuns.Operation.RETENTION);
  }

  private Map<String, Object> request(String cluster, ClusterRuns.Operation operation) {
    clusters.settings(cluster); // a cluster no longer configured fails the job with its name
    ClusterRuns.Request request = runs.request(cluster, operation, "schedule", Map.of());
    LOG.info("Scheduled {} of cluster {} requested (request {}, message {})",
        operation.name().toLowerCase(java.util.Locale.ROOT), cluster, request.requestId(), request.messageKey());
    return Map.of("requestedRunId", request.requestId());
  }
}
