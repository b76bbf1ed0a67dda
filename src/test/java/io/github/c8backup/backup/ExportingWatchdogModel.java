package io.github.c8backup.backup;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;

/**
 * Generates {@code bpmn/exporting-watchdog.bpmn}: one instance per soft pause, started by the
 * pause step and living apart from the backup instance. It ends quietly when the backup resumes
 * exporting. Past the configured bound (a backup too slow or stuck in an incident) it resumes
 * exporting and voids the backup. When it finds the backup instance gone without a resume
 * (cancelled in Operate), it resumes exporting at once and removes the backup unless every
 * component reports it complete.
 */
public final class ExportingWatchdogModel {

  public static final String PROCESS_ID = "exporting-watchdog";
  public static final String PAUSED_MESSAGE = "exporting-paused";
  public static final String RESUMED_MESSAGE = "exporting-resumed";
  public static final String RESUMED_BY_WATCHDOG_MESSAGE = "exporting-resumed-by-watchdog";

  public static final String PAUSED_START = "ExportingPaused";
  public static final String WATCH = "WatchBackupInstance";
  public static final String CHECK_INTERVAL = "CheckInterval";
  public static final String CHECK_INSTANCE = "CheckBackupInstance";
  public static final String INSTANCE_ALIVE = "BackupInstanceAlive";
  public static final String INSTANCE_GONE = "BackupInstanceGone";
  public static final String RESUMED_BY_BACKUP = "ResumedByBackup";
  public static final String RESUMED_BY_BACKUP_END = "ResumedByBackupEnd";
  public static final String BOUND_REACHED = "PauseBoundReached";
  public static final String WATCHDOG_RESUME = "WatchdogResumesExporting";
  public static final String RESUMED_BY_WATCHDOG_END = "ResumedByWatchdogEnd";
  public static final String RESUME_ABANDONED = "ResumeExportingOfEndedBackup";
  public static final String REMOVE_ABANDONED = "RemoveAbandonedBackup";
  public static final String ABANDONED_END = "AbandonedBackupCleanedEnd";

  private ExportingWatchdogModel() {}

  public static BpmnModelInstance build() {
    var watch = Bpmn.createExecutableProcess(PROCESS_ID).name("Exporting watchdog")
        .startEvent(PAUSED_START).name("Exporting soft-paused").message(PAUSED_MESSAGE)
        .subProcess(WATCH).name("Watch the backup instance");
    var loop = watch.embeddedSubProcess()
        .startEvent(WATCH + "Start")
        .serviceTask(CHECK_INSTANCE).name("Backup instance still there?").zeebeJobType(JobTypes.WATCHDOG_CHECK_BACKUP_INSTANCE).zeebeJobRetries("10")
        .exclusiveGateway(INSTANCE_ALIVE).name("Alive?")
        .sequenceFlowId(INSTANCE_ALIVE + "No").condition("no", "=not(backupInstanceAlive)")
        .endEvent(INSTANCE_GONE).name("Backup instance ended while paused")
        .moveToNode(INSTANCE_ALIVE);
    ((io.camunda.zeebe.model.bpmn.builder.ExclusiveGatewayBuilder) loop).sequenceFlowId(INSTANCE_ALIVE + "Yes").defaultFlow()
        .intermediateCatchEvent(CHECK_INTERVAL).name("Check interval").timerWithDurationExpression("watchdogCheckInterval")
        .connectTo(CHECK_INSTANCE);
    BpmnModelInstance model = watch
        .serviceTask(RESUME_ABANDONED).name("Resume exporting").zeebeJobType(JobTypes.WATCHDOG_RESUME_EXPORTING).zeebeJobRetries("10")
        .serviceTask(REMOVE_ABANDONED).name("Remove the backup unless complete everywhere").zeebeJobType(JobTypes.WATCHDOG_REMOVE_ABANDONED_BACKUP).zeebeJobRetries("10")
        .endEvent(ABANDONED_END).name("Exporting resumed, abandoned backup handled")
        .moveToActivity(WATCH)
        .boundaryEvent(RESUMED_BY_BACKUP).name("Backup resumed")
        .message(m -> m.name(RESUMED_MESSAGE).zeebeCorrelationKeyExpression("cluster"))
        .endEvent(RESUMED_BY_BACKUP_END).name("Nothing to do")
        .moveToActivity(WATCH)
        .boundaryEvent(BOUND_REACHED).name("Pause bound reached").timerWithDurationExpression("pauseBound")
        .serviceTask(WATCHDOG_RESUME).name("Resume exporting, fail the backup").zeebeJobType(JobTypes.WATCHDOG_RESUME_EXPORTING).zeebeJobRetries("10")
        .endEvent(RESUMED_BY_WATCHDOG_END).name("Resumed by the watchdog")
        .done();
    BackupProcessModel.tidy(model);
    return model;
  }
}
