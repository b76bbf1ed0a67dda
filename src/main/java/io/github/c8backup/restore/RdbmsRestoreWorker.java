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
import io.github.c8backup.database.DatabaseHistory;
import io.github.c8backup.database.RecoverableWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
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
 *
 * <p>Histories: every point-in-time restore starts a new history of the cluster (PostgreSQL: a
 * timeline). A request targets the current history, so "latest" is the newest moment of the
 * current history and a time is read along it. A request naming an earlier history (to undo a
 * restore) is planned along that history: its database window, and its Zeebe backups from the
 * store's list, which the brokers are restored from with {@code --backupId} ({@link HistoryBackups}).
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
      List<DatabaseHistory> histories = database.histories();
      Optional<DatabaseHistory> earlier = earlierHistory(run, histories);
      if (run.history() != null && histories.stream().noneMatch(h -> h.number() == run.history())) {
        problems.add("the database has no history " + run.history());
      }
      Optional<RecoverableWindow> window;
      Optional<HistoryBackups> historyBackups = Optional.empty();
      RecoveryPoints.Verdict verdict;
      Instant point = null;
      List<Long> chain = null;
      if (earlier.isPresent()) {
        // back onto a history a restore left: its window, and its Zeebe backups from the store's list
        window = Optional.ofNullable(earlier.get().window());
        historyBackups = Optional.of(HistoryBackups.of(connection.zeebe().backups(), earlier.get(), partitions));
        verdict = RecoveryPoints.of(window, historyBackups.get().asRuntimeState(), partitions).check(requested);
        if (verdict.accepted()) {
          // --backupId lands exactly on a backup: the database goes to that backup's moment, never later
          Optional<HistoryBackups.Chain> found = historyBackups.get().chainTo(verdict.recoveryPoint());
          if (found.isEmpty() || window.isEmpty() || found.get().lastCheckpoint().isBefore(window.get().earliest())) {
            problems.add("history " + earlier.get().number() + " has no Zeebe backup at or before " + verdict.recoveryPoint()
                + " inside the database's window; restorable: " + verdict.restorable());
          } else {
            chain = found.get().backupIds();
            point = found.get().lastCheckpoint();
          }
        } else {
          problems.add(verdict.reason());
        }
      } else {
        window = database.recoverableWindow();
        verdict = RecoveryPoints.of(window, state, partitions).check(requested);
        if (verdict.accepted()) {
          point = verdict.recoveryPoint();
        } else {
          problems.add(verdict.reason());
        }
      }
      if (!problems.isEmpty()) {
        throw StepFailures.bpmnError(BpmnErrors.PREFLIGHT_FAILED, "Restore of cluster " + run.cluster() + " to " + run.pointInTime()
            + (run.history() == null ? "" : " on history " + run.history()) + " refused, nothing was changed: "
            + String.join("; ", problems) + historiesText(histories));
      }

      String zeebeMode;
      if (chain != null) {
        zeebeMode = "--backupId=" + chain.stream().map(String::valueOf).collect(Collectors.joining(","))
            + " (history " + earlier.get().number() + "'s backups up to the one at " + point + "; Zeebe no longer lists"
            + " them for the default mode or --to, and the database goes to that backup's moment)";
      } else if (requested == null) {
        zeebeMode = "default mode (no parameter): per partition from the backup at or before the database's EXPORTER_POSITION, then the range's later backups";
      } else {
        zeebeMode = "--to=" + point + " (the database's own point, never earlier)";
      }
      String kind = platforms.kind(run.cluster());
      Instant planned = point;
      List<Long> backupIds = chain;
      List<String> platformSteps = platform.map(p -> earlier.isPresent()
              ? p.describeRdbmsRestore(planned, partitions, earlier.get().number(), backupIds)
              : p.describeRdbmsRestore(requested, partitions))
          .orElseGet(() -> List.of("manual: a person recovers the database and runs the restore application on every broker (instructions in the tasks)"));
      Integer history = earlier.map(DatabaseHistory::number)
          .orElse(histories.stream().filter(DatabaseHistory::current).map(DatabaseHistory::number).findFirst().orElse(null));
      RdbmsRestorePlan plan = new RdbmsRestorePlan(run.pointInTime(), point.toString(), window.orElseThrow().describe(),
          verdict.restorable().stream().map(RecoveryPoints.Span::toString).toList(), partitions, kind, zeebeMode, platformSteps,
          history, earlier.isPresent(), histories.stream().map(DatabaseHistory::describe).toList());

      Map<String, Object> variables = new LinkedHashMap<>();
      variables.put("rdbmsRestorePlan", plan);
      variables.put("restorePlanText", plan.asText(run.cluster()));
      variables.put("recoveryPoint", point.toString());
      variables.put("partitionCount", partitions);
      if (chain != null) {
        variables.put("brokerBackupIds", chain);
      }
      if (platform.isEmpty()) {
        variables.put("instructions", ManualInstructions.rdbms(run.cluster(), connection, plan, baseBackupFor(database, point)));
      }
      return variables;
    } catch (RuntimeException e) {
      throw steps.failure(e, job, "Preflight of the point-in-time restore of " + run.cluster());
    }
  }

  /** The requested history when it is an earlier one; empty for none or the current one. */
  private static Optional<DatabaseHistory> earlierHistory(RestoreRun run, List<DatabaseHistory> histories) {
    return run.history() == null ? Optional.empty()
        : histories.stream().filter(h -> h.number() == run.history() && !h.current()).findFirst();
  }

  private static String historiesText(List<DatabaseHistory> histories) {
    return histories.size() < 2 && histories.stream().allMatch(DatabaseHistory::current) && !histories.isEmpty()
        ? "" : histories.isEmpty() ? "" : ". Histories: " + histories.stream().map(DatabaseHistory::describe).collect(Collectors.joining("; "));
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
      @Variable(name = "recoveryPoint") String recoveryPoint, @Variable(name = "history") Integer history) {
    try {
      ClusterPlatform platform = platform(cluster);
      if (history == null) {
        platform.recoverDatabase(Instant.parse(recoveryPoint));
      } else {
        platform.recoverDatabase(Instant.parse(recoveryPoint), history);
      }
      return Map.of("databaseRecoveredAt", steps.now());
    } catch (RuntimeException e) {
      throw steps.incident(e, job, "Recover the database of " + cluster + " to " + pointInTime);
    }
  }

  @JobWorker(type = RestoreJobTypes.RESTORE_BROKERS_RDBMS)
  public Map<String, Object> restoreBrokers(ActivatedJob job, @Variable(name = "cluster") String cluster, @Variable(name = "pointInTime") String pointInTime,
      @Variable(name = "brokerBackupIds") List<?> brokerBackupIds) {
    try {
      // set by the preflight only to go back onto an earlier history
      List<String> brokers = brokerBackupIds != null
          ? platform(cluster).restoreBrokersRdbms(brokerBackupIds.stream().map(id -> ((Number) id).longValue()).toList())
          : platform(cluster).restoreBrokersRdbms(PointInTime.parse(pointInTime));
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
