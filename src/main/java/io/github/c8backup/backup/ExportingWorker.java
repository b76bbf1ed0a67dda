package io.github.c8backup.backup;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.api.response.ActivatedJob;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Soft-pauses and resumes Zeebe exporting. Only the soft pause is used: it keeps exporters
 * running but freezes the exported position, and a hard pause on top of it corrupts broker state
 * (camunda/camunda#55838). Resume is idempotent, so the rollback path calls it whether or not the
 * pause happened.
 */
@Component
public class ExportingWorker {

  private final ClusterSteps steps;

  ExportingWorker(ClusterSteps steps) {
    this.steps = steps;
  }

  @JobWorker(type = JobTypes.SOFT_PAUSE_EXPORTING)
  public Map<String, Object> softPause(ActivatedJob job, @Variable(name = "cluster") String cluster, @Variable(name = "camundaVersion") String version) {
    try {
      steps.connect(cluster, version).zeebe().softPauseExporting();
      return Map.of("exportingPausedAt", steps.now());
    } catch (RuntimeException e) {
      throw steps.failure(e, job, "Soft-pause exporting");
    }
  }

  @JobWorker(type = JobTypes.RESUME_EXPORTING)
  public Map<String, Object> resume(
      ActivatedJob job,
      @Variable(name = "cluster") String cluster,
      @Variable(name = "camundaVersion") String version,
      @Variable(name = "exportingPausedAt") Long pausedAt) {
    try {
      steps.connect(cluster, version).zeebe().resumeExporting();
      long now = steps.now();
      Map<String, Object> variables = new LinkedHashMap<>();
      variables.put("exportingResumedAt", now);
      if (pausedAt != null) {
        variables.put("exportingPausedMillis", now - pausedAt);
      }
      return variables;
    } catch (RuntimeException e) {
      throw steps.failure(e, job, "Resume exporting");
    }
  }
}
