package io.github.c8backup.config;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Retention of a cluster's backups on the Elasticsearch/OpenSearch path
 * ({@code orchestrator.clusters.<name>.retention}): which backups the retention run deletes from
 * every component. Non-secret: the policy becomes part of the run's report variable.
 *
 * <p>A backup is expired when it is complete and violates either rule (not among the newest
 * {@code keepLast} complete ones, or older than {@code maxAge}); the newest complete backup is
 * never expired. A backup that is not complete is deleted once older than {@code partialGrace}.
 * Neither rule set means no retention for the cluster. See
 * {@code io.github.c8backup.retention.RetentionSelection} for the rule itself.
 *
 * @param keepLast the newest N complete backups are kept by this rule, older complete ones expire
 *     (at least 1); null = no count limit
 * @param maxAge complete backups older than this expire (still never the newest); null = no age limit
 * @param partialGrace how old a backup that is not complete must be before it is deleted; must
 *     exceed how long a backup can run before its deadlines roll it back
 * @param schedule when retention runs on its own (besides right after each completed backup):
 *     an ISO-8601 repeating interval or a cron expression, like the backup schedule; null = only
 *     after backups and on request
 */
public record RetentionSettings(
    @Min(1) Integer keepLast,
    Duration maxAge,
    @DefaultValue("PT2H") Duration partialGrace,
    String schedule) {

  /** Whether any rule is set; without one the cluster has no retention. */
  public boolean hasPolicy() {
    return keepLast != null || maxAge != null;
  }

  /**
   * What is wrong with these settings for a cluster, or null. Checked at startup by
   * {@link TargetCluster}, so a bad value stops the orchestrator with the property named.
   */
  String problem(BackupTimeouts timeouts, boolean rdbms) {
    if (rdbms) {
      return "retention is for the Elasticsearch/OpenSearch path; an rdbms cluster's Zeebe backups follow Zeebe's own"
          + " retention window and its database backups database.retention (applied after every backup)";
    }
    if (!hasPolicy()) {
      return "retention needs keep-last or max-age (or both); remove the retention block for no retention";
    }
    if (maxAge != null && (maxAge.isZero() || maxAge.isNegative())) {
      return "retention.max-age must be a positive duration such as P30D, got " + maxAge;
    }
    if (partialGrace == null || partialGrace.isNegative() || partialGrace.isZero()) {
      return "retention.partial-grace must be a positive duration such as PT2H, got " + partialGrace;
    }
    Duration longestBackup = longestBackup(timeouts);
    if (partialGrace.compareTo(longestBackup) <= 0) {
      return "retention.partial-grace (" + partialGrace + ") must exceed the longest a backup can run before its deadlines"
          + " roll it back (timeouts.webapps-deadline + records-snapshot-deadline + zeebe-deadline = " + longestBackup
          + "), so a backup still running is never taken for a partial one";
    }
    if (schedule != null && !schedule.isBlank()) {
      String problem = io.github.c8backup.backup.BackupSchedule.problem(schedule);
      if (problem != null) {
        return "retention.schedule: " + problem;
      }
    }
    return null;
  }

  /** The sum of the waits' deadlines: past it, every backup has completed or is being rolled back. */
  static Duration longestBackup(BackupTimeouts timeouts) {
    BackupTimeouts t = timeouts == null ? BackupTimeouts.defaults() : timeouts;
    return t.webappsDeadline().plus(t.recordsSnapshotDeadline()).plus(t.zeebeDeadline());
  }
}
