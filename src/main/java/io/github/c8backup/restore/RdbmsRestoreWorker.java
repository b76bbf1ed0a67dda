package io.github.c8backup.restore;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.annotation.VariablesAsType;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.backup.BpmnErrors;
import io.github.c8backup.backup.ClusterSteps;
import io.github.c8backup.backup.StepFailures;
import io.github.c8backup.cluster.ClusterConnection;
import io.github.c8backup.cluster.ComponentUnavailableException;
import io.github.c8backup.cluster.zeebe.BackupRuntimeState;
import io.github.c8backup.database.BaseBackup;
import io.github.c8backup.database.ClusterDatabases;
import io.github.c8backup.database.DatabaseBackups;
import io.github.c8backup.database.RecoverableWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * The RDBMS path of {@code camunda-restore} (8.9, reference 7.5): restore to a point in time.
 * The preflight proves the point lies in the database's recoverable window and, on every
 * partition, in one Zeebe backup range ({@link RecoveryPoints}), and that the platform can do it;
 * otherwise it refuses with the nearest valid moments and nothing changes. After the approval and
 * the stop, the database is recovered first, then the brokers restore with {@code --to} equal to
 * the database's point (never earlier, reference 7.5) or, for "latest", in the default mode that
 * aligns to the database's {@code EXPORTER_POSITION}.
 */
@Component
public class RdbmsRestoreWorker {

  private final ClusterSteps steps;
  private final ClusterPlatforms platforms;
  private final ClusterDatabases databases;

  public RdbmsRestoreWorker(ClusterSteps steps, ClusterPlatforms platforms, ClusterDatabases databases) {
    this.steps = steps;
    this.platforms = platforms;
    this.databases = databases;
  }

  @JobWorker(type = RestoreJobTypes.RDBMS_PREFLIGHT)
  public Map<String, Object> preflight(ActivatedJob job, @VariablesAsType RestoreRun run) {
    try {
      Instant requested = PointInTime.parse(run.pointInTime());
      ClusterConnection connection = steps.connect(run.cluster(), run.camundaVersion());
      List<String> problems = new ArrayList<>();

      Optional<ClusterPlatform> platform = Optional.empty();
      try {
        platform = platforms.platform(run.cluster());
      } catch (IllegalStateException e) {
        problems.add(e.getMessage());
      }
      platform.flatMap(ClusterPlatform::rdbmsRestoreUnsupported).ifPresent(problems::add);

      BackupRuntimeState state = connection.zeebe().runtimeState();
      int partitions = partitionCount(connection, state, problems);
      DatabaseBackups database = databases.of(run.cluster());
      Optional<RecoverableWindow> window = database.recoverableWindow();
      RecoveryPoints.Verdict verdict = RecoveryPoints.of(window, state, partitions).check(requested);
      if (!verdict.accepted()) {
        problems.add(verdict.reason());
      }
      if (!problems.isEmpty()) {
        throw StepFailures.bpmnError(BpmnErrors.PREFLIGHT_FAILED, "Restore of cluster " + run.cluster() + " to " + run.pointInTime()
            + " refused, nothing was changed: " + String.join("; ", problems));
      }

      String point = verdict.recoveryPoint().toString();
      String zeebeMode = requested == null
          ? "default mode (no parameter): per partition from the backup at or before the database's EXPORTER_POSITION, then the range's later backups"
          : "--to=" + point + " (the database's own point, never earlier)";
      String kind = platforms.kind(run.cluster());
      List<String> platformSteps = platform.map(p -> p.describeRdbmsRestore(requested, partitions))
          .orElseGet(() -> List.of("manual: a person recovers the database and runs the restore application on every broker (instructions in the tasks)"));
      RdbmsRestorePlan plan = new RdbmsRestorePlan(run.pointInTime(), point, window.orElseThrow().describe(),
          verdict.restorable().stream().map(RecoveryPoints.Span::toString).toList(), partitions, kind, zeebeMode, platformSteps);

      Map<String, Object> variables = new LinkedHashMap<>();
      variables.put("rdbmsRestorePlan", plan);
      variables.put("restorePlanText", plan.asText(run.cluster()));
      variables.put("recoveryPoint", point);
      variables.put("partitionCount", partitions);
      if (platform.isEmpty()) {
        variables.put("instructions", ManualInstructions.rdbms(run.cluster(), connection, plan, baseBackupFor(database, verdict.recoveryPoint())));
      }
      return variables;
    } catch (RuntimeException e) {
      throw steps.failure(e, job, "Preflight of the point-in-time restore of " + run.cluster());
    }
  }

  /** The gateway's topology when configured, else the partitions Zeebe's backup state reports. */
  private static int partitionCount(ClusterConnection connection, BackupRuntimeState state, List<String> problems) {
    if (connection.gateway().isPresent()) {
      try {
        return connection.gateway().get().topology().partitionsCount();
      } catch (ComponentUnavailableException e) {
        problems.add("the cluster's gateway does not answer (" + e.getMessage() + "); start it so the preflight can check the partition count");
      }
    }
    return Stream.concat(state.backupStates().stream().map(BackupRuntimeState.Checkpoint::partitionId),
            state.ranges().stream().map(BackupRuntimeState.BackupRange::partitionId))
        .max(Comparator.naturalOrder()).orElse(1);
  }

  /** The newest base backup complete at the point: the one the database is recovered from. */
  private static Optional<BaseBackup> baseBackupFor(DatabaseBackups database, Instant point) {
    return database.baseBackups().stream()
        .filter(b -> !b.finishedAt().isAfter(point))
        .max(Comparator.comparing(BaseBackup::finishedAt));
  }

  /**
   * Recovers the database to the preflight's {@code recoveryPoint}, also for "latest": the
   * database's archive usually runs past Zeebe's newest backup (the exporter commits between
   * backups), and a database recovered past it is ahead of every backup, which the restore
   * application's default mode refuses, with the cluster already stopped.
   */
  @JobWorker(type = RestoreJobTypes.RECOVER_DATABASE)
  public Map<String, Object> recoverDatabase(ActivatedJob job, @Variable(name = "cluster") String cluster, @Variable(name = "pointInTime") String pointInTime,
      @Variable(name = "recoveryPoint") String recoveryPoint) {
    try {
      platform(cluster).recoverDatabase(Instant.parse(recoveryPoint));
      return Map.of("databaseRecoveredAt", steps.now());
    } catch (RuntimeException e) {
      throw steps.incident(e, job, "Recover the database of " + cluster + " to " + pointInTime);
    }
  }

  @JobWorker(type = RestoreJobTypes.RESTORE_BROKERS_RDBMS)
  public Map<String, Object> restoreBrokers(ActivatedJob job, @Variable(name = "cluster") String cluster, @Variable(name = "pointInTime") String pointInTime) {
    try {
      List<String> brokers = platform(cluster).restoreBrokersRdbms(PointInTime.parse(pointInTime));
      return Map.of("brokerRestore", brokers, "brokersRestoredAt", steps.now());
    } catch (RuntimeException e) {
      throw steps.incident(e, job, "Restore the brokers of " + cluster + " (RDBMS mode) to " + pointInTime);
    }
  }

  private ClusterPlatform platform(String cluster) {
    return platforms.platform(cluster).orElseThrow(() -> new IllegalStateException(
        "cluster " + cluster + " has platform type manual; this step should have been a user task"));
  }
}
