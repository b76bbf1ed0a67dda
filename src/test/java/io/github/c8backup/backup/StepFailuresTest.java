package io.github.c8backup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.exception.BpmnError;
import io.camunda.client.exception.JobError;
import io.github.c8backup.cluster.BackupIdTakenException;
import io.github.c8backup.cluster.ComponentRequestRejectedException;
import io.github.c8backup.cluster.ComponentUnavailableException;
import io.github.c8backup.cluster.UnknownClusterException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StepFailuresTest {

  private static final Duration BACKOFF = Duration.ofSeconds(7);

  private static ActivatedJob jobWithRetries(int retries) {
    return job(retries, Map.of());
  }

  private static ActivatedJob job(int retries, Map<String, String> headers) {
    return (ActivatedJob) Proxy.newProxyInstance(ActivatedJob.class.getClassLoader(), new Class<?>[] {ActivatedJob.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getRetries" -> retries;
          case "getCustomHeaders" -> headers;
          default -> null;
        });
  }

  private static final Map<String, String> ROLLBACK = Map.of(StepFailures.EXHAUSTED_HEADER, StepFailures.ROLLBACK);

  @Test
  void aLastFailedRetryInsideTheBackupBecomesTheRollbackNotAnIncident() {
    RuntimeException mapped = StepFailures.of(new ComponentUnavailableException("zeebe", 0, "Connection refused", null), job(1, ROLLBACK), "Check Zeebe backup", BACKOFF);

    assertThat(mapped).isInstanceOfSatisfying(BpmnError.class, e -> {
      assertThat(e.getErrorCode()).isEqualTo(BpmnErrors.BACKUP_FAILED);
      assertThat(e.getErrorMessage()).contains("Check Zeebe backup", "zeebe is unavailable", "Connection refused", "Gave up after the last retry");
    });
  }

  @Test
  void aFailedRetryWithRetriesLeftIsRetriedEvenInsideTheBackup() {
    RuntimeException mapped = StepFailures.of(new ComponentUnavailableException("zeebe", 502, "Bad Gateway", null), job(2, ROLLBACK), "Check Zeebe backup", BACKOFF);

    assertThat(mapped).isInstanceOfSatisfying(JobError.class, e -> assertThat(e.getRetries()).isEqualTo(1));
  }

  @Test
  void aLastFailedRetryWithoutTheHeaderRaisesAnIncident() {
    RuntimeException mapped = StepFailures.of(new ComponentUnavailableException("zeebe", 0, "Connection refused", null), job(1, Map.of()), "Resume exporting", BACKOFF);

    assertThat(mapped).isInstanceOfSatisfying(JobError.class, e -> assertThat(e.getRetries()).isZero());
  }

  @Test
  void anUnexpectedExceptionIsRetriedThenRolledBackInsideTheBackup() {
    RuntimeException retried = StepFailures.of(new IllegalStateException("boom"), job(3, ROLLBACK), "Verify backup", BACKOFF);
    RuntimeException last = StepFailures.of(new IllegalStateException("boom"), job(1, ROLLBACK), "Verify backup", BACKOFF);

    assertThat(retried).isInstanceOfSatisfying(JobError.class, e -> {
      assertThat(e.getRetries()).isEqualTo(2);
      assertThat(e.getErrorMessage()).contains("Verify backup failed unexpectedly", "boom");
    });
    assertThat(last).isInstanceOfSatisfying(BpmnError.class, e -> assertThat(e.getErrorCode()).isEqualTo(BpmnErrors.BACKUP_FAILED));
  }

  @Test
  void aBpmnErrorPassesThroughUnchanged() {
    RuntimeException error = StepFailures.failed("already decided");
    assertThat(StepFailures.of(error, job(1, ROLLBACK), "Verify backup", BACKOFF)).isSameAs(error);
  }

  @Test
  void mapsAnUnavailableComponentToAJobRetryWithBackoff() {
    RuntimeException mapped = StepFailures.of(new ComponentUnavailableException("zeebe", 503, "Service Unavailable", null), jobWithRetries(3), "Take Zeebe backup", BACKOFF);

    assertThat(mapped).isInstanceOf(JobError.class);
    JobError error = (JobError) mapped;
    assertThat(error.getRetries()).isEqualTo(2);
    assertThat(error.getRetryBackoff()).isEqualTo(BACKOFF);
    assertThat(error.getErrorMessage()).contains("Take Zeebe backup", "zeebe", "HTTP 503", "Will retry");
  }

  @Test
  void mapsARefusalToTheRollbackWithoutRetries() {
    RuntimeException mapped = StepFailures.of(new ComponentRequestRejectedException("optimize", 400, "{\"errorMessage\":\"no repository\"}", "no repository"), jobWithRetries(3), "Take Optimize backup", BACKOFF);

    assertThat(mapped).isInstanceOf(BpmnError.class);
    BpmnError error = (BpmnError) mapped;
    assertThat(error.getErrorCode()).isEqualTo(BpmnErrors.BACKUP_FAILED);
    assertThat(error.getErrorMessage()).contains("optimize answered HTTP 400", "no repository");
    assertThat(((Map<?, ?>) error.getVariables()).keySet()).extracting(Object::toString).contains("failureReason");
  }

  @Test
  void mapsDuplicateIdToBackupFailed() {
    RuntimeException mapped = StepFailures.of(new BackupIdTakenException("zeebe", 7, "latest is 9"), jobWithRetries(3), "Take Zeebe backup", BACKOFF);
    assertThat(mapped).isInstanceOfSatisfying(BpmnError.class, e -> {
      assertThat(e.getErrorCode()).isEqualTo(BpmnErrors.BACKUP_FAILED);
      assertThat(e.getErrorMessage()).contains("refused backup ID 7");
    });
  }

  @Test
  void mapsAnUnknownClusterToAnInvalidRequest() {
    RuntimeException mapped = StepFailures.of(new UnknownClusterException("x", Set.of("prod")), jobWithRetries(3), "Prepare", BACKOFF);
    assertThat(mapped).isInstanceOfSatisfying(BpmnError.class, e -> assertThat(e.getErrorCode()).isEqualTo(BpmnErrors.INVALID_REQUEST));
  }

  @Test
  void neverGoesBelowZeroRetries() {
    RuntimeException mapped = StepFailures.of(new ComponentUnavailableException("zeebe", 0, "refused", null), jobWithRetries(0), "Resume exporting", BACKOFF);
    assertThat(((JobError) mapped).getRetries()).isZero();
  }
}
