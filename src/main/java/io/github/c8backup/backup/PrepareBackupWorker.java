package io.github.c8backup.backup;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.cluster.ClusterConnection;
import io.github.c8backup.cluster.ComponentRequestRejectedException;
import io.github.c8backup.cluster.DetectedVersion;
import io.github.c8backup.cluster.UnknownClusterException;
import io.github.c8backup.cluster.zeebe.ZeebeBackup;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.TargetCluster;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * First step: checks the request, detects the cluster's version, decides which components take
 * part and picks the backup ID, all before anything on the cluster changes.
 */
@Component
public class PrepareBackupWorker {

  private final ClusterSteps steps;

  PrepareBackupWorker(ClusterSteps steps) {
    this.steps = steps;
  }

  @JobWorker(type = JobTypes.PREPARE)
  public Map<String, Object> prepare(ActivatedJob job, @Variable(name = "cluster") String cluster, @Variable(name = "backupId") Long requestedId) {
    if (cluster == null || cluster.isBlank()) {
      throw StepFailures.invalidRequest("No cluster given: start the backup with variable 'cluster', one of " + steps.clusters().names());
    }
    try {
      TargetCluster settings = steps.clusters().settings(cluster);
      DetectedVersion version = steps.clusters().detectVersion(cluster);
      if (settings.usesRdbms()) {
        return prepareRdbms(cluster, settings, version, requestedId);
      }
      ClusterConnection connection = steps.clusters().connect(cluster, version.flavour());
      Components components = components(cluster, version.flavour(), connection);
      List<ZeebeBackup> existing = connection.zeebe().backups();
      List<String> unfit = ClusterFitness.problems(connection, existing);
      if (!unfit.isEmpty()) {
        throw StepFailures.notReady("Cluster " + cluster + " is not fit for a backup now, so nothing was paused or taken: "
            + String.join("; ", unfit) + ". The next request or scheduled run checks again.");
      }
      long backupId;
      if (requestedId != null) {
        String rejection = BackupIdPolicy.rejectRequested(requestedId, existing);
        if (rejection != null) {
          throw StepFailures.invalidRequest(rejection);
        }
        backupId = requestedId;
      } else {
        backupId = BackupIdPolicy.next(existing, steps.clock());
      }
      Map<String, Object> variables = new LinkedHashMap<>();
      variables.put("backupId", backupId);
      variables.put("previousBackupId", BackupIdPolicy.latest(existing).isPresent() ? BackupIdPolicy.latest(existing).getAsLong() : null);
      variables.put("camundaVersion", version.flavour().minor());
      variables.put("exactVersion", version.exactVersion());
      variables.put("versionSource", version.source());
      variables.put("pauseExportingFirst", version.flavour().pausesExportingFirst());
      variables.put("components", components);
      variables.put("secondaryStorage", secondaryStorage(settings));
      variables.put("pollInterval", settings.timeouts().pollInterval().toString());
      variables.put("webappsDeadline", settings.timeouts().webappsDeadline().toString());
      variables.put("recordsSnapshotDeadline", settings.timeouts().recordsSnapshotDeadline().toString());
      variables.put("zeebeDeadline", settings.timeouts().zeebeDeadline().toString());
      variables.put("pauseBound", settings.timeouts().pauseBound().toString());
      variables.put("incompleteGrace", settings.timeouts().incompleteGrace().toString());
      variables.put("watchdogCheckInterval", settings.timeouts().watchdogCheckInterval().toString());
      variables.put("startedAt", steps.now());
      return variables;
    } catch (UnknownClusterException e) {
      throw StepFailures.invalidRequest(e.getMessage());
    } catch (ComponentRequestRejectedException e) {
      // before anything changed: a misconfigured component rejects the request, it does not fail a backup
      throw StepFailures.invalidRequest("Cluster " + cluster + ": " + e.component() + " answered HTTP " + e.httpStatus() + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw steps.failure(e, job, "Prepare backup of " + cluster);
    }
  }

  /**
   * The RDBMS path (reference 6.3): 8.9 only, and no backup ID, because Zeebe generates it. Nothing
   * is paused on this path, so there is no reachability probe beyond the version detection.
   */
  private Map<String, Object> prepareRdbms(String cluster, TargetCluster settings, DetectedVersion version, Long requestedId) {
    if (version.flavour() != CamundaVersion.V8_9) {
      throw StepFailures.invalidRequest("Cluster " + cluster + " is configured with secondary-storage rdbms, which needs Camunda 8.9,"
          + " but it runs " + version.exactVersion() + " (" + version.source() + ")");
    }
    if (requestedId != null) {
      throw StepFailures.invalidRequest("Cluster " + cluster + " uses continuous backups (RDBMS): Zeebe generates backup IDs;"
          + " start the backup without backupId");
    }
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("secondaryStorage", "RDBMS");
    variables.put("camundaVersion", version.flavour().minor());
    variables.put("exactVersion", version.exactVersion());
    variables.put("versionSource", version.source());
    variables.put("components", new Components(false, false, false, false, false));
    variables.put("pollInterval", settings.timeouts().pollInterval().toString());
    variables.put("zeebeDeadline", settings.timeouts().zeebeDeadline().toString());
    variables.put("startedAt", steps.now());
    return variables;
  }

  private static String secondaryStorage(TargetCluster settings) {
    if (settings.secondaryStorage() != null) {
      return settings.secondaryStorage().name();
    }
    return settings.search() != null && settings.search().type() != null ? settings.search().type().name() : "SEARCH";
  }

  private static Components components(String cluster, CamundaVersion version, ClusterConnection connection) {
    if (version.alwaysSnapshotsRecords() && connection.settings().search() == null) {
      throw StepFailures.invalidRequest("Cluster '" + cluster + "' runs Camunda " + version
          + ", whose backups include a snapshot of the zeebe-record indices: configure orchestrator.clusters."
          + cluster + ".search (URL and snapshot repository)");
    }
    return Components.of(version, connection);
  }
}
