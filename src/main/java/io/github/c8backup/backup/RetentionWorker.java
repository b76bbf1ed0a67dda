package io.github.c8backup.backup;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.cluster.zeebe.BackupRuntimeState;
import io.github.c8backup.cluster.zeebe.BackupRuntimeState.BackupRange;
import io.github.c8backup.cluster.zeebe.BackupRuntimeState.Checkpoint;
import io.github.c8backup.cluster.zeebe.ZeebeManagement;
import io.github.c8backup.config.DatabaseRetentionSettings;
import io.github.c8backup.config.OrchestratorProperties;
import io.github.c8backup.metrics.RunMetrics;
import io.github.c8backup.config.TargetCluster;
import io.github.c8backup.database.ClusterDatabases;
import io.github.c8backup.database.DatabaseRetentionRequest;
import io.github.c8backup.database.DatabaseRetentionResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The last step of the RDBMS path: retention of the database's backups and of Zeebe's, kept
 * consistent with each other. Zeebe runs its own retention window and deletes its old backups
 * (reference 6.4, 9); this step asks both components for their state now, never remembers it:
 * <ol>
 *   <li>the database keeps what the start of Zeebe's oldest range needs, and deletes what is older
 *       ({@link io.github.c8backup.database.DatabaseBackups#applyRetention});
 *   <li>then Zeebe's backups that lie entirely before the database's recoverable window, as read
 *       again after that, are deleted from the start of the ranges ({@link ZeebeRetention}).
 * </ol>
 *
 * <p><b>Failure handling.</b> The run's backups are complete and verified before this step, so
 * nothing here may turn the run into a failure or reach the rollback, which would delete the
 * run's own database backup: the worker never throws a BPMN error, and its task has no rollback
 * header (see {@code BackupProcessModel}). An unsafe state (a gap in the WAL archive or in Zeebe's
 * ranges, clocks that cannot be compared) deletes nothing; the run completes with
 * {@code retention.outcome = SKIPPED} (or {@code DATABASE_ONLY} when only Zeebe's side found one)
 * and the reason, logged as a warning, and the next run judges again. A fault (Zeebe or the archive unreachable, a delete refused) fails the job: the engine
 * retries after the backoff, then raises an incident on this task, the run waiting there with its
 * backup kept until a person retries it in Operate. Each side deletes oldest first, so a fault
 * half-way leaves both sides consistent and a retry finishes the job.
 */
@Component
public class RetentionWorker {

  static final String APPLIED = "APPLIED";
  static final String SKIPPED = "SKIPPED";
  static final String DATABASE_ONLY = "DATABASE_ONLY";
  static final String DISABLED = "DISABLED";

  private static final Logger LOG = LoggerFactory.getLogger(RetentionWorker.class);

  private final ClusterSteps steps;
  private final ClusterDatabases databases;
  private final OrchestratorProperties properties;

  private final RunMetrics metrics;

  RetentionWorker(ClusterSteps steps, ClusterDatabases databases, OrchestratorProperties properties, RunMetrics metrics) {
    this.steps = steps;
    this.databases = databases;
    this.properties = properties;
    this.metrics = metrics;
  }

  @JobWorker(type = JobTypes.APPLY_RETENTION)
  public Map<String, Object> apply(ActivatedJob job, @Variable(name = "cluster") String cluster,
      @Variable(name = "camundaVersion") String version) {
    try {
      DatabaseRetentionSettings settings = settings(cluster);
      Map<String, Object> report = new LinkedHashMap<>();
      if (!settings.enabled()) {
        report.put("outcome", DISABLED);
        return Map.of("retention", report);
      }
      ZeebeManagement zeebe = steps.connect(cluster, version).zeebe();
      BackupRuntimeState state = zeebe.runtimeState();
      String unusable = unusableRanges(state);
      if (unusable != null) {
        return skipped(cluster, report, unusable);
      }
      Instant oldestStart = state.ranges().stream().map(r -> r.start().checkpointTimestamp()).min(Instant::compareTo).orElseThrow();
      Instant newest = state.ranges().stream().map(r -> r.end().checkpointTimestamp()).max(Instant::compareTo).orElseThrow();
      report.put("zeebeOldestRangeStart", oldestStart.toString());

      DatabaseRetentionResult database = databases.of(cluster).applyRetention(
          new DatabaseRetentionRequest(oldestStart, newest, settings.clockTolerance(), settings.keepAtLeast()));
      metrics.retentionDeleted(cluster, "database-backup", database.deletedBackups().size());
      metrics.retentionDeleted(cluster, "wal-segment", database.deletedLogFiles().size());
      report.put("databaseBackupsDeleted", database.deletedBackups());
      report.put("databaseBackupsKept", database.keptBackups());
      report.put("databaseBackupKeptForZeebe", database.keptForZeebe());
      report.put("walSegmentsDeleted", database.deletedLogFiles().size());
      if (!database.deletedLogFiles().isEmpty()) {
        report.put("walSegmentsDeletedFrom", database.deletedLogFiles().getFirst());
        report.put("walSegmentsDeletedTo", database.deletedLogFiles().getLast());
      }
      report.put("oldestWalSegmentKept", database.oldestKeptLogFile());
      if (database.window() != null) {
        report.put("databaseRecoverableWindow", Map.of("earliest", database.window().earliest().toString(),
            "latest", database.window().latest().toString()));
      }
      if (!database.applied()) {
        return skipped(cluster, report, "database: " + database.skippedBecause());
      }
      if (database.window() == null) {
        return skipped(cluster, report, "the database has no recoverable window after its retention; Zeebe's backups are kept");
      }

      ZeebeRetention.Plan plan = ZeebeRetention.select(zeebe.runtimeState(), zeebe.backups(), database.window().earliest(),
          settings.clockTolerance());
      report.put("zeebeBackupKeptForWindowStart", plan.keptForWindowStart());
      if (plan.refusal() != null) {
        report.put("zeebeBackupsDeleted", List.of());
        return skipped(cluster, report, "Zeebe: " + plan.refusal());
      }
      List<Long> deleted = new ArrayList<>();
      for (long id : plan.delete()) {
        zeebe.deleteBackup(id);
        metrics.retentionDeleted(cluster, "zeebe-backup", 1);
        deleted.add(id);
      }
      report.put("zeebeBackupsDeleted", deleted);
      report.put("outcome", APPLIED);
      LOG.info("Cluster {}: retention applied: deleted base backups {}, {} WAL segments and Zeebe backups {}; kept base backup {} "
              + "for Zeebe's oldest range start {} and Zeebe backup {} for the window's start {}", cluster, database.deletedBackups(),
          database.deletedLogFiles().size(), deleted, database.keptForZeebe(), oldestStart, plan.keptForWindowStart(),
          database.window().earliest());
      return Map.of("retention", report);
    } catch (RuntimeException e) {
      // never a BPMN error: the boundary of the RDBMS sub-process would roll back a complete backup
      throw steps.retryThenIncident(e, job, "Apply retention (nothing is deleted out of order; the backup itself is complete)");
    }
  }

  /** Why Zeebe's ranges cannot anchor the database's retention, or null. */
  private static String unusableRanges(BackupRuntimeState state) {
    if (state.ranges().isEmpty()) {
      return "Zeebe reports no backup range, so the oldest moment it can restore is unknown";
    }
    List<String> problems = new ArrayList<>();
    state.rangesByPartition().forEach((partition, ranges) -> {
      if (ranges.size() > 1) {
        problems.add("partition " + partition + " has " + ranges.size() + " backup ranges (a gap)");
      }
    });
    for (BackupRange range : state.ranges()) {
      for (Checkpoint checkpoint : List.of(range.start(), range.end())) {
        if (checkpoint.checkpointTimestamp() == null) {
          problems.add("checkpoint " + checkpoint.checkpointId() + " of partition " + range.partitionId()
              + " carries no timestamp, so Zeebe's times cannot be compared with the database's");
        }
      }
    }
    return problems.isEmpty() ? null : String.join("; ", problems.stream().filter(Objects::nonNull).distinct().toList());
  }

  /** Stops where an unsafe state was found; what the database side deleted before it stays reported. */
  private Map<String, Object> skipped(String cluster, Map<String, Object> report, String reason) {
    boolean databaseDeleted = !((List<?>) report.getOrDefault("databaseBackupsDeleted", List.of())).isEmpty()
        || ((Number) report.getOrDefault("walSegmentsDeleted", 0)).intValue() > 0;
    LOG.warn("Cluster {}: retention {}: {}", cluster, databaseDeleted ? "applied to the database only" : "skipped, nothing deleted", reason);
    report.put("outcome", databaseDeleted ? DATABASE_ONLY : SKIPPED);
    report.put("reason", reason);
    return Map.of("retention", report);
  }

  private DatabaseRetentionSettings settings(String cluster) {
    TargetCluster target = properties.clusters().get(cluster);
    if (target == null || target.database() == null || target.database().retention() == null) {
      return DatabaseRetentionSettings.defaults();
    }
    return target.database().retention();
  }
}
