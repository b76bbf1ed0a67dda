package io.github.c8backup.run;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.github.c8backup.backup.BackupProcessModel;
import io.github.c8backup.backup.BpmnLayout;
import io.github.c8backup.restore.RestoreProcessModel;

/**
 * Generates {@code bpmn/camunda-cluster-run.bpmn} and {@code bpmn/camunda-backup-schedule.bpmn}.
 * The run process is the one way into a backup or a restore: its message start event, correlated
 * on the cluster name, lets the engine start at most one run per cluster at a time; a request
 * arriving meanwhile lands in the run's non-interrupting event sub-process and is recorded there.
 * Scheduled backups go through it too: a schedule's timer only publishes the request.
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
        .startEvent(REQUESTED_START).name("Backup or restore requested").message(ClusterRuns.MESSAGE_NAME)
        .exclusiveGateway(OPERATION_GATEWAY).name("Operation?")
        .sequenceFlowId("BackupOperation").defaultFlow()
        .callActivity(BACKUP).name("Back up the cluster (camunda-backup)").zeebeProcessId(BackupProcessModel.PROCESS_ID)
        // the called instance's variables are the run's now: outcome, failedStep, durations (metrics)
        .serviceTask(RECORD_BACKUP_OUTCOME).name("Record run outcome").zeebeJobType(RunJobTypes.RECORD_RUN_OUTCOME).zeebeJobRetries("3")
        .endEvent(BACKUP_END).name("Backup run ended")
        .moveToNode(OPERATION_GATEWAY)
        .sequenceFlowId("RestoreOperation").condition("restore", "=operation = \"restore\"")
        .callActivity(RESTORE).name("Restore the cluster (camunda-restore)").zeebeProcessId(RestoreProcessModel.PROCESS_ID)
        .serviceTask(RECORD_RESTORE_OUTCOME).name("Record run outcome").zeebeJobType(RunJobTypes.RECORD_RUN_OUTCOME).zeebeJobRetries("3")
        .endEvent(RESTORE_END).name("Restore run ended")
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
        .done();
    BackupProcessModel.tidy(model);
    return model;
  }
}
