package io.github.c8backup.backup;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.database.BackupVerification;
import io.github.c8backup.database.BaseBackup;
import io.github.c8backup.database.ClusterDatabases;
import io.github.c8backup.database.DatabaseBackups;
import io.github.c8backup.database.RecoverableWindow;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The database part of the RDBMS path: a base backup with the vendor's tools, checked against its
 * manifest, taken before the Zeebe backup so that the primary backup follows the secondary one
 * (reference 6.3). The label is derived from the run (process instance and start time), so a retry
 * after a lost answer finds the backup it already took instead of taking a second one.
 *
 * <p>The job blocks while the tool runs: raise the job timeout for large databases with
 * {@code camunda.client.worker.override.backup.rdbms.backup-database.timeout}.
 */
@Component
public class DatabaseBackupWorker {

  private final ClusterSteps steps;
  private final ClusterDatabases databases;

  DatabaseBackupWorker(ClusterSteps steps, ClusterDatabases databases) {
    this.steps = steps;
    this.databases = databases;
  }

  /**
   * The instance key alone does not name a run: a control engine installed afresh hands out the
   * same keys again, and the backup folder outlives it. A run would then report an earlier
   * engine's backup as its own, and its rollback would delete that backup. The run's start time
   * (prepare's {@code startedAt}) tells them apart and stays the same for every retry.
   */
  static String label(String cluster, long processInstanceKey, Long startedAt) {
    return "camunda-" + cluster.replaceAll("[^A-Za-z0-9._-]", "-") + "-" + processInstanceKey
        + (startedAt == null ? "" : "-" + startedAt);
  }

  @JobWorker(type = JobTypes.BACKUP_DATABASE)
  public Map<String, Object> backup(ActivatedJob job, @Variable(name = "cluster") String cluster,
      @Variable(name = "startedAt") Long startedAt) {
    try {
      DatabaseBackups database = databases.of(cluster);
      String label = label(cluster, job.getProcessInstanceKey(), startedAt);
      BaseBackup backup = database.baseBackup(label).orElseGet(() -> database.takeBaseBackup(label));
      BackupVerification verification = database.verify(label);
      if (!verification.passed()) {
        throw StepFailures.failed("Database backup " + label + " failed its check: " + verification.details());
      }
      Map<String, Object> described = new LinkedHashMap<>();
      described.put("label", backup.label());
      described.put("startedAt", backup.startedAt().toString());
      described.put("finishedAt", backup.finishedAt().toString());
      described.put("sizeBytes", backup.sizeBytes());
      described.put("verified", true);
      Map<String, Object> variables = new LinkedHashMap<>();
      variables.put("databaseBackup", described);
      database.recoverableWindow().ifPresent(window -> variables.put("databaseRecoverableWindow", window(window)));
      return variables;
    } catch (RuntimeException e) {
      throw steps.failure(e, job, "Back up the database");
    }
  }

  /** Rollback of the RDBMS path: the base backup of this run, complete or not, goes. Zeebe's backups stay: deleting one could cut a range. */
  @JobWorker(type = JobTypes.REMOVE_PARTIAL_DATABASE_BACKUP)
  public Map<String, Object> remove(ActivatedJob job, @Variable(name = "cluster") String cluster,
      @Variable(name = "startedAt") Long startedAt) {
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("outcome", "FAILED");
    variables.put("finishedAt", steps.now());
    try {
      String label = label(cluster, job.getProcessInstanceKey(), startedAt);
      databases.of(cluster).delete(label);
      variables.put("removedParts", java.util.List.of("database:" + label));
      return variables;
    } catch (RuntimeException e) {
      throw steps.retryThenIncident(e, job, "Remove partial database backup");
    }
  }

  private static Map<String, Object> window(RecoverableWindow window) {
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("earliest", window.earliest().toString());
    described.put("latest", window.latest().toString());
    return described;
  }
}
