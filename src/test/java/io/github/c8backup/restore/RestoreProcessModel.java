package io.github.c8backup.restore;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.builder.AbstractFlowNodeBuilder;
import io.camunda.zeebe.model.bpmn.builder.ExclusiveGatewayBuilder;
import io.github.c8backup.backup.BpmnErrors;

/**
 * Generates {@code bpmn/camunda-restore.bpmn} (see {@code RegenerateBpmnFiles}). Nothing
 * destructive happens before {@link #APPROVAL_GATEWAY}: resolve, preflight and the plan only read.
 * After it, failures do not end the instance: a step's retries run out into an incident, a
 * person fixes the cause and retries it in Operate, and every step is idempotent.
 */
public final class RestoreProcessModel {

  public static final String PROCESS_ID = "camunda-restore";

  public static final String REQUESTED_START = "RestoreRequested";
  public static final String RESOLVE = "ResolveBackup";
  public static final String PREFLIGHT = "Preflight";
  public static final String REFUSED = "RestoreRefused";
  public static final String REFUSED_END = "RestoreRefusedEnd";
  public static final String PREFLIGHT_REFUSED = "PreflightRefused";
  public static final String PREFLIGHT_FAILED_END = "PreflightFailedEnd";
  public static final String APPROVAL_NEEDED = "ApprovalNeeded";
  public static final String APPROVE = "ApproveRestore";
  public static final String APPROVAL_GATEWAY = "Approved";
  public static final String REJECTED_END = "RestoreRejected";
  public static final String APPROVED_JOIN = "RestoreApproved";
  public static final String PLATFORM_GATEWAY = "PlatformDriven";
  public static final String STOP = "StopComponents";
  public static final String CHECK_STOPPED = "CheckComponentsStopped";
  public static final String STOP_MANUALLY = "StopComponentsManually";
  public static final String STOPPED_JOIN = "ComponentsStopped";
  public static final String DELETE_INDICES = "DeleteIndices";
  public static final String RESTORE_SNAPSHOTS = "RestoreSnapshots";
  public static final String BROKERS_GATEWAY = "PlatformDrivesBrokers";
  public static final String START_BROKER_RESTORE = "StartBrokerRestore";
  public static final String CHECK_BROKER_RESTORE = "CheckBrokerRestore";
  public static final String RESTORE_BROKERS_MANUALLY = "RestoreBrokersManually";
  public static final String BROKERS_JOIN = "BrokersRestored";
  public static final String START_GATEWAY = "PlatformStarts";
  public static final String START = "StartComponents";
  public static final String START_MANUALLY = "StartComponentsManually";
  public static final String STARTED_JOIN = "ComponentsStarted";
  public static final String CHECK_HEALTH = "CheckClusterHealth";
  public static final String VERIFY = "VerifyRestore";
  public static final String RESTORED_END = "ClusterRestored";

  // the RDBMS path (8.9, reference 7.5): a point in time instead of a backup ID
  public static final String STORAGE_GATEWAY = "SecondaryStorage";
  public static final String RDBMS_PREFLIGHT = "RdbmsPreflight";
  public static final String RDBMS_PREFLIGHT_REFUSED = "RdbmsPreflightRefused";
  public static final String RDBMS_PREFLIGHT_FAILED_END = "RdbmsPreflightFailedEnd";
  public static final String PREFLIGHT_PASSED = "PreflightPassed";
  public static final String DATA_RESTORED = "DataRestored";
  public static final String STORAGE_AFTER_STOP = "SecondaryStorageAfterStop";
  public static final String RDBMS_PLATFORM_GATEWAY = "PlatformDrivesRdbmsRestore";
  public static final String RECOVER_DATABASE = "RecoverDatabase";
  public static final String RESTORE_BROKERS_RDBMS = "RestoreBrokersRdbms";
  public static final String RECOVER_DATABASE_MANUALLY = "RecoverDatabaseManually";
  public static final String RESTORE_BROKERS_RDBMS_MANUALLY = "RestoreBrokersRdbmsManually";
  public static final String RDBMS_RESTORED_JOIN = "RdbmsRestored";

