package io.github.c8backup.backup;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.VariablesAsType;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.cluster.ClusterConnection;
import io.github.c8backup.cluster.ComponentBackup;
import io.github.c8backup.cluster.ComponentBackupState;
import io.github.c8backup.cluster.SnapshotDetail;
import io.github.c8backup.cluster.search.SnapshotInfo;
import io.github.c8backup.cluster.search.SnapshotState;
import io.github.c8backup.cluster.zeebe.PartitionBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackupState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The last step asks every component again, instead of trusting what the run remembers: Zeebe
 * COMPLETED on every partition, every web app and Optimize snapshot SUCCESS, the records snapshot
 * SUCCESS. Anything else fails the backup, and the rollback removes it.
 */
@Component
public class VerifyBackupWorker {

  private final ClusterSteps steps;

  VerifyBackupWorker(ClusterSteps steps) {
    this.steps = steps;
  }

  @JobWorker(type = JobTypes.VERIFY_BACKUP)
  public Map<String, Object> verify(ActivatedJob job, @VariablesAsType BackupRun run) {
    try {
      long id = run.requireBackupId();
      ClusterConnection connection = steps.connect(run);
      List<String> problems = new ArrayList<>();
      Map<String, Object> verified = new LinkedHashMap<>();

      ZeebeBackup zeebe = connection.zeebe().backup(id);
      if (zeebe.state() != ZeebeBackupState.COMPLETED || zeebe.partitions().isEmpty()
          || zeebe.partitions().stream().anyMatch(p -> p.state() != ZeebeBackupState.COMPLETED)) {
        problems.add("Zeebe backup is " + zeebe.state() + " " + zeebe.partitions().stream()
            .map(p -> "partition " + p.partitionId() + "=" + p.state()).toList());
      }
      verified.put("zeebe", Map.of(
          "state", zeebe.state().name(),
          "partitions", zeebe.partitions().size(),
          "brokerVersions", zeebe.partitions().stream().map(PartitionBackup::brokerVersion).filter(v -> v != null).distinct().toList()));

      checkComponent(problems, verified, "operate", run.operateBackup(), connection.operate().map(api -> api.backup(id)));
      checkComponent(problems, verified, "tasklist", run.tasklistBackup(), connection.tasklist().map(api -> api.backup(id)));
      checkComponent(problems, verified, "webapps", run.webappsBackup(), connection.webapps().map(api -> api.backup(id)));
      checkComponent(problems, verified, "optimize", run.optimizeBackup(), connection.optimize().map(api -> api.backup(id)));

      if (run.recordsSnapshot() != null) {
        String name = RecordsSnapshotWorker.snapshotName(id);
        Optional<SnapshotInfo> info = connection.search().map(api -> api.snapshot(name));
        SnapshotState state = info.map(SnapshotInfo::state).orElse(SnapshotState.DOES_NOT_EXIST);
        if (state != SnapshotState.SUCCESS) {
          problems.add("records snapshot " + name + " is " + state);
        }
        verified.put("recordsSnapshot", Map.of("state", state.name(), "snapshot", name));
      }

      if (!problems.isEmpty()) {
        throw StepFailures.failed("Backup " + id + " of cluster " + run.cluster() + " is not complete: " + String.join("; ", problems));
      }
      Map<String, Object> variables = new LinkedHashMap<>();
      variables.put("verification", verified);
      variables.put("outcome", "COMPLETED");
      variables.put("finishedAt", steps.now());
      return variables;
    } catch (RuntimeException e) {
      throw steps.failure(e, job, "Verify backup");
    }
  }

  private static void checkComponent(
      List<String> problems, Map<String, Object> verified, String component, StepOutcome started, Optional<ComponentBackup> current) {
    if (started == null) {
      return;
    }
    ComponentBackup backup = current.orElse(null);
    if (backup == null) {
      problems.add(component + " is no longer configured");
      return;
    }
    List<String> notSuccessful = backup.details().stream()
        .filter(d -> !"SUCCESS".equals(d.state()))
        .map(d -> d.snapshotName() + "=" + d.state())
        .toList();
    List<String> names = backup.details().stream().map(SnapshotDetail::snapshotName).toList();
    if (backup.state() != ComponentBackupState.COMPLETED || backup.details().isEmpty() || !notSuccessful.isEmpty()) {
      problems.add(component + " backup is " + backup.state() + (notSuccessful.isEmpty() ? "" : " " + notSuccessful));
    }
    if (started.snapshots() != null && !started.snapshots().isEmpty() && !names.containsAll(started.snapshots())) {
      List<String> missing = started.snapshots().stream().filter(n -> !names.contains(n)).toList();
      problems.add(component + " is missing scheduled snapshots " + missing);
    }
    verified.put(component, Map.of("state", backup.state().name(), "snapshots", names));
  }
}
