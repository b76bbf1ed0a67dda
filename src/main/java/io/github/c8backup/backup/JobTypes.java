package io.github.c8backup.backup;

/** Job types of {@code bpmn/camunda-backup.bpmn} and {@code bpmn/exporting-watchdog.bpmn}; each has exactly one {@code @JobWorker}. */
public final class JobTypes {

  public static final String PREPARE = "backup.prepare";
  public static final String TAKE_OPERATE_BACKUP = "backup.take-operate-backup";
  public static final String TAKE_TASKLIST_BACKUP = "backup.take-tasklist-backup";
  public static final String TAKE_WEBAPPS_BACKUP = "backup.take-webapps-backup";
  public static final String TAKE_OPTIMIZE_BACKUP = "backup.take-optimize-backup";
  public static final String CHECK_WEBAPPS_BACKUPS = "backup.check-webapps-backups";
  public static final String SOFT_PAUSE_EXPORTING = "backup.soft-pause-exporting";
  public static final String SNAPSHOT_ZEEBE_RECORDS = "backup.snapshot-zeebe-records";
  public static final String CHECK_RECORDS_SNAPSHOT = "backup.check-records-snapshot";
  public static final String TAKE_ZEEBE_BACKUP = "backup.take-zeebe-backup";
  public static final String CHECK_ZEEBE_BACKUP = "backup.check-zeebe-backup";
  public static final String RESUME_EXPORTING = "backup.resume-exporting";
  public static final String VERIFY_BACKUP = "backup.verify-backup";
  public static final String REMOVE_PARTIAL_BACKUP = "backup.remove-partial-backup";
  /** The RDBMS path of {@code camunda-backup} (8.9, reference 6.3). */
  public static final String CHECK_CONTINUOUS_BACKUPS = "backup.rdbms.check-continuous-backups";
  public static final String BACKUP_DATABASE = "backup.rdbms.backup-database";
  public static final String TAKE_ZEEBE_BACKUP_GENERATED_ID = "backup.rdbms.take-zeebe-backup";
  public static final String VERIFY_BACKUP_COVERAGE = "backup.rdbms.verify-coverage";
  /** After a complete RDBMS backup: database and Zeebe backups older than the other side can use. */
  public static final String APPLY_RETENTION = "backup.rdbms.apply-retention";
  public static final String REMOVE_PARTIAL_DATABASE_BACKUP = "backup.rdbms.remove-partial-database-backup";
  /** Of {@code bpmn/exporting-watchdog.bpmn}. */
  public static final String WATCHDOG_RESUME_EXPORTING = "backup.watchdog-resume-exporting";
  public static final String WATCHDOG_CHECK_BACKUP_INSTANCE = "backup.watchdog-check-backup-instance";
  public static final String WATCHDOG_REMOVE_ABANDONED_BACKUP = "backup.watchdog-remove-abandoned-backup";

  private JobTypes() {}
}
