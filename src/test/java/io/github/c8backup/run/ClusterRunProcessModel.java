package io.github.c8backup.run;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.github.c8backup.backup.BackupProcessModel;
import io.github.c8backup.backup.BpmnLayout;
import io.github.c8backup.restore.RestoreProcessModel;
import io.github.c8backup.retention.RetentionProcessModel;

/**
 * Generates {@code bpmn/camunda-cluster-run.bpmn} and {@code bpmn/camunda-backup-schedule.bpmn}.
 * The run process is the one way into a backup or a restore: its message start event, correlated
 * on the cluster name, lets the engine start at most one run per cluster at a time; a request
 * arriving meanwhile lands in the run's non-interrupting event sub-process and is recorded there.
 * Scheduled backups go through it too: a schedule's timer only publishes the request.
 * Retention is a run of its own (operation {@code retention}, on request or by its schedule) and
 * follows every completed backup of a cluster with a retention policy inside the same run, so it
 * never sees a backup in progress of its cluster.
 */
public final class ClusterRunProcessModel {

  public static final String PROCESS_ID = "camunda-cluster-run";
  public static final String REQUESTED_START = "RunRequested";
  public static final String OPERATION_GATEWAY = "Operation";
  public static final String BACKUP = "Backup";
  public static final String RESTORE = "Restore";
  public static final String RECORD_BACKUP_OUTCOME = "RecordBackupRunOutcome";
  public static final String RECORD_RESTORE_OUTCOME = "RecordRestoreRunOutcome";
  public static final String BACKUP_END = "BackupRunEnded";
  public static final String RETENTION_AFTER_BACKUP_GATEWAY = "RetentionAfterBackup";
  public static final String RETENTION_AFTER_BACKUP = "RetentionAfterBackupCall";
  public static final String RETENTION_AFTER_BACKUP_JOIN = "RetentionAfterBackupDone";
  public static final String RETENTION = "Retention";
  public static final String RETENTION_END = "RetentionRunEnded";
  public static final String RESTORE_END = "RestoreRunEnded";
  public static final String REQUEST_SKIPPED = "RequestSkipped";
  public static final String SKIPPED_START = "RequestArrivedDuringRun";
  public static final String RECORD_SKIPPED = "RecordSkippedRequest";
  public static final String SKIPPED_END = "RequestSkippedEnd";

  public static final String SCHEDULE_PROCESS_ID = "camunda-backup-schedule";
  public static final String SCHEDULED_START = "ScheduledBackup";
  public static final String BY_HAND_START = "BackupRequestedByHand";
  public static final String REQUEST_SCHEDULED = "RequestScheduledBackup";
  public static final String SCHEDULE_END = "BackupRequestPublished";
  public static final String SCHEDULED_RETENTION_START = "ScheduledRetention";
  public static final String REQUEST_SCHEDULED_RETENTION = "RequestScheduledRetention";
  public static final String RETENTION_SCHEDULE_END = "RetentionRequestPublished";

  private ClusterRunProcessModel() {}

