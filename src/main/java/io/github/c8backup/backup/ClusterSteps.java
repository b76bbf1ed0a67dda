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
public class ClusterSteps {

  private final TargetClusters clusters;
  private final Clock clock;
  private final OrchestratorProperties properties;

  public ClusterSteps(TargetClusters clusters, Clock clock, OrchestratorProperties properties) {
    this.clusters = clusters;
    this.clock = clock;
    this.properties = properties;
  }

  public TargetClusters clusters() {
    return clusters;
  }

  public ClusterConnection connect(BackupRun run) {
    return connect(run.cluster(), run.camundaVersion());
  }

  public ClusterConnection connect(String cluster, String camundaVersion) {
    return clusters.connect(cluster, CamundaVersion.parse(camundaVersion));
  }

  public long now() {
    return clock.millis();
  }

  public Clock clock() {
    return clock;
  }

  /**
   * A BPMN error also names the step in {@code failedStep} (its job type), which the rollback's
   * boundary cannot tell by itself; the run's metrics count failures by it.
   */
  public RuntimeException failure(RuntimeException e, ActivatedJob job, String step) {
    return withFailedStep(StepFailures.of(e, job, step, properties.retryBackoff()), job);
  }

  static RuntimeException withFailedStep(RuntimeException mapped, ActivatedJob job) {
    if (mapped instanceof io.camunda.client.exception.BpmnError error
        && (error.getVariables() == null || error.getVariables() instanceof java.util.Map<?, ?>)) {
      java.util.Map<String, Object> variables = new java.util.LinkedHashMap<>();
      if (error.getVariables() instanceof java.util.Map<?, ?> existing) {
        existing.forEach((key, value) -> variables.put(String.valueOf(key), value));
      }
      if (variables.containsKey(FAILED_STEP)) {
        return mapped;
      }
      variables.put(FAILED_STEP, job.getType());
      return io.camunda.client.exception.CamundaError.bpmnError(error.getErrorCode(), error.getErrorMessage(), variables, error.getCause());
    }
    return mapped;
  }

  /** Variable: the job type of the step a backup failed in. */
  public static final String FAILED_STEP = "failedStep";

  /**
   * For cleanup steps (removing a partial backup): whatever went wrong, a delete is worth trying
   * again, so every failure is a job retry after the backoff, and an incident once they run out,
   * never a BPMN error that no boundary would catch.
   */
  public RuntimeException retryThenIncident(RuntimeException e, ActivatedJob job, String step) {
    int retriesLeft = Math.max(job.getRetries() - 1, 0);
    String message = step + " failed: " + e.getMessage()
        + (retriesLeft > 0 ? ". Will retry." : ". Fix the cause, then retry this step in Operate.");
    return io.camunda.client.exception.CamundaError.jobError(message, null, retriesLeft, properties.retryBackoff(), e);
  }

  /**
   * For steps after the point of no return (a restore's destructive phase): a transient fault
   * retries, anything else raises an incident at once, so a person fixes the cause and retries
   * the step in Operate instead of the process moving on.
   */
  public RuntimeException incident(RuntimeException e, ActivatedJob job, String step) {
    if (e instanceof io.github.c8backup.cluster.ComponentUnavailableException) {
      return StepFailures.of(e, job, step, properties.retryBackoff());
    }
    if (e instanceof io.camunda.client.exception.CamundaError error) {
      return error;
    }
    return io.camunda.client.exception.CamundaError.jobError(
        step + " failed: " + e.getMessage() + ". Fix the cause, then retry this step in Operate.", null, 0, null, e);
  }
}
