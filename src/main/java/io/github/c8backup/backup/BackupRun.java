package io.github.c8backup.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The variables of a {@code camunda-backup} instance that workers read. Only names and
 * non-secret facts: a cluster is referred to by name, its URLs and credentials stay in the
 * orchestrator's configuration.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupRun(
    String cluster,
    Long backupId,
    String camundaVersion,
    Components components,
    StepOutcome operateBackup,
    StepOutcome tasklistBackup,
    StepOutcome webappsBackup,
    StepOutcome optimizeBackup,
    StepOutcome recordsSnapshot,
    StepOutcome zeebeBackup,
    Long exportingPausedAt,
    String incompleteGrace) {

  /** How long an 8.6/8.7 web app, or Zeebe, may report INCOMPLETE before it counts as failed; 10 minutes when unset. */
  public long incompleteGraceMillis() {
    return incompleteGrace == null ? java.time.Duration.ofMinutes(10).toMillis() : java.time.Duration.parse(incompleteGrace).toMillis();
  }

  public long requireBackupId() {
    if (backupId == null) {
      throw new IllegalStateException("variable backupId is missing; the prepare step sets it before any call");
    }
    return backupId;
  }
}