  public static BpmnModelInstance build() {
    var process = Bpmn.createExecutableProcess(PROCESS_ID).name("Camunda cluster run (one at a time per cluster)");
    process.eventSubProcess(REQUEST_SKIPPED, sub -> sub.name("Request during a run: skipped")
        // the skipped request's variables stay in this scope instead of overwriting the run's
        .zeebeInputExpression("=null", "skippedRequest")
        .startEvent(SKIPPED_START).name("Request for this cluster arrived").interrupting(false)
        .message(m -> m.name(ClusterRuns.MESSAGE_NAME).zeebeCorrelationKeyExpression("cluster"))
        .zeebeOutputExpression("={requestId: requestId, operation: operation, requestedBy: requestedBy, requestedAt: requestedAt}", "skippedRequest")
        .serviceTask(RECORD_SKIPPED).name("Record skipped request").zeebeJobType(RunJobTypes.RECORD_SKIPPED_REQUEST).zeebeJobRetries("3")
        .endEvent(SKIPPED_END).name("Request skipped"));
    BpmnModelInstance model = process
        .startEvent(REQUESTED_START).name("Backup, restore or retention requested").message(ClusterRuns.MESSAGE_NAME)
        .exclusiveGateway(OPERATION_GATEWAY).name("Operation?")
        .sequenceFlowId("BackupOperation").defaultFlow()
        .callActivity(BACKUP).name("Back up the cluster (camunda-backup)").zeebeProcessId(BackupProcessModel.PROCESS_ID)
        // the called instance's variables are the run's now: outcome, failedStep, durations (metrics)
        .serviceTask(RECORD_BACKUP_OUTCOME).name("Record run outcome").zeebeJobType(RunJobTypes.RECORD_RUN_OUTCOME).zeebeJobRetries("3")
        .exclusiveGateway(RETENTION_AFTER_BACKUP_GATEWAY).name("Backup completed and retention configured?")
        .sequenceFlowId("NoRetentionAfterBackup").defaultFlow()
        .exclusiveGateway(RETENTION_AFTER_BACKUP_JOIN)
        .endEvent(BACKUP_END).name("Backup run ended")
        .moveToNode(RETENTION_AFTER_BACKUP_GATEWAY)
        .sequenceFlowId("RetentionAfterBackupFlow")
        .condition("yes", "=outcome = \"COMPLETED\" and " + ClusterRuns.RETENTION_CONFIGURED + " = true")
        .callActivity(RETENTION_AFTER_BACKUP).name("Apply retention (camunda-retention)").zeebeProcessId(RetentionProcessModel.PROCESS_ID)
        .connectTo(RETENTION_AFTER_BACKUP_JOIN)
        .moveToNode(OPERATION_GATEWAY)
        .sequenceFlowId("RestoreOperation").condition("restore", "=operation = \"restore\"")
        .callActivity(RESTORE).name("Restore the cluster (camunda-restore)").zeebeProcessId(RestoreProcessModel.PROCESS_ID)
        .serviceTask(RECORD_RESTORE_OUTCOME).name("Record run outcome").zeebeJobType(RunJobTypes.RECORD_RUN_OUTCOME).zeebeJobRetries("3")
        .endEvent(RESTORE_END).name("Restore run ended")
        .moveToNode(OPERATION_GATEWAY)
        .sequenceFlowId("RetentionOperation").condition("retention", "=operation = \"retention\"")
        .callActivity(RETENTION).name("Apply retention (camunda-retention)").zeebeProcessId(RetentionProcessModel.PROCESS_ID)
        .endEvent(RETENTION_END).name("Retention run ended")
        .done();
    BackupProcessModel.tidy(model);
    return model;
  }

  public static BpmnModelInstance buildSchedule() {
    var process = Bpmn.createExecutableProcess(SCHEDULE_PROCESS_ID).name("Camunda backup schedules");
    BpmnModelInstance model = process
        .startEvent(SCHEDULED_START).name("Scheduled backup (one per scheduled cluster)").timerWithCycle("R/PT24H")
        .serviceTask(REQUEST_SCHEDULED).name("Request backup run").zeebeJobType(RunJobTypes.REQUEST_SCHEDULED_BACKUP).zeebeJobRetries("3")
        .endEvent(SCHEDULE_END).name("Backup requested")
        .moveToProcess(SCHEDULE_PROCESS_ID)
        .startEvent(BY_HAND_START).name("Backup requested by hand (variable cluster)")
        .connectTo(REQUEST_SCHEDULED)
        .moveToProcess(SCHEDULE_PROCESS_ID)
        .startEvent(SCHEDULED_RETENTION_START).name("Scheduled retention (one per cluster with a retention schedule)").timerWithCycle("R/P1D")
        .serviceTask(REQUEST_SCHEDULED_RETENTION).name("Request retention run").zeebeJobType(RunJobTypes.REQUEST_SCHEDULED_RETENTION).zeebeJobRetries("3")
        .endEvent(RETENTION_SCHEDULE_END).name("Retention requested")
        .done();
    BackupProcessModel.tidy(model);
    return model;
  }
}
