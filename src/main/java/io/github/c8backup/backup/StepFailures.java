package io.github.c8backup.backup;

import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.exception.CamundaError;
import io.github.c8backup.cluster.BackupIdTakenException;
import io.github.c8backup.cluster.ComponentRequestRejectedException;
import io.github.c8backup.cluster.ComponentUnavailableException;
import io.github.c8backup.cluster.UnknownClusterException;
import java.time.Duration;
import java.util.Map;

/**
 * Maps a client exception to what the engine should do: a transient fault fails the job so the
 * engine retries it after a backoff; a refusal is a BPMN error the process models (rollback).
 *
 * <p>When the last retry fails, the task's {@value #EXHAUSTED_HEADER} header decides: {@code
 * rollback} (every step between the pause and the resume) turns it into a BACKUP_FAILED error, so
 * no backup instance sits in an incident while exporting is paused; without it (prepare, the
 * rollback steps themselves, restores) the engine raises an incident, because there a person must
 * act. Messages say what failed and what to check.
 */
public final class StepFailures {

  /** Task header: what a step does when its last retry fails; {@value #ROLLBACK} or absent (incident). */
  public static final String EXHAUSTED_HEADER = "onExhaustedRetries";
  public static final String ROLLBACK = "rollback";

  private StepFailures() {}

  static RuntimeException of(RuntimeException e, ActivatedJob job, String step, Duration retryBackoff) {
    if (e instanceof ComponentUnavailableException unavailable) {
      String fault = unavailable.component() + " is unavailable"
          + (unavailable.httpStatus() > 0 ? " (HTTP " + unavailable.httpStatus() + ")" : "")
          + ": " + unavailable.getMessage();
      if (lastRetryRollsBack(job)) {
        return failed(step + ": " + fault + ". Gave up after the last retry; the backup is rolled back.");
      }
      String message = step + ": " + fault
          + ". Will retry; check that the component runs and its management API is reachable from the orchestrator.";
      return CamundaError.jobError(message, null, Math.max(job.getRetries() - 1, 0), retryBackoff, e);
    }
    if (e instanceof BackupIdTakenException taken) {
      return failed(step + ": " + taken.component() + " refused backup ID " + taken.backupId() + ": " + taken.getMessage());
    }
    if (e instanceof ComponentRequestRejectedException rejected) {
      return failed(step + ": " + rejected.component() + " answered HTTP " + rejected.httpStatus() + ": "
          + rejected.getMessage());
    }
    if (e instanceof UnknownClusterException) {
      return invalidRequest(e.getMessage());
    }
    if (e instanceof CamundaError) {
      return e;
    }
    if (lastRetryRollsBack(job)) {
      return failed(step + " failed unexpectedly: " + e + ". Gave up after the last retry; the backup is rolled back.");
    }
    return CamundaError.jobError(step + " failed unexpectedly: " + e, null, Math.max(job.getRetries() - 1, 0), retryBackoff, e);
  }

  private static boolean lastRetryRollsBack(ActivatedJob job) {
    Map<String, String> headers = job.getCustomHeaders();
    return job.getRetries() <= 1 && headers != null && ROLLBACK.equals(headers.get(EXHAUSTED_HEADER));
  }

  public static RuntimeException bpmnError(String code, String reason) {
    return CamundaError.bpmnError(code, reason, Map.of("failureReason", reason));
  }

  public static RuntimeException failed(String reason) {
    return CamundaError.bpmnError(BpmnErrors.BACKUP_FAILED, reason, Map.of("failureReason", reason));
  }

  public static RuntimeException invalidRequest(String reason) {
    return CamundaError.bpmnError(BpmnErrors.INVALID_REQUEST, reason, Map.of("failureReason", reason));
  }

  /** The cluster cannot take a backup now (a backup in progress, a partition without a healthy leader); nothing was changed. */
  public static RuntimeException notReady(String reason) {
    return CamundaError.bpmnError(BpmnErrors.CLUSTER_NOT_READY, reason, Map.of("failureReason", reason, "outcome", "NOT_READY"));
  }
}
