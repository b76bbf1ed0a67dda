package io.github.c8backup.metrics;

import java.time.Duration;
import java.time.Instant;

/**
 * What one run of a cluster ended with, as its variables say.
 *
 * @param operation {@code backup} or {@code restore}
 * @param outcome the run's {@code outcome} variable; null when it set none
 * @param failedStep the job type of the step the run failed in ({@code failedStep}), null if none or unknown
 * @param duration from the request to the end of the run; null when the request time is unknown
 * @param exportingPaused how long exporting stayed soft-paused; null when it was not paused
 * @param endedAt when the backup or its rollback finished
 */
public record RunOutcome(
    String cluster, String operation, String outcome, String failedStep, Duration duration, Duration exportingPaused, Instant endedAt) {

  public RunOutcome {
    duration = duration == null ? null : RunMetrics.nonNegative(duration);
    exportingPaused = exportingPaused == null ? null : RunMetrics.nonNegative(exportingPaused);
  }
}
