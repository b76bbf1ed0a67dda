package io.github.c8backup.restore;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.backup.ClusterSteps;
import io.github.c8backup.backup.Components;
import io.github.c8backup.backup.StepFailures;
import io.github.c8backup.cluster.ClusterConnection;
import io.github.c8backup.cluster.DetectedVersion;
import io.github.c8backup.cluster.UnknownClusterException;
import io.github.c8backup.cluster.zeebe.ZeebeBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackupState;
import io.github.c8backup.config.TargetCluster;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Turns the request ({@code backupId}: a number or "latest") into one backup ID. "latest" is the
 * newest ID that every component configured for the cluster holds complete, found by asking the
 * components. Reads only.
 */
@Component
public class ResolveBackupWorker {

  /** How many of the newest Zeebe backups "latest" looks at before giving up. */
  static final int LATEST_CANDIDATES = 20;

  private final ClusterSteps steps;
  private final ClusterPlatforms platforms;

  public ResolveBackupWorker(ClusterSteps steps, ClusterPlatforms platforms) {
    this.steps = steps;
    this.platforms = platforms;
  }

  @JobWorker(type = RestoreJobTypes.RESOLVE_BACKUP)
  public Map<String, Object> resolve(ActivatedJob job, @Variable(name = "cluster") String cluster, @Variable(name = "backupId") Object requested) {
    if (cluster == null || cluster.isBlank()) {
      throw StepFailures.invalidRequest("No cluster given: start the restore with variable 'cluster', one of " + steps.clusters().names());
    }
    try {
      TargetCluster settings = steps.clusters().settings(cluster);
      String platform = platforms.kind(cluster);
      if (settings.usesRdbms()) {
        return resolvePointInTime(job, cluster, settings, platform, requested);
      }
      Long explicit = parseBackupId(requested);
      DetectedVersion version = steps.clusters().detectVersion(cluster);
      ClusterConnection connection = steps.clusters().connect(cluster, version.flavour());
      Components components = Components.of(version.flavour(), connection);
      long backupId = explicit != null ? explicit : latestComplete(connection, components);

      Map<String, Object> variables = new LinkedHashMap<>();
      variables.put("backupId", backupId);
      variables.put("requestedBackup", String.valueOf(requested));
      variables.put("camundaVersion", version.flavour().minor());
      variables.put("exactVersion", version.exactVersion());
      variables.put("components", components);
      variables.put("platformKind", platform);
      variables.put("pollInterval", settings.timeouts().pollInterval().toString());
      variables.put("preApproved", Boolean.TRUE.equals(job.getVariablesAsMap().get("preApproved")));
      variables.put("secondaryStorage", "SEARCH");
      return variables;
    } catch (UnknownClusterException e) {
      throw StepFailures.invalidRequest(e.getMessage());
    } catch (RuntimeException e) {
      throw steps.failure(e, job, "Resolve backup of " + cluster);
    }
  }

  /**
   * An RDBMS cluster (8.9) is restored to a point in time (reference 7.5): no backup ID, because
   * Zeebe's continuous backups have generated IDs and the database is recovered by time.
   */
  private Map<String, Object> resolvePointInTime(ActivatedJob job, String cluster, TargetCluster settings, String platform, Object requestedBackup) {
    Map<String, Object> given = job.getVariablesAsMap();
    if (requestedBackup != null) {
      throw StepFailures.invalidRequest("Cluster " + cluster + " keeps its data in an RDBMS (8.9): it is restored to a point in time"
          + " (variable pointInTime: an ISO-8601 instant or 'latest'), not from backup ID '" + requestedBackup + "'");
    }
    String point;
    try {
      point = PointInTime.text(PointInTime.parse(given.get("pointInTime")));
    } catch (IllegalArgumentException e) {
      throw StepFailures.invalidRequest(e.getMessage());
    }
    DetectedVersion version = steps.clusters().detectVersion(cluster);
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("secondaryStorage", "RDBMS");
    variables.put("pointInTime", point);
    variables.put("camundaVersion", version.flavour().minor());
    variables.put("exactVersion", version.exactVersion());
    variables.put("platformKind", platform);
    variables.put("pollInterval", settings.timeouts().pollInterval().toString());
    variables.put("preApproved", Boolean.TRUE.equals(given.get("preApproved")));
    return variables;
  }

  /** A positive integer, or null for "latest"; anything else is refused. */
  static Long parseBackupId(Object requested) {
    if (requested == null || "latest".equalsIgnoreCase(String.valueOf(requested).trim())) {
      return null;
    }
    String text = String.valueOf(requested).trim();
    try {
      long id = requested instanceof Number n && n.doubleValue() == n.longValue() ? n.longValue() : Long.parseLong(text);
      if (id <= 0) {
        throw StepFailures.invalidRequest("Backup ID '" + text + "' is not a positive integer; give a backup ID or 'latest'");
      }
      return id;
    } catch (NumberFormatException e) {
      throw StepFailures.invalidRequest("Backup ID '" + text + "' is malformed; give a positive integer or 'latest'");
    }
  }

  private static long latestComplete(ClusterConnection connection, Components components) {
    List<Long> candidates = connection.zeebe().backups().stream()
        .filter(b -> b.state() == ZeebeBackupState.COMPLETED)
        .map(ZeebeBackup::backupId)
        .sorted(Comparator.reverseOrder())
        .limit(LATEST_CANDIDATES)
        .toList();
    StringBuilder rejected = new StringBuilder();
    for (long id : candidates) {
      BackupInventory.Contents contents = BackupInventory.inspect(connection, components, id);
      if (contents.complete()) {
        return id;
      }
      rejected.append("\n  ").append(id).append(": ").append(String.join("; ", contents.problems()));
    }
    throw StepFailures.invalidRequest("No backup of cluster " + connection.name() + " is complete in every component"
        + (candidates.isEmpty() ? " (Zeebe lists no completed backup)" : ":" + rejected));
  }
}
