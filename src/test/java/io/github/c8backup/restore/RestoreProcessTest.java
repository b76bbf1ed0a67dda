package io.github.c8backup.restore;

import static io.github.c8backup.restore.RestoreProcessModel.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.testing.FakeCluster;
import io.github.c8backup.testing.ProcessHistory;
import io.github.c8backup.testing.ProcessTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code bpmn/camunda-restore.bpmn} on Zeebe Process Test's engine with the real workers, against
 * in-memory clusters and a recording platform: one test per path. Every refusal is checked to
 * have made no destructive call.
 */
class RestoreProcessTest extends ProcessTestSupport {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> DESTRUCTIVE = List.of("search.deleteIndex", "search.restoreSnapshot");

  @Autowired CamundaClient client;
  @Autowired FakeCluster cluster;
  @Autowired FakePlatform platform;
  final ProcessHistory history = new ProcessHistory(ENGINE.records());

  @BeforeEach
  void givenAClusterWithTwoBackups() {
    cluster.reset();
    platform.reset();
    cluster.topology("8.8.3", 3)
        .storedBackup(100L)
        .storedBackup(200L)
        .existingIndices("operate-list-view-8.3.0_", "tasklist-task-8.8.0_", "camunda-user-8.8.0_", "optimize-metadata_v3",
            "zeebe-record_process-instance_8.8.3_2026-11-25", "my-own-index");
  }

  private long start(Map<String, Object> variables) {
    return client.newCreateInstanceCommand().bpmnProcessId(PROCESS_ID).latestVersion()
        .variables(variables).startBeforeElement(RESOLVE).send().join().getProcessInstanceKey();
  }

  private long restore(Map<String, Object> variables) {
    long key = start(variables);
    history.awaitEnd(key, TIMEOUT);
    return key;
  }

  private List<String> destructiveCalls() {
    return cluster.calls().stream().filter(c -> DESTRUCTIVE.stream().anyMatch(c::startsWith)).toList();
  }

  private ActivatedJob awaitUserTask(long instance, String elementId) throws InterruptedException {
    return awaitUserTask(client, history, instance, elementId, TIMEOUT);
  }

  @Test
  void restoresAPreApprovedBackupStepByStepInPlanOrder() {
    // when
    long run = restore(Map.of("cluster", "r88", "backupId", 100, "preApproved", true));

    // then
    assertThat(history.passedElementIds(run)).containsSubsequence(
        RESOLVE, PREFLIGHT, APPROVAL_NEEDED, STOP, CHECK_STOPPED, DELETE_INDICES, RESTORE_SNAPSHOTS, START_BROKER_RESTORE,
        CHECK_BROKER_RESTORE, START, CHECK_HEALTH, VERIFY, RESTORED_END).doesNotContain(APPROVE);
    assertThat(platform.calls()).containsSubsequence("describe", "stopComponents", "componentsStopped", "startBrokerRestore", "brokerRestore", "startComponents");
    assertThat(destructiveCalls()).containsExactly(
        "search.deleteIndex:camunda-user-8.8.0_",
        "search.deleteIndex:operate-list-view-8.3.0_",
        "search.deleteIndex:optimize-metadata_v3",
        "search.deleteIndex:tasklist-task-8.8.0_",
        "search.deleteIndex:zeebe-record_process-instance_8.8.3_2026-11-25",
        "search.restoreSnapshot:camunda_webapps_100_8.8.3_part_1_of_2",
        "search.restoreSnapshot:camunda_webapps_100_8.8.3_part_2_of_2",
        "search.restoreSnapshot:camunda_optimize_100_8.8.3_part_1_of_2",
        "search.restoreSnapshot:camunda_optimize_100_8.8.3_part_2_of_2",
        "search.restoreSnapshot:camunda_zeebe_records_backup_100");
    assertThat(history.variable(run, "outcome")).contains("RESTORED");
    assertThat(String.valueOf(history.variable(run, "restorePlanText").orElseThrow())).contains("Backup 100", "camunda_webapps_100_8.8.3_part_1_of_2", "operate-list-view-8.3.0_");
  }

