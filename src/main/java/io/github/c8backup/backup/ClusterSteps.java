package io.github.c8backup.backup;

import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.cluster.ClusterConnection;
import io.github.c8backup.cluster.TargetClusters;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.OrchestratorProperties;
import java.time.Clock;
import org.springframework.stereotype.Component;

/**
 * What every backup worker needs besides its variables: the cluster's clients for the version the
 * prepare step detected, the clock for step timings, and the mapping of client faults to job
 * retries or BPMN errors.
 */
@Component
class ClusterSteps {

  private final TargetClusters clusters;
  private final Clock clock;
  private final OrchestratorProperties properties;

  ClusterSteps(TargetClusters clusters, Clock clock, OrchestratorProperties properties) {
    this.clusters = clusters;
    this.clock = clock;
    this.properties = properties;
  }

  TargetClusters clusters() {
    return clusters;
  }

  ClusterConnection connect(BackupRun run) {
    return connect(run.cluster(), run.camundaVersion());
  }

  ClusterConnection connect(String cluster, String camundaVersion) {
    return clusters.connect(cluster, CamundaVersion.parse(camundaVersion));
  }

  long now() {
    return clock.millis();
  }

  Clock clock() {
    return clock;
  }

  RuntimeException failure(RuntimeException e, ActivatedJob job, String step) {
    return StepFailures.of(e, job, step, properties.retryBackoff());
  }
}
