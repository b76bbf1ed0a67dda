package io.github.c8backup.backup;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;

/**
 * Generates {@code bpmn/exporting-watchdog.bpmn}: one instance per soft pause, started by the
 * pause step and living apart from the backup instance, so a backup cancelled in Operate, stuck in
 * an incident or simply too slow cannot leave exporting paused past the configured bound.
 */
public final class ExportingWatchdogModel {

  public static final String PROCESS_ID = "exporting-watchdog";
  public static final String PAUSED_MESSAGE = "exporting-paused";
  public static final String RESUMED_MESSAGE = "exporting-resumed";
  public static final String RESUMED_BY_WATCHDOG_MESSAGE = "exporting-resumed-by-watchdog";

  public static final String PAUSED_START = "ExportingPaused";
  public static final String WAIT = "WaitForResume";
  public static final String RESUMED_BY_BACKUP = "ResumedByBackup";
  public static final String RESUMED_BY_BACKUP_END = "ResumedByBackupEnd";
  public static final String BOUND_REACHED = "PauseBoundReached";
  public static final String WATCHDOG_RESUME = "WatchdogResumesExporting";
  public static final String RESUMED_BY_WATCHDOG_END = "ResumedByWatchdogEnd";

  private ExportingWatchdogModel() {}

  public static BpmnModelInstance build() {
    BpmnModelInstance model = Bpmn.createExecutableProcess(PROCESS_ID).name("Exporting watchdog")
        .startEvent(PAUSED_START).name("Exporting soft-paused").message(PAUSED_MESSAGE)
        .eventBasedGateway(WAIT).name("Resumed in time?")
        .intermediateCatchEvent(RESUMED_BY_BACKUP).name("Backup resumed exporting")
        .message(m -> m.name(RESUMED_MESSAGE).zeebeCorrelationKeyExpression("cluster"))
        .endEvent(RESUMED_BY_BACKUP_END).name("Nothing to do")
        .moveToNode(WAIT)
        .intermediateCatchEvent(BOUND_REACHED).name("Pause bound reached").timerWithDurationExpression("pauseBound")
        .serviceTask(WATCHDOG_RESUME).name("Resume exporting, fail the backup").zeebeJobType(JobTypes.WATCHDOG_RESUME_EXPORTING).zeebeJobRetries("10")
        .endEvent(RESUMED_BY_WATCHDOG_END).name("Resumed by the watchdog")
        .done();
    BackupProcessModel.tidy(model);
    return model;
  }
}
