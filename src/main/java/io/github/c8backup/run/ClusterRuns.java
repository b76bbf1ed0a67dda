package io.github.c8backup.run;

import io.camunda.client.CamundaClient;
import io.github.c8backup.cluster.TargetClusters;
import io.github.c8backup.cluster.UnknownClusterException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Asks the control engine for a run (backup or restore) of one cluster. Every request, from the
 * API or a schedule, is the same message to {@code camunda-cluster-run}, correlated on the
 * cluster name: Zeebe starts a message start event at most once per correlation key while an
 * instance it started is active, so two runs of one cluster never overlap, and that guarantee
 * lives in the engine, not in this process. A request that finds a run in progress is caught by
 * that run's event sub-process and recorded there (visible in Operate, counted); with a time to
 * live of zero nothing is ever queued.
 */
@Component
public class ClusterRuns {

  public static final String MESSAGE_NAME = "camunda-cluster-run-requested";
  /** Whether the cluster has a retention policy: a backup run then applies it after a completed backup. */
  public static final String RETENTION_CONFIGURED = "retentionConfigured";

  /** What a run does; the {@code operation} variable the run process branches on. */
  public enum Operation {
    BACKUP, RESTORE, RETENTION;

    public String variable() {
      return name().toLowerCase();
    }
  }

  private final CamundaClient client;
  private final TargetClusters clusters;

  ClusterRuns(CamundaClient client, TargetClusters clusters) {
    this.client = client;
    this.clusters = clusters;
  }

  /** A published request: its ID (the run's variable {@code requestId}) and the message's key. */
  public record Request(String requestId, long messageKey) {}

  /**
   * Publishes the request. Whether it started a run or was skipped is
   * decided by the engine and shows in Operate ({@code camunda-cluster-run}).
   *
   * @param parameters the operation's own start variables (backupId, pointInTime, ...)
   * @param requestedBy who asked: {@code api}, {@code schedule}, ...
   */
  public Request request(String cluster, Operation operation, String requestedBy, Map<String, Object> parameters) {
    String requestId = UUID.randomUUID().toString();
    Map<String, Object> variables = new LinkedHashMap<>(parameters);
    variables.put("requestId", requestId);
    variables.put("cluster", cluster);
    variables.put("operation", operation.variable());
    variables.put("requestedBy", requestedBy);
    variables.put("requestedAt", Instant.now().toString());
    variables.put(RETENTION_CONFIGURED, hasRetentionPolicy(cluster));
    long messageKey = client.newPublishMessageCommand()
        .messageName(MESSAGE_NAME)
        .correlationKey(cluster)
        .timeToLive(Duration.ZERO)
        .variables(variables)
        .send()
        .join()
        .getMessageKey();
    return new Request(requestId, messageKey);
  }

  private boolean hasRetentionPolicy(String cluster) {
    try {
      return clusters.settings(cluster).hasRetentionPolicy();
    } catch (UnknownClusterException e) {
      return false; // the run's own first step refuses the unknown cluster with its name
    }
  }
}
