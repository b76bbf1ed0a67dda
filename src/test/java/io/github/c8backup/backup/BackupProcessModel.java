package io.github.c8backup.backup;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.builder.AbstractFlowNodeBuilder;
import io.camunda.zeebe.model.bpmn.builder.ExclusiveGatewayBuilder;
import io.camunda.zeebe.model.bpmn.builder.ProcessBuilder;
import io.camunda.zeebe.model.bpmn.builder.SubProcessBuilder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code bpmn/camunda-backup.bpmn} with the Zeebe model API's fluent builder; {@link
 * BpmnLayout} then replaces the builder's diagram, which overlaps shapes in sub-processes and
 * branches, with a readable grid for Operate. The file is the product's source of truth; this
 * class only regenerates it after a structural change: run {@code RegenerateBpmnFiles}, review the diff and
 * re-render {@code docs/camunda-backup.png} (bpmn-js in headless Chromium). Element ids are the
 * constants that the process tests assert paths with.
 */
public final class BackupProcessModel {

  public static final String PROCESS_ID = "camunda-backup";

  public static final String REQUESTED_START = "BackupRequested";
  public static final String PREPARE = "PrepareBackup";
  public static final String REQUEST_REJECTED = "RequestRejected";
  public static final String REJECTED_END = "BackupRejected";
  public static final String CLUSTER_NOT_READY = "ClusterNotReady";
  public static final String NOT_READY_END = "BackupDeferred";
  public static final String STORAGE_GATEWAY = "SecondaryStorage";
  public static final String STORAGE_JOIN = "BackupTaken";
  public static final String TAKE_BACKUP = "TakeBackup";
  public static final String TAKE_RDBMS_BACKUP = "TakeRdbmsBackup";
  public static final String CHECK_CONTINUOUS = "CheckContinuousBackups";
  public static final String BACKUP_DATABASE = "BackupDatabase";
  public static final String TAKE_ZEEBE_GENERATED = "TakeZeebeBackupWithGeneratedId";
  public static final String VERIFY_COVERAGE = "VerifyBackupCoverage";
  public static final String APPLY_RETENTION = "ApplyRetention";
  public static final String COVERAGE_GAP = "CoverageGap";
  public static final String COVERAGE_GAP_END = "BackupCompletedWithCoverageGap";
  public static final String RDBMS_BACKUP_FAILED = "RdbmsBackupFailed";
  public static final String REMOVE_PARTIAL_DATABASE_BACKUP = "RemovePartialDatabaseBackup";
  public static final String RDBMS_FAILED_END = "RdbmsBackupFailedEnd";
  /** Element ids of the RDBMS path's Zeebe wait end in this. */
  public static final String RDBMS = "_rdbms";
  public static final String ORDER_GATEWAY = "OrderForVersion";
  public static final String ORDER_JOIN = "OrderJoin";
  public static final String VERIFY = "VerifyBackup";
  public static final String COMPLETED_END = "BackupCompleted";
  public static final String BACKUP_FAILED = "BackupFailed";
  public static final String WATCHDOG_RESUMED = "WatchdogResumedExporting";
  public static final String REMOVE_PARTIAL_AFTER_WATCHDOG = "RemovePartialBackupAfterWatchdog";
  public static final String VOIDED_END = "BackupVoidedEnd";
  public static final String RESUME_AFTER_FAILURE = "ResumeExportingAfterFailure";
  public static final String REMOVE_PARTIAL = "RemovePartialBackup";
  public static final String FAILED_END = "BackupFailedEnd";

  /** Element ids of the 8.6/8.7 branch end in {@code _86}, of the 8.8/8.9 branch in {@code _88}. */
  public static final String V86 = "_86";
  public static final String V88 = "_88";

