package io.github.c8backup.restore;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.exception.CamundaError;
import io.github.c8backup.backup.ClusterSteps;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The infrastructure steps of a restore on a platform we drive (Kubernetes, the sandbox): thin
 * calls into the cluster's {@link ClusterPlatform}. After the approval there is no rollback: a
 * failure raises an incident, a person fixes it and retries the step; the platform's methods are
 * idempotent, so a retry or a restarted orchestrator simply continues.
 */
@Component
public class PlatformStepsWorker {

  private final ClusterSteps steps;
  private final ClusterPlatforms platforms;

  public PlatformStepsWorker(ClusterSteps steps, ClusterPlatforms platforms) {
    this.steps = steps;
    this.platforms = platforms;
  }

  private ClusterPlatform platform(String cluster) {
    return platforms.platform(cluster).orElseThrow(() -> new IllegalStateException(
        "cluster " + cluster + " has platform type manual; this step should have been a user task"));
  }

  @JobWorker(type = RestoreJobTypes.STOP_COMPONENTS)
  public Map<String, Object> stop(ActivatedJob job, @Variable(name = "cluster") String cluster) {
    try {
      platform(cluster).stopComponents();
      return Map.of("componentsStoppedAt", steps.now());
    } catch (RuntimeException e) {
      throw steps.incident(e, job, "Stop components of " + cluster);
    }
  }

  @JobWorker(type = RestoreJobTypes.CHECK_COMPONENTS_STOPPED)
  public Map<String, Object> checkStopped(ActivatedJob job, @Variable(name = "cluster") String cluster) {
    try {
      return Map.of("componentsStopped", platform(cluster).componentsStopped());
    } catch (RuntimeException e) {
      throw steps.incident(e, job, "Check that the components of " + cluster + " stopped");
    }
  }

  @JobWorker(type = RestoreJobTypes.START_BROKER_RESTORE)
  public Map<String, Object> startBrokerRestore(ActivatedJob job, @Variable(name = "cluster") String cluster, @Variable(name = "backupId") Long backupId) {
    try {
      platform(cluster).startBrokerRestore(backupId);
      return Map.of("brokerRestoreStartedAt", steps.now());
    } catch (RuntimeException e) {
      throw steps.incident(e, job, "Restore the brokers of " + cluster);
    }
  }

  @JobWorker(type = RestoreJobTypes.CHECK_BROKER_RESTORE)
  public Map<String, Object> checkBrokerRestore(ActivatedJob job, @Variable(name = "cluster") String cluster, @Variable(name = "backupId") Long backupId) {
    ClusterPlatform.BrokerRestore restore;
    try {
      restore = platform(cluster).brokerRestore(backupId);
    } catch (RuntimeException e) {
      throw steps.incident(e, job, "Check the broker restore of " + cluster);
    }
    if (restore.state() == ClusterPlatform.BrokerRestore.State.FAILED) {
      throw CamundaError.jobError("The Zeebe restore of cluster " + cluster + " from backup " + backupId + " failed: "
          + restore.failureReason() + " " + restore.brokers()
          + ". Fix the cause (data directory not empty? backup store reachable? same partition count?), then retry this step.",
          Map.of("brokerRestore", restore), 0);
    }
    return Map.of("brokerRestore", restore, "brokersRestored", restore.state() == ClusterPlatform.BrokerRestore.State.COMPLETED);
  }

  @JobWorker(type = RestoreJobTypes.START_COMPONENTS)
  public Map<String, Object> start(ActivatedJob job, @Variable(name = "cluster") String cluster) {
    try {
      platform(cluster).startComponents();
      return Map.of("componentsStartedAt", steps.now());
    } catch (RuntimeException e) {
      throw steps.incident(e, job, "Start components of " + cluster);
    }
  }
}
