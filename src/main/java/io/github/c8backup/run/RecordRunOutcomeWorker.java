package io.github.c8backup.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.VariablesAsType;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.metrics.RunMetrics;
import io.github.c8backup.metrics.RunOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The last task of every run: the called backup or restore has ended and its variables are the
 * run's now; this turns them into the run metrics ({@link RunMetrics}). It never fails the job:
 * a run stuck in an incident here would keep every later request of its cluster skipped.
 */
@Component
public class RecordRunOutcomeWorker {

  private static final Logger LOG = LoggerFactory.getLogger(RecordRunOutcomeWorker.class);

  private final RunMetrics metrics;
  private final RequestOutcomes outcomes;
  private final Clock clock;

  RecordRunOutcomeWorker(RunMetrics metrics, RequestOutcomes outcomes, Clock clock) {
    this.metrics = metrics;
    this.outcomes = outcomes;
    this.clock = clock;
  }

  /**
   * The run's variables this task reads; all but {@code cluster} may be absent.
   *
   * @param requestedAt ISO instant the request was published ({@link ClusterRuns})
   * @param finishedAt epoch millis the backup or its rollback finished (set by the last step)
   * @param exportingPausedMillis how long exporting stayed soft-paused (set by the resume)
   * @param failedStep the job type of the step the backup failed in
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record EndedRun(String cluster, String operation, String outcome, String failedStep, String requestedAt,
      Long finishedAt, Long exportingPausedMillis, String requestId, String failureReason) {}

  @JobWorker(type = RunJobTypes.RECORD_RUN_OUTCOME)
  public void record(@VariablesAsType EndedRun run, ActivatedJob job) {
    outcomes.ended(run.requestId(), job.getProcessInstanceKey(), run.outcome(), run.failureReason());
    try {
      Instant endedAt = run.finishedAt() != null ? Instant.ofEpochMilli(run.finishedAt()) : clock.instant();
      RunOutcome outcome = new RunOutcome(run.cluster(), run.operation() == null ? "backup" : run.operation(), run.outcome(),
          run.failedStep(), duration(run.requestedAt(), endedAt),
          run.exportingPausedMillis() == null ? null : Duration.ofMillis(run.exportingPausedMillis()), endedAt);
      metrics.runEnded(outcome);
      LOG.info("Run of cluster {} ended: {} {}{}", outcome.cluster(), outcome.operation(), outcome.outcome(),
          outcome.failedStep() == null ? "" : " (failed in " + outcome.failedStep() + ")");
    } catch (RuntimeException e) {
      LOG.error("Could not record the end of a run of cluster {} in the metrics: {}", run.cluster(), e.toString(), e);
    }
  }

  private static Duration duration(String requestedAt, Instant endedAt) {
    if (requestedAt == null) {
      return null;
    }
    try {
      return Duration.between(Instant.parse(requestedAt), endedAt);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