  /** Job type of job-based user tasks, as Zeebe creates them. */
  public static final String USER_TASK_JOB_TYPE = "io.camunda.zeebe:userTask";

  private RestoreProcessModel() {}

  static final String APPROVAL_FORM = """
      {
        "schemaVersion": 16,
        "type": "default",
        "id": "restore-approval",
        "components": [
          {"type": "text", "text": "# Restore cluster {{cluster}}\\nNothing has been changed yet. Approving starts the destructive steps below; the plan names the backup or the recovery point."},
          {"type": "textarea", "label": "Restore plan", "key": "restorePlanText", "disabled": true, "rows": 16},
          {"type": "checkbox", "label": "I approve this restore", "key": "restoreApproved"},
          {"type": "textfield", "label": "Approved or rejected by", "key": "restoreDecidedBy"}
        ]
      }""";

  static String manualForm(String id, String title) {
    return manualForm(id, title, "backup {{backupId}}");
  }

  static String manualForm(String id, String title, String target) {
    return """
        {
          "schemaVersion": 16,
          "type": "default",
          "id": "%s",
          "components": [
            {"type": "text", "text": "# %s\\nRun these commands for cluster {{cluster}}, %s, then complete this task."},
            {"type": "textarea", "label": "Instructions", "key": "%s", "disabled": true, "rows": 12}
          ]
        }""".formatted(id, title, target, "instructions." + id);
  }

