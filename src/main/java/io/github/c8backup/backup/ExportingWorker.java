package io.github.c8backup.backup;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.cluster.TargetClusters;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.OrchestratorProperties;
import java.time.Clock;
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

  private final TargetClusters clusters;
  private final Clock clock;
  private final OrchestratorProperties properties;

  ExportingWorker(TargetClusters clusters, Clock clock, OrchestratorProperties properties) {
    this.clusters = clusters;
    this.clock = clock;
    this.properties = properties;
  }

  @JobWorker(type = JobTypes.SOFT_PAUSE_EXPORTING)
  public Map<String, Object> softPause(ActivatedJob job, @Variable(name = "cluster") String cluster, @Variable(name = "camundaVersion") String version) {
    try {
      clusters.connect(cluster, CamundaVersion.parse(version)).zeebe().softPauseExporting();
      return Map.of("exportingPausedAt", clock.millis());
    } catch (RuntimeException e) {
      throw StepFailures.of(e, job, "Soft-pause exporting", properties.retryBackoff());
    }
  }

  @JobWorker(type = JobTypes.RESUME_EXPORTING)
  public Map<String, Object> resume(
      ActivatedJob job,
      @Variable(name = "cluster") String cluster,
      @Variable(name = "camundaVersion") String version,
      @Variable(name = "exportingPausedAt") Long pausedAt) {
    try {
      clusters.connect(cluster, CamundaVersion.parse(version)).zeebe().resumeExporting();
      long now = clock.millis();
      Map<String, Object> variables = new LinkedHashMap<>();
      variables.put("exportingResumedAt", now);
      if (pausedAt != null) {
        variables.put("exportingPausedMillis", now - pausedAt);
      }
      return variables;
    } catch (RuntimeException e) {
      throw StepFailures.of(e, job, "Resume exporting", properties.retryBackoff());
    }
  }
}
