package io.github.c8backup.backup;

/** BPMN error codes thrown by the workers and caught in {@code bpmn/*.bpmn}. */
public final class BpmnErrors {

  /** The request cannot be served (unknown cluster, bad backup ID, missing configuration); nothing was changed. */
  public static final String INVALID_REQUEST = "INVALID_REQUEST";

  /** The cluster is not fit for a backup now (a backup in progress, a partition without a healthy leader); nothing was changed. */
  public static final String CLUSTER_NOT_READY = "CLUSTER_NOT_READY";

  /** A component refused or failed the backup; the rollback path runs. */
  public static final String BACKUP_FAILED = "BACKUP_FAILED";

  /** A restore's preflight found the backup incomplete or incompatible, or the cluster unreachable; nothing was changed. */
  public static final String PREFLIGHT_FAILED = "PREFLIGHT_FAILED";

  /** A wait passed its deadline (thrown by the BPMN itself, not by a worker). */
  public static final String BACKUP_TIMED_OUT = "BACKUP_TIMED_OUT";
  /** RDBMS path: the backups were taken, but the backup ranges do not cover every partition in one piece. */
  public static final String COVERAGE_GAP = "COVERAGE_GAP";

  private BpmnErrors() {}
}
