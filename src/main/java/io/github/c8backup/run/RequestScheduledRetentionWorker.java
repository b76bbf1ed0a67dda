package io.github.c8backup.run;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.github.c8backup.cluster.TargetClusters;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A retention schedule's timer fired: ask for a retention run the same way a backup is asked
 * for, so retention never runs beside a backup or restore of the same cluster (a run in progress
 * would show its backup as partial); the engine skips and records the request if one is running.
 */
@Component
public class RequestScheduledRetentionWorker {

  private static final Logger LOG = LoggerFactory.getLogger(RequestScheduledRetentionWorker.class);

  private final ClusterRuns runs;
  private final TargetClusters clusters;

  RequestScheduledRetentionWorker(ClusterRuns runs, TargetClusters clusters) {
    this.runs = runs;
    this.clusters = clusters;
  }

  @JobWorker(type = RunJobTypes.REQUEST_SCHEDULED_RETENTION)
  public Map<String, Object> request(@Variable String cluster) {
    clusters.settings(cluster); // a cluster no longer configured fails the job with its name
    ClusterRuns.Request request = runs.request(cluster, ClusterRuns.Operation.RETENTION, "schedule", Map.of());
    LOG.info("Scheduled retention of cluster {} requested (request {}, message {})", cluster, request.requestId(), request.messageKey());
    return Map.of("requestedRunId", request.requestId());
  }
}
