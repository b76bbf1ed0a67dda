package io.github.c8backup.restore;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.VariablesAsType;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.backup.BpmnErrors;
import io.github.c8backup.backup.ClusterSteps;
import io.github.c8backup.backup.Components;
import io.github.c8backup.backup.StepFailures;
import io.github.c8backup.cluster.ClusterConnection;
import io.github.c8backup.cluster.ComponentUnavailableException;
import io.github.c8backup.cluster.search.SnapshotApi;
import io.github.c8backup.cluster.zeebe.Topology;
import io.github.c8backup.config.CamundaVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/**
 * The last step before anything destructive: proves the backup complete in every component and
 * compatible with the cluster (same Camunda version, same partition count), checks the snapshot
 * repository and the Zeebe store answer, and writes the plan that the approval shows and the
 * restore follows. Any problem ends the process here, with the target untouched.
 */
@Component
public class PreflightWorker {

  private final ClusterSteps steps;
  private final ClusterPlatforms platforms;

  public PreflightWorker(ClusterSteps steps, ClusterPlatforms platforms) {
    this.steps = steps;
    this.platforms = platforms;
  }

  @JobWorker(type = RestoreJobTypes.PREFLIGHT)
  public Map<String, Object> preflight(ActivatedJob job, @VariablesAsType RestoreRun run) {
    try {
      long id = run.requireBackupId();
      CamundaVersion version = CamundaVersion.parse(run.camundaVersion());
      ClusterConnection connection = steps.connect(run.cluster(), run.camundaVersion());
      Components components = run.components();
      List<String> problems = new ArrayList<>();

      BackupInventory.Contents contents = BackupInventory.inspect(connection, components, id);
      problems.addAll(contents.problems());

      Topology topology = topology(connection, problems);
      String clusterVersion = topology == null ? null : topology.gatewayVersion();
      if (contents.versions().size() > 1) {
        problems.add("the backup's parts come from different Camunda versions " + contents.versions());
      }
      String backupVersion = contents.versions().stream().findFirst().orElse(null);
      if (backupVersion == null) {
        problems.add("the backup names no Camunda version (no broker version, no versioned snapshot)");
      } else if (clusterVersion != null && !clusterVersion.equals(backupVersion)) {
        problems.add("backup " + id + " was taken with Camunda " + backupVersion + " but the cluster runs " + clusterVersion
            + "; a restore needs exactly the same version (reference 7.1)");
      }
      if (topology != null && contents.partitions() > 0 && topology.partitionsCount() != contents.partitions()) {
        problems.add("backup " + id + " has " + contents.partitions() + " partitions but the cluster has "
            + topology.partitionsCount() + "; the restore application refuses a different partition count");
      }
      Optional<SnapshotApi> search = connection.search();
      List<String> prefixes = RestoreIndices.prefixes(version, components, connection.settings().search());
      List<String> existing = search.map(api -> RestoreIndices.existing(api, prefixes)).orElse(List.of());
      if (!contents.snapshotsInOrder().isEmpty() && search.isEmpty()) {
        problems.add("the backup has snapshots but no search engine is configured for cluster " + run.cluster());
      }

      Optional<ClusterPlatform> platform;
      try {
        platform = platforms.platform(run.cluster());
      } catch (IllegalStateException e) {
        problems.add(e.getMessage());
        platform = Optional.empty();
      }

      if (!problems.isEmpty()) {
        throw StepFailures.bpmnError(BpmnErrors.PREFLIGHT_FAILED,
            "Restore of cluster " + run.cluster() + " from backup " + id + " refused, nothing was changed: " + String.join("; ", problems));
      }

      int partitions = contents.partitions();
      String kind = platforms.kind(run.cluster());
      List<String> brokerSteps = platform.map(p -> p.describe(id, partitions))
          .orElseGet(() -> List.of("manual: a person runs the Zeebe restore application on every broker (instructions in the task)"));
      RestorePlan plan = new RestorePlan(
          id, version.minor(), backupVersion, partitions, kind,
          List.of("every Camunda component of cluster " + run.cluster() + " (brokers, gateway, web apps, Optimize, connectors); the search engine keeps running"),
          prefixes, existing, contents.snapshotsInOrder(), brokerSteps,
          List.of("every Camunda component of cluster " + run.cluster() + ", then wait for health and a leader on each of " + partitions + " partitions"));

      Map<String, Object> variables = new LinkedHashMap<>();
      variables.put("restorePlan", plan);
      variables.put("restorePlanText", plan.asText());
      variables.put("backupVersion", backupVersion);
      variables.put("partitionCount", partitions);
      if (platform.isEmpty()) {
        variables.put("instructions", ManualInstructions.of(run.cluster(), connection, plan));
      }
      return variables;
    } catch (RuntimeException e) {
      throw steps.failure(e, job, "Preflight of the restore of " + run.cluster());
    }
  }

  private static Topology topology(ClusterConnection connection, List<String> problems) {
    if (connection.gateway().isEmpty()) {
      problems.add("cannot check the cluster's version and partition count: configure orchestrator.clusters."
          + connection.name() + ".zeebe-rest (the gateway's REST API)");
      return null;
    }
    try {
      return connection.gateway().get().topology();
    } catch (ComponentUnavailableException e) {
      problems.add("the cluster's gateway does not answer (" + e.getMessage() + "); start it so the preflight can check the version and partition count");
      return null;
    }
  }

}