  @Test
  void restoresAn86ClusterWithOperateAndTasklistPartsAndNoCamundaIndices() {
    // given an 8.6 cluster without Optimize, and a backup taken with it
    cluster.reset();
    cluster.topology("8.6.3", 3).storedBackup(300L)
        .existingIndices("operate-list-view-8.3.0_", "tasklist-task-8.5.0_", "camunda-user-8.8.0_", "zeebe-record_process-instance_8.6.3_2026-11-25");

    // when
    long run = restore(Map.of("cluster", "r86", "backupId", 300, "preApproved", true));

    // then camunda-* is not Camunda's in 8.6 and no Optimize is deployed: neither is touched
    assertThat(history.variable(run, "outcome")).as("failure %s", history.variable(run, "failureReason")).contains("RESTORED");
    assertThat(destructiveCalls()).containsExactly(
        "search.deleteIndex:operate-list-view-8.3.0_",
        "search.deleteIndex:tasklist-task-8.5.0_",
        "search.deleteIndex:zeebe-record_process-instance_8.6.3_2026-11-25",
        "search.restoreSnapshot:camunda_operate_300_8.6.3_part_1_of_2",
        "search.restoreSnapshot:camunda_operate_300_8.6.3_part_2_of_2",
        "search.restoreSnapshot:camunda_tasklist_300_8.6.3_part_1_of_2",
        "search.restoreSnapshot:camunda_tasklist_300_8.6.3_part_2_of_2",
        "search.restoreSnapshot:camunda_zeebe_records_backup_300");
  }

  @Test
  void resolvesLatestToTheNewestBackupCompleteInEveryComponent() {
    // given backup 200 lacks its web apps part
    cluster.storedBackupMissing("webapps", 200L);

    // when
    long run = restore(Map.of("cluster", "r88", "backupId", "latest", "preApproved", true));

    // then
    assertThat(((Number) history.variable(run, "backupId").orElseThrow()).longValue()).isEqualTo(100L);
    assertThat(history.passedElementIds(run)).contains(RESTORED_END);
  }

  @Test
  void waitsForApprovalAndChangesNothingBeforeIt() throws Exception {
    // when
    long run = start(Map.of("cluster", "r88", "backupId", 100));
    ActivatedJob approval = awaitUserTask(run, APPROVE);

    // then nothing destructive happened while the plan waits for a person
    assertThat(destructiveCalls()).isEmpty();
    assertThat(platform.calls()).containsExactly("describe");
    assertThat(String.valueOf(approval.getVariablesAsMap().get("restorePlanText"))).contains("camunda_optimize_100_8.8.3_part_2_of_2");

    // when approved
    client.newCompleteCommand(approval).variables(Map.of("restoreApproved", true, "restoreDecidedBy", "ops")).send().join();
    history.awaitEnd(run, TIMEOUT);

    // then
    assertThat(history.passedElementIds(run)).containsSubsequence(APPROVE, APPROVAL_GATEWAY, STOP, RESTORED_END);
  }

  @Test
  void endsUntouchedWhenTheApprovalIsRejected() throws Exception {
    // when
    long run = start(Map.of("cluster", "r88", "backupId", 100));
    client.newCompleteCommand(awaitUserTask(run, APPROVE)).variables(Map.of("restoreApproved", false)).send().join();
    history.awaitEnd(run, TIMEOUT);

    // then
    assertThat(history.passedElementIds(run)).contains(REJECTED_END).doesNotContain(STOP, DELETE_INDICES);
    assertThat(destructiveCalls()).isEmpty();
    assertThat(platform.calls()).containsExactly("describe");
  }

