package io.github.c8backup.retention;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.backup.ClusterSteps;
import io.github.c8backup.catalog.BackupCatalog;
import io.github.c8backup.catalog.Catalog;
import io.github.c8backup.cluster.UnknownClusterException;
import io.github.c8backup.config.RetentionSettings;
import io.github.c8backup.config.TargetCluster;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * First step of {@code camunda-retention}: asks every component of the cluster for its backups
 * (the catalog, all IDs) and applies {@link RetentionSelection}. Deletes nothing itself. When the
 * catalog could not ask every component, nothing is selected: a backup that looks partial only
 * because a component did not answer must not be deleted. The decision, backup by backup with
 * its reason, is the variable {@value #REPORT} and is logged.
 */
@Component
public class SelectExpiredBackupsWorker {

  static final String REPORT = "retentionReport";
  static final String EXPIRED_IDS = "expiredBackupIds";
  static final String VERSION = "retentionCamundaVersion";
  /** Outcomes the process branches on. */
  static final String SKIPPED = "SKIPPED";
  static final String NOTHING_EXPIRED = "NOTHING_EXPIRED";
  static final String EXPIRED = "EXPIRED";

  private static final Logger LOG = LoggerFactory.getLogger(SelectExpiredBackupsWorker.class);

  private final BackupCatalog catalog;
  private final ClusterSteps steps;

  SelectExpiredBackupsWorker(BackupCatalog catalog, ClusterSteps steps) {
    this.catalog = catalog;
    this.steps = steps;
  }

  @JobWorker(type = RetentionJobTypes.SELECT_EXPIRED_BACKUPS)
  public Map<String, Object> select(@Variable String cluster, ActivatedJob job) {
    Instant now = steps.clock().instant();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("cluster", cluster);
    report.put("evaluatedAt", now.toString());
    TargetCluster settings;
    try {
      settings = steps.clusters().settings(cluster);
    } catch (UnknownClusterException e) {
      return skipped(report, e.getMessage());
    }
    if (!settings.hasRetentionPolicy()) {
      return skipped(report, "cluster " + cluster + " has no retention policy (orchestrator.clusters." + cluster
          + ".retention.keep-last or .max-age)");
    }
    if (settings.usesRdbms()) {
      // configuration validation refuses this; kept so a run can never delete on the RDBMS path
      return skipped(report, "cluster " + cluster + " uses RDBMS secondary storage, whose retention is Zeebe's window and database.retention");
    }
    RetentionSettings policy = settings.retention();
    report.put("policy", policy(policy));
    Catalog found;
    try {
      found = catalog.catalog(cluster, Integer.MAX_VALUE);
    } catch (RuntimeException e) {
      throw steps.retryThenIncident(e, job, "Select expired backups");
    }
    if (!found.problems().isEmpty()) {
      return skipped(report, "not every component answered, so nothing is deleted: " + String.join("; ", found.problems()));
    }
    RetentionSelection.Selection selection = RetentionSelection.select(found.backups(), policy, now);
    report.put("outcome", selection.delete().isEmpty() ? NOTHING_EXPIRED : EXPIRED);
    report.put("delete", selection.delete().stream().map(SelectExpiredBackupsWorker::shown).toList());
    report.put("keep", selection.keep().stream().map(SelectExpiredBackupsWorker::shown).toList());
    LOG.info("Retention of cluster {} ({}): deleting {} {}, keeping {} {}", cluster, report.get("policy"),
        selection.delete().size(), selection.deleteIds(), selection.keep().size(), selection.keepIds());
    selection.delete().forEach(d -> LOG.info("Retention of cluster {}: backup {} expired: {}", cluster, d.backupId(), d.reason()));
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put(REPORT, report);
    variables.put(EXPIRED_IDS, selection.deleteIds());
    variables.put(VERSION, found.version());
    return variables;
  }

  private static Map<String, Object> skipped(Map<String, Object> report, String reason) {
    LOG.warn("Retention of cluster {} skipped, nothing deleted: {}", report.get("cluster"), reason);
    report.put("outcome", SKIPPED);
    report.put("reason", reason);
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put(REPORT, report);
    variables.put(EXPIRED_IDS, List.of());
    return variables;
  }

  private static Map<String, Object> shown(RetentionSelection.Decision decision) {
    Map<String, Object> shown = new LinkedHashMap<>();
    shown.put("backupId", decision.backupId());
    shown.put("takenAt", decision.takenAt() == null ? null : decision.takenAt().toString());
    shown.put("complete", decision.complete());
    shown.put("reason", decision.reason());
    return shown;
  }

  private static Map<String, Object> policy(RetentionSettings policy) {
    Map<String, Object> shown = new LinkedHashMap<>();
    shown.put("keepLast", policy.keepLast());
    shown.put("maxAge", policy.maxAge() == null ? null : policy.maxAge().toString());
    shown.put("partialGrace", policy.partialGrace().toString());
    return shown;
  }
}
