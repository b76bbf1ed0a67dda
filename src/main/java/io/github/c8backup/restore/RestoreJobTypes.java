package io.github.c8backup.restore;

/** Job types of {@code bpmn/camunda-restore.bpmn}; each has exactly one {@code @JobWorker}. */
public final class RestoreJobTypes {

  public static final String RESOLVE_BACKUP = "restore.resolve-backup";
  public static final String PREFLIGHT = "restore.preflight";
  public static final String STOP_COMPONENTS = "restore.stop-components";
  public static final String CHECK_COMPONENTS_STOPPED = "restore.check-components-stopped";
  public static final String DELETE_INDICES = "restore.delete-indices";
  public static final String RESTORE_SNAPSHOTS = "restore.restore-snapshots";
  public static final String START_BROKER_RESTORE = "restore.start-broker-restore";
  public static final String CHECK_BROKER_RESTORE = "restore.check-broker-restore";
  public static final String START_COMPONENTS = "restore.start-components";
  public static final String CHECK_CLUSTER_HEALTH = "restore.check-cluster-health";
  public static final String VERIFY_RESTORE = "restore.verify-restore";

  /** The RDBMS path (8.9, reference 7.5): a point in time instead of a backup ID. */
  public static final String RDBMS_PREFLIGHT = "restore.rdbms.preflight";
  public static final String RECOVER_DATABASE = "restore.rdbms.recover-database";
  public static final String RESTORE_BROKERS_RDBMS = "restore.rdbms.restore-brokers";

  private RestoreJobTypes() {}
}
