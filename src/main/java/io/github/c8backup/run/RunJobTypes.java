package io.github.c8backup.run;

/** Job types of {@code camunda-cluster-run} and {@code camunda-backup-schedule}. */
public final class RunJobTypes {

  public static final String RECORD_SKIPPED_REQUEST = "record-skipped-request";
  public static final String REQUEST_SCHEDULED_BACKUP = "request-scheduled-backup";
  public static final String RECORD_RUN_OUTCOME = "record-run-outcome";
  public static final String REQUEST_SCHEDULED_RETENTION = "request-scheduled-retention";

  private RunJobTypes() {}
}
