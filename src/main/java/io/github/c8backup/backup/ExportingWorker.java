package io.github.c8backup.backup;

import io.camunda.client.CamundaClient;
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
 * pause happened. Each pause starts an exporting watchdog instance and each resume stops it.
 */
@Component
public class ExportingWorker {

  /** Messages of {@code bpmn/exporting-watchdog.bpmn}, correlated by cluster name. */
  static final String WATCHDOG_START = "exporting-paused";
  static final String WATCHDOG_STOP = "exporting-resumed";

  private final ClusterSteps steps;
  private final CamundaClient client;

  ExportingWorker(ClusterSteps steps, CamundaClient client) {
    this.steps = steps;
    this.client = client;
  }

  @JobWorker(type = JobTypes.SOFT_PAUSE_EXPORTING)
  public Map<String, Object> softPause(
      ActivatedJob job,
      @Variable(name = "cluster") String cluster,
      @Variable(name = "camundaVersion") String version,
      @Variable(name = "backupId") Long backupId,
      @Variable(name = "pauseBound") String pauseBound,
      @Variable(name = "watchdogCheckInterval") String checkInterval,
      @Variable(name = "components") Components components) {
    try {
      steps.connect(cluster, version).zeebe().softPauseExporting();
      // the watchdog is a separate instance: it outlives a cancelled or stuck backup instance
      Map<String, Object> watchdog = new java.util.LinkedHashMap<>();
      watchdog.put("cluster", cluster);
      watchdog.put("camundaVersion", version);
      watchdog.put("backupId", backupId);
      watchdog.put("pauseBound", pauseBound == null ? "PT1H" : pauseBound);
      watchdog.put("watchdogCheckInterval", checkInterval == null ? "PT1M" : checkInterval);
      watchdog.put("backupInstanceKey", job.getProcessInstanceKey());
      watchdog.put("components", components);
      client.newPublishMessageCommand().messageName(WATCHDOG_START).correlationKey(cluster)
          .timeToLive(java.time.Duration.ZERO).variables(watchdog).send().join();
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
      @Variable(name = "exportingPausedAt") Long pausedAt,
      @Variable(name = "exportingResumedAt") Long resumedAt) {
    try {
      steps.connect(cluster, version).zeebe().resumeExporting();
      client.newPublishMessageCommand().messageName(WATCHDOG_STOP).correlationKey(cluster)
          .timeToLive(java.time.Duration.ZERO).variables(Map.of("cluster", cluster)).send().join();
      if (pausedAt != null && resumedAt != null && resumedAt >= pausedAt) {
        // the rollback resumes again after a resume that already ran: the pause ended back then
        return Map.of();
      }
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
