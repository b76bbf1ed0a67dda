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
 * engine retries it after a backoff (an incident when retries run out); a refusal is a BPMN error
 * the process models (rollback). Messages say what failed and what to check.
 */
public final class StepFailures {

  private StepFailures() {}

  static RuntimeException of(RuntimeException e, ActivatedJob job, String step, Duration retryBackoff) {
    if (e instanceof ComponentUnavailableException unavailable) {
      String message = step + ": " + unavailable.component() + " is unavailable"
          + (unavailable.httpStatus() > 0 ? " (HTTP " + unavailable.httpStatus() + ")" : "")
          + ": " + unavailable.getMessage()
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
    return e;
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
}
