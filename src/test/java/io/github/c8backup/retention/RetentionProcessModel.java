package io.github.c8backup.retention;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.github.c8backup.backup.BackupProcessModel;

/**
 * Generates {@code bpmn/camunda-retention.bpmn}: select the expired backups from what the
 * components report, then delete them one by one, oldest first, each from every component.
 * Called by {@code camunda-cluster-run} only (operation {@code retention}, or right after a
 * completed backup), so it never runs beside a backup or restore of the same cluster.
 */
public final class RetentionProcessModel {

  public static final String PROCESS_ID = "camunda-retention";
  public static final String REQUESTED_START = "RetentionRequested";
  public static final String SELECT = "SelectExpiredBackups";
  public static final String OUTCOME_GATEWAY = "AnythingExpired";
  public static final String SKIPPED_END = "RetentionSkipped";
  public static final String NOTHING_EXPIRED_END = "NothingExpired";
  public static final String DELETE = "DeleteExpiredBackup";
  public static final String APPLIED_END = "ExpiredBackupsDeleted";

  private RetentionProcessModel() {}

  public static BpmnModelInstance build() {
    BpmnModelInstance model = Bpmn.createExecutableProcess(PROCESS_ID).name("Camunda backup retention")
        .startEvent(REQUESTED_START).name("Retention requested (called by camunda-cluster-run)")
        .serviceTask(SELECT).name("Select expired backups").zeebeJobType(RetentionJobTypes.SELECT_EXPIRED_BACKUPS).zeebeJobRetries("3")
        .exclusiveGateway(OUTCOME_GATEWAY).name("Anything expired?")
        .sequenceFlowId("NothingExpiredFlow").defaultFlow()
        .endEvent(NOTHING_EXPIRED_END).name("Nothing expired")
        .moveToNode(OUTCOME_GATEWAY)
        .sequenceFlowId("RetentionSkippedFlow")
        .condition("not every component answered, or no policy", "=" + SelectExpiredBackupsWorker.REPORT + ".outcome = \""
            + SelectExpiredBackupsWorker.SKIPPED + "\"")
        .endEvent(SKIPPED_END).name("Retention skipped, nothing deleted")
        .moveToNode(OUTCOME_GATEWAY)
        .sequenceFlowId("ExpiredFlow")
        .condition("expired backups", "=" + SelectExpiredBackupsWorker.REPORT + ".outcome = \"" + SelectExpiredBackupsWorker.EXPIRED + "\"")
        .serviceTask(DELETE).name("Delete expired backup from every component")
        .zeebeJobType(RetentionJobTypes.DELETE_EXPIRED_BACKUP).zeebeJobRetries("3")
        // a local variable per backup, so each deletion's answer lands in its own instance
        .zeebeInputExpression("=null", "deletedParts")
        .multiInstance(mi -> mi.sequential()
            .zeebeInputCollectionExpression(SelectExpiredBackupsWorker.EXPIRED_IDS)
            .zeebeInputElement("expiredBackupId")
            .zeebeOutputCollection("deletedBackups")
            .zeebeOutputElementExpression("{backupId: expiredBackupId, parts: deletedParts}"))
        .endEvent(APPLIED_END).name("Expired backups deleted")
        .done();
    BackupProcessModel.tidy(model);
    return model;
  }
}