  public static BpmnModelInstance build() {
    var flow = Bpmn.createExecutableProcess(PROCESS_ID).name("Camunda restore")
        .startEvent(REQUESTED_START).name("Restore requested (called by camunda-cluster-run)")
        .serviceTask(RESOLVE).name("Resolve backup (ID or latest complete) or point in time").zeebeJobType(RestoreJobTypes.RESOLVE_BACKUP).zeebeJobRetries("3")
        .exclusiveGateway(STORAGE_GATEWAY).name("Secondary storage?")
        .sequenceFlowId("SearchEngineStorage").defaultFlow()
        .serviceTask(PREFLIGHT).name("Preflight: complete, compatible, reachable; write plan").zeebeJobType(RestoreJobTypes.PREFLIGHT).zeebeJobRetries("3")
        .exclusiveGateway(PREFLIGHT_PASSED)
        .exclusiveGateway(APPROVAL_NEEDED).name("Pre-approved?");

    ((ExclusiveGatewayBuilder) flow).sequenceFlowId("NeedsApproval").defaultFlow()
        .userTask(APPROVE).name("Approve restore plan").zeebeUserTaskForm(APPROVAL_FORM)
        .exclusiveGateway(APPROVAL_GATEWAY).name("Approved?")
        .sequenceFlowId("ApprovalRejected").defaultFlow()
        .endEvent(REJECTED_END).name("Restore rejected, nothing changed");
    flow.moveToNode(APPROVAL_GATEWAY).sequenceFlowId("ApprovalGiven").condition("approved", "=restoreApproved = true")
        .exclusiveGateway(APPROVED_JOIN);
    flow.moveToNode(APPROVAL_NEEDED).sequenceFlowId("PreApproved").condition("pre-approved", "=preApproved = true")
        .connectTo(APPROVED_JOIN);
    flow.moveToNode(STORAGE_GATEWAY).sequenceFlowId("RdbmsStorage").condition("RDBMS", "=secondaryStorage = \"RDBMS\"")
        .serviceTask(RDBMS_PREFLIGHT).name("Preflight: point restorable in database and Zeebe, platform able; write plan")
        .zeebeJobType(RestoreJobTypes.RDBMS_PREFLIGHT).zeebeJobRetries("3")
        .connectTo(PREFLIGHT_PASSED);

    var stop = flow.moveToNode(APPROVED_JOIN)
        .exclusiveGateway(PLATFORM_GATEWAY).name("Platform driven?");
    var stopped = waitLoop(
        stop.sequenceFlowId("StopByPlatform").condition("platform", "=platformKind != \"manual\"")
            .serviceTask(STOP).name("Stop components").zeebeJobType(RestoreJobTypes.STOP_COMPONENTS).zeebeJobRetries("5"),
        "WaitForComponentsStopped", "Wait until stopped", CHECK_STOPPED, "Check components stopped", RestoreJobTypes.CHECK_COMPONENTS_STOPPED, "componentsStopped");
    stopped.exclusiveGateway(STOPPED_JOIN);
    ((ExclusiveGatewayBuilder) flow.moveToNode(PLATFORM_GATEWAY)).sequenceFlowId("StopManually").defaultFlow()
        .userTask(STOP_MANUALLY).name("Stop components (manual)").zeebeUserTaskForm(manualForm("stopComponents", "Stop the Camunda components", "as the approved restore plan says"))
        .connectTo(STOPPED_JOIN);

    var deleted = ((ExclusiveGatewayBuilder) flow.moveToNode(STOPPED_JOIN)
        .exclusiveGateway(STORAGE_AFTER_STOP).name("Secondary storage?"))
        .sequenceFlowId("SearchEngineRestore").defaultFlow()
        .serviceTask(DELETE_INDICES).name("Delete Camunda indices by name").zeebeJobType(RestoreJobTypes.DELETE_INDICES).zeebeJobRetries("5");
    var snapshots = waitLoop(deleted, "WaitForSnapshotRestore", "Restore snapshots in order", RESTORE_SNAPSHOTS,
        "Restore next snapshot", RestoreJobTypes.RESTORE_SNAPSHOTS, "snapshotsRestored");
    var brokers = snapshots.exclusiveGateway(BROKERS_GATEWAY).name("Platform driven?");
    var restored = waitLoop(
        brokers.sequenceFlowId("BrokersByPlatform").condition("platform", "=platformKind != \"manual\"")
            .serviceTask(START_BROKER_RESTORE).name("Restore every broker").zeebeJobType(RestoreJobTypes.START_BROKER_RESTORE).zeebeJobRetries("5"),
        "WaitForBrokerRestore", "Wait for broker restore", CHECK_BROKER_RESTORE, "Check broker restore", RestoreJobTypes.CHECK_BROKER_RESTORE, "brokersRestored");
    restored.exclusiveGateway(BROKERS_JOIN);
    ((ExclusiveGatewayBuilder) flow.moveToNode(BROKERS_GATEWAY)).sequenceFlowId("BrokersManually").defaultFlow()
        .userTask(RESTORE_BROKERS_MANUALLY).name("Restore every broker (manual)").zeebeUserTaskForm(manualForm("restoreBrokers", "Run the Zeebe restore application on every broker"))
        .connectTo(BROKERS_JOIN);

    var start = flow.moveToNode(BROKERS_JOIN).exclusiveGateway(DATA_RESTORED).exclusiveGateway(START_GATEWAY).name("Platform driven?");
    start.sequenceFlowId("StartByPlatform").condition("platform", "=platformKind != \"manual\"")
        .serviceTask(START).name("Start components").zeebeJobType(RestoreJobTypes.START_COMPONENTS).zeebeJobRetries("5")
        .exclusiveGateway(STARTED_JOIN);
    ((ExclusiveGatewayBuilder) flow.moveToNode(START_GATEWAY)).sequenceFlowId("StartManually").defaultFlow()
        .userTask(START_MANUALLY).name("Start components (manual)").zeebeUserTaskForm(manualForm("startComponents", "Start the Camunda components", "as the approved restore plan says"))
        .connectTo(STARTED_JOIN);

    // RDBMS: the database first, then the brokers aligned to it (reference 7.5); no indices, no snapshots
    var rdbms = flow.moveToNode(STORAGE_AFTER_STOP).sequenceFlowId("RdbmsRestore").condition("RDBMS", "=secondaryStorage = \"RDBMS\"")
        .exclusiveGateway(RDBMS_PLATFORM_GATEWAY).name("Platform driven?");
    rdbms.sequenceFlowId("RdbmsByPlatform").condition("platform", "=platformKind != \"manual\"")
        .serviceTask(RECOVER_DATABASE).name("Recover the database to the recovery point").zeebeJobType(RestoreJobTypes.RECOVER_DATABASE).zeebeJobRetries("3")
        .serviceTask(RESTORE_BROKERS_RDBMS).name("Restore brokers (RDBMS mode)").zeebeJobType(RestoreJobTypes.RESTORE_BROKERS_RDBMS).zeebeJobRetries("3")
        .exclusiveGateway(RDBMS_RESTORED_JOIN)
        .connectTo(DATA_RESTORED);
    ((ExclusiveGatewayBuilder) flow.moveToNode(RDBMS_PLATFORM_GATEWAY)).sequenceFlowId("RdbmsManually").defaultFlow()
        .userTask(RECOVER_DATABASE_MANUALLY).name("Recover the database to the recovery point (manual)")
        .zeebeUserTaskForm(manualForm("recoverDatabase", "Recover the database", "recovery point {{recoveryPoint}}"))
        .userTask(RESTORE_BROKERS_RDBMS_MANUALLY).name("Restore brokers, RDBMS mode (manual)")
        .zeebeUserTaskForm(manualForm("restoreBrokersRdbms", "Run the Zeebe restore application on every broker (RDBMS mode)", "recovery point {{recoveryPoint}}"))
        .connectTo(RDBMS_RESTORED_JOIN);

    var healthy = waitLoop(flow.moveToNode(STARTED_JOIN), "WaitForHealthyCluster", "Wait for health and topology", CHECK_HEALTH,
        "Check health and topology", RestoreJobTypes.CHECK_CLUSTER_HEALTH, "clusterHealthy");
    BpmnModelInstance model = healthy
        .serviceTask(VERIFY).name("Verify restored data").zeebeJobType(RestoreJobTypes.VERIFY_RESTORE).zeebeJobRetries("3")
        .endEvent(RESTORED_END).name("Cluster restored")
        .moveToActivity(RESOLVE).boundaryEvent(REFUSED).name("Request invalid").error(BpmnErrors.INVALID_REQUEST)
        .endEvent(REFUSED_END).name("Restore refused, nothing changed")
        .moveToActivity(PREFLIGHT).boundaryEvent(PREFLIGHT_REFUSED).name("Preflight failed").error(BpmnErrors.PREFLIGHT_FAILED)
        .endEvent(PREFLIGHT_FAILED_END).name("Restore refused by preflight, nothing changed")
        .moveToActivity(RDBMS_PREFLIGHT).boundaryEvent(RDBMS_PREFLIGHT_REFUSED).name("Preflight failed").error(BpmnErrors.PREFLIGHT_FAILED)
        .endEvent(RDBMS_PREFLIGHT_FAILED_END).name("Restore refused by preflight, nothing changed")
        .done();
    io.github.c8backup.backup.BackupProcessModel.tidy(model);
    return model;
  }

  /** Check task, gateway, poll timer back to the check: the wait shows in Operate; a failing check ends in an incident. */
  private static AbstractFlowNodeBuilder<?, ?> waitLoop(
      AbstractFlowNodeBuilder<?, ?> from, String subId, String subName, String checkId, String checkName, String jobType, String doneVariable) {
    String gateway = checkId + "Done";
    var loop = from.subProcess(subId).name(subName)
        .embeddedSubProcess()
        .startEvent(subId + "Start")
        .serviceTask(checkId).name(checkName).zeebeJobType(jobType).zeebeJobRetries("10")
        .exclusiveGateway(gateway).name("Done?")
        .sequenceFlowId(gateway + "Yes").condition("yes", "=" + doneVariable)
        .endEvent(subId + "End");
    return ((ExclusiveGatewayBuilder) loop.moveToNode(gateway)).sequenceFlowId(gateway + "No").defaultFlow()
        .intermediateCatchEvent(checkId + "PollInterval").name("Poll interval").timerWithDurationExpression("pollInterval")
        .connectTo(checkId)
        .subProcessDone()
        .moveToActivity(subId);
  }
}