  public static final String TAKE_OPERATE = "TakeOperateBackup";
  public static final String OPERATE_SKIPPED = "OperateBackupSkipped";
  public static final String TAKE_TASKLIST = "TakeTasklistBackup";
  public static final String TASKLIST_SKIPPED = "TasklistBackupSkipped";
  public static final String TAKE_WEBAPPS = "TakeWebappsBackup";
  public static final String WEBAPPS_SKIPPED = "WebappsBackupSkipped";
  public static final String TAKE_OPTIMIZE = "TakeOptimizeBackup";
  public static final String OPTIMIZE_SKIPPED = "OptimizeBackupSkipped";
  public static final String WAIT_WEBAPPS = "WaitForWebappsBackups";
  public static final String CHECK_WEBAPPS = "CheckWebappsBackups";
  public static final String WEBAPPS_DEADLINE = "WebappsBackupsDeadline";
  public static final String SOFT_PAUSE = "SoftPauseExporting";
  public static final String SNAPSHOT_RECORDS = "SnapshotZeebeRecords";
  public static final String RECORDS_SKIPPED = "RecordsSnapshotSkipped";
  public static final String WAIT_RECORDS = "WaitForRecordsSnapshot";
  public static final String CHECK_RECORDS = "CheckRecordsSnapshot";
  public static final String RECORDS_DEADLINE = "RecordsSnapshotDeadline";
  public static final String TAKE_ZEEBE = "TakeZeebeBackup";
  public static final String WAIT_ZEEBE = "WaitForZeebeBackup";
  public static final String CHECK_ZEEBE = "CheckZeebeBackup";
  public static final String ZEEBE_DEADLINE = "ZeebeBackupDeadline";
  public static final String RESUME = "ResumeExporting";

  private BackupProcessModel() {}

  /**
   * Regenerates the file. Not a {@code main}: the sandbox's {@code SandboxMain} must stay the only
   * main class of the test classpath for {@code spring-boot:test-run}; see {@code RegenerateBpmnFiles}.
   */
  static void write(Path target) throws java.io.IOException {
    Files.writeString(target, stableIds(Bpmn.convertToString(BpmnLayout.apply(build()))));
    System.out.println("wrote " + target.toAbsolutePath());
  }

  /**
   * The builder labels unnamed joins, starts and ends with their ids, and gives flows random ids;
   * a diagram reads better without the labels, and stable flow ids keep regenerated diffs small.
   */
  public static void tidy(BpmnModelInstance model) {
    for (var node : model.getModelElementsByType(io.camunda.zeebe.model.bpmn.instance.FlowNode.class)) {
      if (node.getId().equals(node.getName())) {
        node.setName(null);
      }
    }
    for (var flow : model.getModelElementsByType(io.camunda.zeebe.model.bpmn.instance.SequenceFlow.class)) {
      if (flow.getId().startsWith("sequenceFlow_")) {
        flow.setId("Flow_" + flow.getSource().getId() + "_to_" + flow.getTarget().getId());
      }
    }
  }

