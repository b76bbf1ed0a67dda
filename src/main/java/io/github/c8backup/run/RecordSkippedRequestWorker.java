package io.github.c8backup.run;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.api.response.ActivatedJob;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A request arrived while this cluster's run is in progress: the engine did not start a second
 * run; this records the skip (log, counter {@value #SKIPPED_METRIC}). The skipped request's own
 * variables stay in the event sub-process's scope ({@code skippedRequest}), so they never
 * overwrite those of the run in progress.
 */
@Component
public class RecordSkippedRequestWorker {

  static final String SKIPPED_METRIC = "c8backup.requests.skipped";
  private static final Logger LOG = LoggerFactory.getLogger(RecordSkippedRequestWorker.class);

  private final MeterRegistry meters;
  private final RequestOutcomes outcomes;

  RecordSkippedRequestWorker(MeterRegistry meters, RequestOutcomes outcomes) {
    this.meters = meters;
    this.outcomes = outcomes;
  }

  @JobWorker(type = RunJobTypes.RECORD_SKIPPED_REQUEST)
  public void record(@Variable String cluster, @Variable String operation, @Variable Map<String, Object> skippedRequest, ActivatedJob job) {
    String skippedOperation = String.valueOf(skippedRequest.getOrDefault("operation", "backup"));
    String requestedBy = String.valueOf(skippedRequest.getOrDefault("requestedBy", "unknown"));
    LOG.warn("Skipped a {} of cluster {} requested by {} at {}: the {} run {} of this cluster is still in progress",
        skippedOperation, cluster, requestedBy, skippedRequest.get("requestedAt"), operation == null ? "backup" : operation,
        job.getProcessInstanceKey());
    outcomes.skipped((String) skippedRequest.get("requestId"), job.getProcessInstanceKey(), operation == null ? "backup" : operation);
    meters.counter(SKIPPED_METRIC, "cluster", cluster, "operation", skippedOperation, "requestedBy", requestedBy).increment();
  }
}
