package io.github.c8backup.backup;

import io.camunda.client.CamundaClient;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.api.response.ActivatedJob;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The exporting watchdog's resume: exporting stayed soft-paused past the bound (the backup is too
 * slow or stuck in an incident), or the backup instance ended without resuming it (cancelled in
 * Operate), so it is resumed now, because a paused exporter stops log compaction and fills the
 * brokers' disks. The backup instance, if it still runs, is told so and voids its backup.
 */
@Component
public class WatchdogResumeWorker {

  static final String RESUMED_BY_WATCHDOG = "exporting-resumed-by-watchdog";
  private static final Logger LOG = LoggerFactory.getLogger(WatchdogResumeWorker.class);

  private final ClusterSteps steps;
  private final CamundaClient client;

  public WatchdogResumeWorker(ClusterSteps steps, CamundaClient client) {
    this.steps = steps;
    this.client = client;
  }

  @JobWorker(type = JobTypes.WATCHDOG_RESUME_EXPORTING)
  public Map<String, Object> resume(
      ActivatedJob job,
      @Variable(name = "cluster") String cluster,
      @Variable(name = "camundaVersion") String version,
      @Variable(name = "backupId") Long backupId,
      @Variable(name = "pauseBound") String pauseBound,
      @Variable(name = "backupInstanceKey") Long backupInstanceKey,
      @Variable(name = "watchdogReason") String reason) {
    try {
      steps.connect(cluster, version).zeebe().resumeExporting();
    } catch (RuntimeException e) {
      throw steps.incident(e, job, "Watchdog: resume exporting of " + cluster);
    }
    String why = reason != null ? reason : "exporting stayed soft-paused longer than " + pauseBound + " during backup " + backupId;
    LOG.warn("Cluster {}: {} (backup instance {}); the exporting watchdog resumed exporting", cluster, why, backupInstanceKey);
    client.newPublishMessageCommand().messageName(RESUMED_BY_WATCHDOG).correlationKey(cluster)
        .timeToLive(Duration.ZERO).variables(Map.of("cluster", cluster)).send().join();
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("resumedByWatchdogAt", steps.now());
    variables.put("watchdogReason", why);
    return variables;
  }
}