  /** Replaces the builder's random {@code name_<uuid>} ids by numbered ones, the same on every run. */
  public static String stableIds(String xml) {
    var random = java.util.regex.Pattern.compile("([A-Za-z]+)_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    var replacements = new java.util.LinkedHashMap<String, String>();
    var counters = new java.util.HashMap<String, Integer>();
    var matcher = random.matcher(xml);
    var out = new StringBuilder();
    while (matcher.find()) {
      String stable = replacements.computeIfAbsent(matcher.group(), id -> matcher.group(1) + "_" + counters.merge(matcher.group(1), 1, Integer::sum));
      matcher.appendReplacement(out, stable);
    }
    matcher.appendTail(out);
    return out.toString();
  }

  public static BpmnModelInstance build() {
    ProcessBuilder process = Bpmn.createExecutableProcess(PROCESS_ID).name("Camunda backup");

    SubProcessBuilder takeBackup =
        process
            .startEvent(REQUESTED_START)
            .name("Backup requested (called by camunda-cluster-run)")
            .serviceTask(PREPARE)
            .name("Prepare backup: detect version, choose ID")
            .zeebeJobType(JobTypes.PREPARE)
            .zeebeJobRetries("3")
            .exclusiveGateway(STORAGE_GATEWAY)
            .name("Secondary storage?")
            .sequenceFlowId("StorageSearch")
            .defaultFlow()
            .subProcess(TAKE_BACKUP)
            .name("Take backup (Elasticsearch/OpenSearch)");

    var inner =
        takeBackup
            .embeddedSubProcess()
            .startEvent("TakeBackupStarted")
            .exclusiveGateway(ORDER_GATEWAY)
            .name("Order for Camunda version");

    // 8.6/8.7 (reference 6.1): web apps and Optimize first, then pause, records, Zeebe, resume.
    var v86 = inner.sequenceFlowId("Order86").condition("8.6 / 8.7", "=not(pauseExportingFirst)");
    var afterOperate = optional(v86, "components.operate", TAKE_OPERATE + V86, "Take Operate backup", JobTypes.TAKE_OPERATE_BACKUP, OPERATE_SKIPPED + V86, "Operate backup skipped (not deployed)");
    var afterTasklist = optional(afterOperate, "components.tasklist", TAKE_TASKLIST + V86, "Take Tasklist backup", JobTypes.TAKE_TASKLIST_BACKUP, TASKLIST_SKIPPED + V86, "Tasklist backup skipped (not deployed)");
    var afterOptimize86 = optional(afterTasklist, "components.optimize", TAKE_OPTIMIZE + V86, "Take Optimize backup", JobTypes.TAKE_OPTIMIZE_BACKUP, OPTIMIZE_SKIPPED + V86, "Optimize backup skipped (not deployed)");
    var afterWait86 = waitLoop(afterOptimize86, V86, WAIT_WEBAPPS, "Wait for web app backups", CHECK_WEBAPPS, "Check web app backups", JobTypes.CHECK_WEBAPPS_BACKUPS, "webappsBackupsDone", WEBAPPS_DEADLINE, "webappsDeadline", "Web app backups did not complete within ");
    var paused86 = afterWait86.serviceTask(SOFT_PAUSE + V86).name("Soft-pause exporting").zeebeJobType(JobTypes.SOFT_PAUSE_EXPORTING).zeebeJobRetries("3");
    var afterRecords86 = optionalRecords(paused86, V86);
    var afterZeebe86 = zeebe(afterRecords86, V86);
    afterZeebe86.serviceTask(RESUME + V86).name("Resume exporting").zeebeJobType(JobTypes.RESUME_EXPORTING).zeebeJobRetries("10")
        .exclusiveGateway(ORDER_JOIN).name("Backup taken");

    // 8.8/8.9 (reference 6.2): soft pause first, then web apps, Optimize, records, Zeebe, resume.
    var v88 = inner.moveToNode(ORDER_GATEWAY).sequenceFlowId("Order88").condition("8.8 / 8.9", "=pauseExportingFirst")
        .serviceTask(SOFT_PAUSE + V88).name("Soft-pause exporting").zeebeJobType(JobTypes.SOFT_PAUSE_EXPORTING).zeebeJobRetries("3");
    var afterWebapps = optional(v88, "components.webapps", TAKE_WEBAPPS + V88, "Take web apps backup (Operate, Tasklist)", JobTypes.TAKE_WEBAPPS_BACKUP, WEBAPPS_SKIPPED + V88, "Web apps backup skipped (secondary storage not ES/OS)");
    var afterOptimize88 = optional(afterWebapps, "components.optimize", TAKE_OPTIMIZE + V88, "Take Optimize backup", JobTypes.TAKE_OPTIMIZE_BACKUP, OPTIMIZE_SKIPPED + V88, "Optimize backup skipped (not deployed)");
    var afterWait88 = waitLoop(afterOptimize88, V88, WAIT_WEBAPPS, "Wait for web app backups", CHECK_WEBAPPS, "Check web app backups", JobTypes.CHECK_WEBAPPS_BACKUPS, "webappsBackupsDone", WEBAPPS_DEADLINE, "webappsDeadline", "Web app backups did not complete within ");
    var afterRecords88 = optionalRecords(afterWait88, V88);
    var afterZeebe88 = zeebe(afterRecords88, V88);
    afterZeebe88.serviceTask(RESUME + V88).name("Resume exporting").zeebeJobType(JobTypes.RESUME_EXPORTING).zeebeJobRetries("10")
        .connectTo(ORDER_JOIN);

    inner.moveToNode(ORDER_JOIN)
        .serviceTask(VERIFY).name("Verify backup in every component").zeebeJobType(JobTypes.VERIFY_BACKUP).zeebeJobRetries("3")
        .endEvent("TakeBackupDone");

    takeBackup.exclusiveGateway(STORAGE_JOIN).endEvent(COMPLETED_END).name("Backup completed");
    rdbmsPath(takeBackup);

    BpmnModelInstance model =
        takeBackup
            .moveToActivity(TAKE_BACKUP)
            .boundaryEvent(BACKUP_FAILED)
            .name("Backup failed or timed out")
            .error()
            // an error's variables stay in the event's own scope; mapped, they reach the run (metrics)
            .zeebeOutputExpression("=failureReason", "failureReason")
            .zeebeOutputExpression("=" + ClusterSteps.FAILED_STEP, ClusterSteps.FAILED_STEP)
            .serviceTask(RESUME_AFTER_FAILURE)
            .name("Resume exporting (rollback)")
            .zeebeJobType(JobTypes.RESUME_EXPORTING)
            .zeebeJobRetries("10")
            .serviceTask(REMOVE_PARTIAL)
            .name("Remove partial backup")
            .zeebeJobType(JobTypes.REMOVE_PARTIAL_BACKUP)
            .zeebeJobRetries("10")
            .endEvent(FAILED_END)
            .name("Backup failed")
            .moveToActivity(TAKE_BACKUP)
            .boundaryEvent(WATCHDOG_RESUMED)
            .name("Watchdog resumed exporting")
            .message(m -> m.name(ExportingWatchdogModel.RESUMED_BY_WATCHDOG_MESSAGE).zeebeCorrelationKeyExpression("cluster"))
            .zeebeOutputExpression("=\"Exporting stayed paused longer than \" + pauseBound + \"; the exporting watchdog resumed it and the backup is void\"", "failureReason")
            .zeebeOutputExpression("=\"" + JobTypes.WATCHDOG_RESUME_EXPORTING + "\"", ClusterSteps.FAILED_STEP)
            .serviceTask(REMOVE_PARTIAL_AFTER_WATCHDOG)
            .name("Remove partial backup")
            .zeebeJobType(JobTypes.REMOVE_PARTIAL_BACKUP)
            .zeebeJobRetries("10")
            .endEvent(VOIDED_END)
            .name("Backup failed, exporting resumed by the watchdog")
            .moveToActivity(PREPARE)
            .boundaryEvent(CLUSTER_NOT_READY)
            .name("Cluster not fit for a backup")
            .error(BpmnErrors.CLUSTER_NOT_READY)
            .endEvent(NOT_READY_END)
            .name("Backup deferred, nothing changed")
            .moveToActivity(PREPARE)
            .boundaryEvent(REQUEST_REJECTED)
            .name("Request invalid")
            .error("INVALID_REQUEST")
            // with output mappings only the mapped variables leave the event: failureReason is mapped too
            .zeebeOutputExpression("=failureReason", "failureReason")
            .zeebeOutputExpression("=\"REJECTED\"", "outcome")
            .zeebeOutputExpression("=\"" + JobTypes.PREPARE + "\"", ClusterSteps.FAILED_STEP)
            .endEvent(REJECTED_END)
            .name("Backup rejected, nothing changed")
            .done();

    rollBackWhenRetriesRunOut(model);
    tidy(model);
    return model;
  }

  /**
   * Every step inside "Take backup" gives up into the rollback when its last retry fails, instead
   * of raising an incident while exporting may be paused; prepare and the rollback steps keep the
   * incident (see {@code StepFailures}).
   */
  private static void rollBackWhenRetriesRunOut(BpmnModelInstance model) {
    rollBackWhenRetriesRunOut(model, TAKE_BACKUP);
    rollBackWhenRetriesRunOut(model, TAKE_RDBMS_BACKUP);
  }

  private static void rollBackWhenRetriesRunOut(BpmnModelInstance model, String subProcessId) {
    var takeBackup = (io.camunda.zeebe.model.bpmn.instance.SubProcess) model.getModelElementById(subProcessId);
    for (var task : takeBackup.getChildElementsByType(io.camunda.zeebe.model.bpmn.instance.ServiceTask.class)) {
      if (!task.getId().equals(APPLY_RETENTION)) { // runs after the backup is complete: nothing to roll back
        task.builder().zeebeTaskHeader(StepFailures.EXHAUSTED_HEADER, StepFailures.ROLLBACK);
      }
    }
    for (var sub : takeBackup.getChildElementsByType(io.camunda.zeebe.model.bpmn.instance.SubProcess.class)) {
      for (var task : sub.getChildElementsByType(io.camunda.zeebe.model.bpmn.instance.ServiceTask.class)) {
        task.builder().zeebeTaskHeader(StepFailures.EXHAUSTED_HEADER, StepFailures.ROLLBACK);
      }
    }
  }

  /**
   * 8.9 with an RDBMS as secondary storage (reference 6.3): no exporting pause and no shared ID.
   * Zeebe backs itself up continuously; this path checks that, backs up the database with its own
   * tools, then asks Zeebe for a backup with a generated ID so the primary backup follows the
   * secondary one, and verifies that one backup range covers every partition. A gap is recorded and
   * raised at its own end event; the backups taken stay valid. Only a backup without a gap goes on
   * to retention, whose faults end in an incident on its task, not in the rollback.
   */
  private static void rdbmsPath(AbstractFlowNodeBuilder<?, ?> from) {
    var rdbms = from.moveToNode(STORAGE_GATEWAY).sequenceFlowId("StorageRdbms").condition("RDBMS", "=secondaryStorage = \"RDBMS\"")
        .subProcess(TAKE_RDBMS_BACKUP).name("Take backup (RDBMS, continuous Zeebe backups)");
    var inner = rdbms.embeddedSubProcess()
        .startEvent("TakeRdbmsBackupStarted")
        .serviceTask(CHECK_CONTINUOUS).name("Check continuous backups").zeebeJobType(JobTypes.CHECK_CONTINUOUS_BACKUPS).zeebeJobRetries("3")
        .serviceTask(BACKUP_DATABASE).name("Back up the database (native tools)").zeebeJobType(JobTypes.BACKUP_DATABASE).zeebeJobRetries("3")
        .serviceTask(TAKE_ZEEBE_GENERATED).name("Take Zeebe backup (generated ID)").zeebeJobType(JobTypes.TAKE_ZEEBE_BACKUP_GENERATED_ID).zeebeJobRetries("3");
    waitLoop(inner, RDBMS, WAIT_ZEEBE, "Wait for Zeebe backup", CHECK_ZEEBE, "Check Zeebe backup", JobTypes.CHECK_ZEEBE_BACKUP, "zeebeBackupDone", ZEEBE_DEADLINE, "zeebeDeadline", "The Zeebe backup did not complete within ")
        .serviceTask(VERIFY_COVERAGE).name("Verify backup ranges cover every partition").zeebeJobType(JobTypes.VERIFY_BACKUP_COVERAGE).zeebeJobRetries("3")
        // after a complete backup: a failure here raises an incident, never the rollback (RetentionWorker)
        .serviceTask(APPLY_RETENTION).name("Apply retention (database and Zeebe)").zeebeJobType(JobTypes.APPLY_RETENTION).zeebeJobRetries("3")
        .endEvent("TakeRdbmsBackupDone");
    rdbms.connectTo(STORAGE_JOIN)
        .moveToActivity(TAKE_RDBMS_BACKUP)
        .boundaryEvent(COVERAGE_GAP).name("Coverage gap").error(BpmnErrors.COVERAGE_GAP)
        .zeebeOutputExpression("=outcome", "outcome")
        .zeebeOutputExpression("=finishedAt", "finishedAt")
        .zeebeOutputExpression("=coverageProblems", "coverageProblems")
        .zeebeOutputExpression("=" + ClusterSteps.FAILED_STEP, ClusterSteps.FAILED_STEP)
        .endEvent(COVERAGE_GAP_END).name("Backup completed, coverage gap raised")
        .moveToActivity(TAKE_RDBMS_BACKUP)
        .boundaryEvent(RDBMS_BACKUP_FAILED).name("Backup failed or timed out").error()
        .zeebeOutputExpression("=failureReason", "failureReason")
        .zeebeOutputExpression("=" + ClusterSteps.FAILED_STEP, ClusterSteps.FAILED_STEP)
        .serviceTask(REMOVE_PARTIAL_DATABASE_BACKUP).name("Remove partial database backup").zeebeJobType(JobTypes.REMOVE_PARTIAL_DATABASE_BACKUP).zeebeJobRetries("10")
        .endEvent(RDBMS_FAILED_END).name("Backup failed");
  }

  private static AbstractFlowNodeBuilder<?, ?> optional(
      AbstractFlowNodeBuilder<?, ?> from, String flag, String taskId, String taskName, String jobType, String skippedId, String skippedName) {
    String gateway = taskId + "Deployed";
    String join = taskId + "Join";
    from.exclusiveGateway(gateway).name(taskName.replace("Take ", "") + "?")
        .sequenceFlowId(gateway + "Yes").condition("deployed", "=" + flag)
        .serviceTask(taskId).name(taskName).zeebeJobType(jobType).zeebeJobRetries("3")
        .exclusiveGateway(join);
    ((ExclusiveGatewayBuilder) from.moveToNode(gateway)).sequenceFlowId(gateway + "No").defaultFlow()
        .intermediateThrowEvent(skippedId).name(skippedName)
        .connectTo(join);
    return from.moveToNode(join);
  }

  private static AbstractFlowNodeBuilder<?, ?> optionalRecords(AbstractFlowNodeBuilder<?, ?> from, String suffix) {
    String gateway = SNAPSHOT_RECORDS + suffix + "Needed";
    String join = SNAPSHOT_RECORDS + suffix + "Join";
    var snapshot = from.exclusiveGateway(gateway).name("Records snapshot needed?")
        .sequenceFlowId(gateway + "Yes").condition("ES/OS exporter", "=components.recordsSnapshot")
        .serviceTask(SNAPSHOT_RECORDS + suffix).name("Snapshot zeebe-record indices").zeebeJobType(JobTypes.SNAPSHOT_ZEEBE_RECORDS).zeebeJobRetries("3");
    waitLoop(snapshot, suffix, WAIT_RECORDS, "Wait for records snapshot", CHECK_RECORDS, "Check records snapshot", JobTypes.CHECK_RECORDS_SNAPSHOT, "recordsSnapshotDone", RECORDS_DEADLINE, "recordsSnapshotDeadline", "The zeebe-record snapshot did not complete within ")
        .exclusiveGateway(join);
    ((ExclusiveGatewayBuilder) from.moveToNode(gateway)).sequenceFlowId(gateway + "No").defaultFlow()
        .intermediateThrowEvent(RECORDS_SKIPPED + suffix).name("Records snapshot skipped (no ES/OS exporter)")
        .connectTo(join);
    return from.moveToNode(join);
  }

  private static AbstractFlowNodeBuilder<?, ?> zeebe(AbstractFlowNodeBuilder<?, ?> from, String suffix) {
    var taken = from.serviceTask(TAKE_ZEEBE + suffix).name("Take Zeebe backup").zeebeJobType(JobTypes.TAKE_ZEEBE_BACKUP).zeebeJobRetries("3");
    return waitLoop(taken, suffix, WAIT_ZEEBE, "Wait for Zeebe backup", CHECK_ZEEBE, "Check Zeebe backup", JobTypes.CHECK_ZEEBE_BACKUP, "zeebeBackupDone", ZEEBE_DEADLINE, "zeebeDeadline", "The Zeebe backup did not complete within ");
  }

  /**
   * A wait as BPMN: check task, gateway, poll timer back to the check; a boundary timer on the
   * sub-process is the deadline and ends in the BACKUP_TIMED_OUT error the rollback catches.
   */
  private static AbstractFlowNodeBuilder<?, ?> waitLoop(
      AbstractFlowNodeBuilder<?, ?> from, String suffix, String waitId, String waitName, String checkId, String checkName,
      String jobType, String doneVariable, String deadlineId, String deadlineVariable, String deadlineMessage) {
    String sub = waitId + suffix;
    String check = checkId + suffix;
    String gateway = check + "Done";
    String poll = check + "PollInterval";
    var loop =
        from.subProcess(sub).name(waitName)
            .embeddedSubProcess()
            .startEvent(sub + "Start")
            .serviceTask(check).name(checkName).zeebeJobType(jobType).zeebeJobRetries("5")
            .exclusiveGateway(gateway).name("Done?")
            .sequenceFlowId(gateway + "Yes").condition("yes", "=" + doneVariable)
            .endEvent(sub + "End");
    var done =
        ((ExclusiveGatewayBuilder) loop.moveToNode(gateway)).sequenceFlowId(gateway + "No").defaultFlow()
            .intermediateCatchEvent(poll).name("Poll interval").timerWithDurationExpression("pollInterval")
            .connectTo(check)
            .subProcessDone();
    done.moveToActivity(sub)
        .boundaryEvent(deadlineId + suffix).name("Deadline").timerWithDurationExpression(deadlineVariable)
        .zeebeOutputExpression("=\"" + deadlineMessage + "\" + " + deadlineVariable, "failureReason")
        .zeebeOutputExpression("=\"" + jobType + "\"", ClusterSteps.FAILED_STEP)
        .endEvent(deadlineId + suffix + "Reached").name("Timed out").error(BpmnErrors.BACKUP_TIMED_OUT);
    return done.moveToActivity(sub);
  }
}