  @Test
  void refusesAnUnknownBackupId() {
    long run = restore(Map.of("cluster", "r88", "backupId", 12345, "preApproved", true));

    assertThat(history.passedElementIds(run)).contains(PREFLIGHT_REFUSED, PREFLIGHT_FAILED_END).doesNotContain(STOP);
    assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow())).contains("Zeebe has no backup 12345", "nothing was changed");
    assertThat(destructiveCalls()).isEmpty();
    assertThat(platform.calls()).isEmpty();
  }

  @Test
  void refusesABackupWithAMissingWebappsPart() {
    cluster.storedBackupMissing("webapps", 100L);

    long run = restore(Map.of("cluster", "r88", "backupId", 100, "preApproved", true));

    assertThat(history.passedElementIds(run)).contains(PREFLIGHT_FAILED_END);
    assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow())).contains("Web apps has no backup 100");
    assertThat(destructiveCalls()).isEmpty();
  }

  @Test
  void refusesAVersionMismatch() {
    cluster.topology("8.8.4", 3);

    long run = restore(Map.of("cluster", "r88", "backupId", 100, "preApproved", true));

    assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow())).contains("taken with Camunda 8.8.3 but the cluster runs 8.8.4");
    assertThat(destructiveCalls()).isEmpty();
    assertThat(platform.calls()).isEmpty();
  }

  @Test
  void refusesAPartitionCountMismatch() {
    cluster.topology("8.8.3", 4);

    long run = restore(Map.of("cluster", "r88", "backupId", 100, "preApproved", true));

    assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow())).contains("has 3 partitions but the cluster has 4");
    assertThat(destructiveCalls()).isEmpty();
  }

  @Test
  void refusesAMalformedIdAndAnUnknownCluster() {
    long malformed = restore(Map.of("cluster", "r88", "backupId", "12ab", "preApproved", true));
    long unknown = restore(Map.of("cluster", "nope", "backupId", 100, "preApproved", true));

    assertThat(history.passedElementIds(malformed)).contains(REFUSED_END);
    assertThat(String.valueOf(history.variable(malformed, "failureReason").orElseThrow())).contains("'12ab' is malformed");
    assertThat(history.passedElementIds(unknown)).contains(REFUSED_END);
    assertThat(String.valueOf(history.variable(unknown, "failureReason").orElseThrow())).contains("Unknown cluster 'nope'");
    assertThat(destructiveCalls()).isEmpty();
    assertThat(platform.calls()).isEmpty();
  }

  @Test
  void asksAPersonForEachInfrastructureStepOnAManualPlatform() throws Exception {
    // when
    long run = start(Map.of("cluster", "r88-manual", "backupId", 100, "preApproved", true));
    ActivatedJob stop = awaitUserTask(run, STOP_MANUALLY);

    // then the instructions name this cluster and backup
    @SuppressWarnings("unchecked")
    Map<String, String> instructions = (Map<String, String>) stop.getVariablesAsMap().get("instructions");
    assertThat(instructions.get("restoreBrokers")).contains("--backupId=100", "Successfully restored broker from backup 100");
    assertThat(destructiveCalls()).isEmpty();

    client.newCompleteCommand(stop).send().join();
    client.newCompleteCommand(awaitUserTask(run, RESTORE_BROKERS_MANUALLY)).send().join();
    client.newCompleteCommand(awaitUserTask(run, START_MANUALLY)).send().join();
    history.awaitEnd(run, TIMEOUT);

    assertThat(history.passedElementIds(run)).containsSubsequence(STOP_MANUALLY, DELETE_INDICES, RESTORE_SNAPSHOTS, RESTORE_BROKERS_MANUALLY,
        START_MANUALLY, CHECK_HEALTH, VERIFY, RESTORED_END);
    assertThat(platform.calls()).isEmpty();
  }

  @Test
  void raisesAnIncidentAndWaitsWhenTheBrokerRestoreFails() throws Exception {
    // given
    platform.restoreFails("data directory not empty");

    // when
    long run = start(Map.of("cluster", "r88", "backupId", 100, "preApproved", true));

    // then the instance stays, with an incident a person can act on
    long deadline = System.currentTimeMillis() + TIMEOUT.toMillis();
    while (history.incidents(run).isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    assertThat(history.incidents(run)).anySatisfy(i -> assertThat(i).contains("data directory not empty", "retry this step"));
    assertThat(history.isEnded(run)).isFalse();
    client.newCancelInstanceCommand(run).send().join();
  }
}
