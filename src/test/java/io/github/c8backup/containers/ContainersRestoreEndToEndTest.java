package io.github.c8backup.containers;

import static io.github.c8backup.restore.RestoreProcessModel.CHECK_HEALTH;
import static io.github.c8backup.restore.RestoreProcessModel.DELETE_INDICES;
import static io.github.c8backup.restore.RestoreProcessModel.PREFLIGHT_FAILED_END;
import static io.github.c8backup.restore.RestoreProcessModel.RESTORED_END;
import static io.github.c8backup.restore.RestoreProcessModel.RESTORE_SNAPSHOTS;
import static io.github.c8backup.restore.RestoreProcessModel.START;
import static io.github.c8backup.restore.RestoreProcessModel.START_BROKER_RESTORE;
import static io.github.c8backup.restore.RestoreProcessModel.STOP;
import static io.github.c8backup.restore.RestoreProcessModel.VERIFY;
import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.search.enums.ProcessInstanceState;
import io.github.c8backup.backup.BackupProcessModel;
import io.github.c8backup.restore.RestoreProcessModel;
import io.github.c8backup.testing.ProcessHistory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The sandbox's restore scenario against the REAL camunda/camunda 8.8 image with Elasticsearch and
 * an S3 store: one backup of instances A is taken at the start; a request for an unknown backup
 * must change nothing; then instances B are created, the target is wiped (broker data and
 * Camunda's indices) and the orchestrator restores the latest backup through
 * {@code platform.type: testcontainers}. A is back in the broker and in the web apps' indices and
 * runs on; B is gone.
 */
@DockerTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainersRestoreEndToEndTest {

  private static final Duration BACKUP_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration VISIBLE_TIMEOUT = Duration.ofMinutes(3);
  private static final String RESTORES = "/api/clusters/" + ContainersOrchestrator.CLUSTER + "/restores";

  private static CamundaTargetStack stack;
  private static ContainersOrchestrator orchestrator;
  private static TargetSearch search;
  private static ProcessHistory history;
  private static List<Long> before;
  private static long backupId;

  @BeforeAll
  static void takeABackupOfInstancesA() throws Exception {
    stack = CamundaTargetStack.start();
    orchestrator = ContainersOrchestrator.start(stack);
    search = new TargetSearch(stack);
    history = orchestrator.history();
    before = new ArrayList<>();
    try (CamundaClient camunda = stack.camundaClient()) {
      WaitingProcess.deploy(camunda);
      for (int i = 0; i < 2; i++) {
        before.add(WaitingProcess.start(camunda));
      }
      Eventually.holds("instances A " + before + " in secondary storage", VISIBLE_TIMEOUT,
          () -> WaitingProcess.visible(camunda).keySet().containsAll(before));
    }
    assertThat(orchestrator.post("/api/clusters/" + ContainersOrchestrator.CLUSTER + "/backups", "{}").statusCode()).isEqualTo(202);
    long run = history.awaitNewInstance(BackupProcessModel.PROCESS_ID, 0, BACKUP_TIMEOUT);
    history.awaitEnd(run, BACKUP_TIMEOUT);
    assertThat(history.variable(run, "outcome"))
        .as("backup: failureReason=%s, incidents=%s", history.variable(run, "failureReason"), history.incidents(run))
        .contains("COMPLETED");
    backupId = ((Number) history.variable(run, "backupId").orElseThrow()).longValue();
  }

  @AfterAll
  static void stop() {
    if (orchestrator != null) {
      orchestrator.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void refusesAnUnknownBackupIdAndTouchesNothing() {
    // given
    String container = stack.camundaContainerId();
    Map<String, Long> indices = search.documentCounts();
    long unknown = backupId + 999;

    // when
    long run = restore("{\"backupId\": " + unknown + ", \"preApproved\": true}");

    // then the preflight refused it, and Camunda kept running on its data
    assertThat(history.passedElementIds(run)).contains(PREFLIGHT_FAILED_END).doesNotContain(STOP, DELETE_INDICES);
    assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow())).contains("Zeebe has no backup " + unknown);
    assertThat(stack.camundaContainerId()).isEqualTo(container);
    // a live cluster keeps writing, so "untouched" means no index is gone and none lost documents
    Map<String, Long> now = search.documentCounts();
    assertThat(now).containsKeys(indices.keySet().toArray(String[]::new));
    indices.forEach((index, count) -> assertThat(now.get(index)).as(index).isGreaterThanOrEqualTo(count));
  }

  @Test
  @Order(10)
  void restoresTheLatestBackupOverAWipedTarget() throws Exception {
    // given instances B after the backup, then the target loses its broker data and its indices
    List<Long> after = new ArrayList<>();
    try (CamundaClient camunda = stack.camundaClient()) {
      for (int i = 0; i < 2; i++) {
        after.add(WaitingProcess.start(camunda));
      }
      Eventually.holds("instances B " + after + " in secondary storage", VISIBLE_TIMEOUT,
          () -> WaitingProcess.visible(camunda).keySet().containsAll(after));
    }
    stack.stopCamunda();
    search.deleteCamundaIndices();
    stack.startCamunda(stack.newDataVolume());
    try (CamundaClient camunda = stack.camundaClient()) {
      Eventually.holds("the wiped target to answer without instances", VISIBLE_TIMEOUT, () -> WaitingProcess.visible(camunda).isEmpty());
    }

    // when "latest" is restored: the fresh broker finds the backup in the S3 store
    long run = restore("{\"backupId\": \"latest\", \"preApproved\": true}");

    // then
    assertThat(history.variable(run, "outcome"))
        .as("passed %s, incidents %s", history.passedElementIds(run), history.incidents(run))
        .contains("RESTORED");
    assertThat(((Number) history.variable(run, "backupId").orElseThrow()).longValue()).isEqualTo(backupId);
    assertThat(history.passedElementIds(run)).containsSubsequence(STOP, DELETE_INDICES, RESTORE_SNAPSHOTS,
        START_BROKER_RESTORE, START, CHECK_HEALTH, VERIFY, RESTORED_END);
    try (CamundaClient camunda = stack.camundaClient()) {
      // B's keys are free again in the restored broker, so B is looked for before anything new is created
      Map<Long, ActivatedJob> jobs = new HashMap<>();
      Eventually.holds("jobs of instances A " + before + " in the restored broker", VISIBLE_TIMEOUT, () -> {
        jobs.putAll(WaitingProcess.activateJobs(camunda, Duration.ofMinutes(10)));
        return jobs.keySet().containsAll(before);
      });
      jobs.putAll(WaitingProcess.activateJobs(camunda, Duration.ofMinutes(10)));
      assertThat(jobs.keySet()).as("instances with a waiting job").doesNotContainAnyElementsOf(after);
      Eventually.holds("instances A in the restored indices", VISIBLE_TIMEOUT,
          () -> WaitingProcess.visible(camunda).keySet().containsAll(before));
      assertThat(WaitingProcess.visible(camunda).keySet()).as("instances in the indices").doesNotContainAnyElementsOf(after);

      // and A runs on, and a new instance is exported again
      for (long instance : before) {
        camunda.newCompleteCommand(jobs.get(instance).getKey()).send().join();
      }
      Eventually.holds("instances A completed", VISIBLE_TIMEOUT, () -> {
        Map<Long, ProcessInstanceState> visible = WaitingProcess.visible(camunda);
        return before.stream().allMatch(instance -> visible.get(instance) == ProcessInstanceState.COMPLETED);
      });
      long later = WaitingProcess.start(camunda);
      Eventually.holds("records of instance " + later + " in zeebe-record*", VISIBLE_TIMEOUT,
          () -> search.exportedRecordsOf(later) > 0);
    }
  }

  /** Requests a restore and waits for its run to end. */
  private static long restore(String body) {
    int known = history.instances(RestoreProcessModel.PROCESS_ID).size();
    assertThat(orchestrator.post(RESTORES, body).statusCode()).isEqualTo(202);
    long run = history.awaitNewInstance(RestoreProcessModel.PROCESS_ID, known, RESTORE_TIMEOUT);
    history.awaitEnd(run, RESTORE_TIMEOUT);
    return run;
  }
}
