package io.github.c8backup.restore;

import static io.github.c8backup.restore.RestoreProcessModel.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.database.BaseBackup;
import io.github.c8backup.testing.FakeCluster;
import io.github.c8backup.testing.FakeDatabases;
import io.github.c8backup.testing.ProcessHistory;
import io.github.c8backup.testing.ProcessTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The RDBMS path of {@code bpmn/camunda-restore.bpmn} (8.9, reference 7.5): a point in time
 * instead of a backup ID. The fake cluster's Zeebe backup ranges run from an hour ago to now on
 * every partition; the database's window from its base backup two hours ago to now. Every refusal
 * is checked to have made no call that changes the target.
 */
class RdbmsRestoreProcessTest extends ProcessTestSupport {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> CHANGING = List.of("stopComponents", "recoverDatabase", "restoreBrokers", "startBrokerRestore", "startComponents");

  @Autowired CamundaClient client;
  @Autowired FakeCluster cluster;
  @Autowired FakePlatform platform;
  @Autowired FakeDatabases databases;
  final ProcessHistory history = new ProcessHistory(ENGINE.records());

  @BeforeEach
  void givenAnRdbmsClusterWithContinuousBackupsAndABaseBackup() {
    cluster.reset();
    platform.reset();
    databases.reset();
    cluster.topology("8.9.0", 3).existingZeebeBackups(100L);
    Instant now = Instant.now();
    databases.backups().put("base-1", new BaseBackup("base-1", now.minus(2, ChronoUnit.HOURS).minusSeconds(60), now.minus(2, ChronoUnit.HOURS), 4096, "/var/backups/camunda/base-1", null));
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

  private String failureReason(long run) {
    return String.valueOf(history.variable(run, "failureReason").orElseThrow());
  }

  private void assertRefusedUntouched(long run) {
    assertThat(history.passedElementIds(run)).contains(RDBMS_PREFLIGHT_REFUSED, RDBMS_PREFLIGHT_FAILED_END)
        .doesNotContain(APPROVAL_NEEDED, STOP, RECOVER_DATABASE, RESTORE_BROKERS_RDBMS);
    assertThat(platform.calls()).noneMatch(call -> CHANGING.stream().anyMatch(call::startsWith));
    assertThat(databases.calls()).isEmpty();
    assertThat(cluster.calls()).noneMatch(call -> call.startsWith("search.") || call.startsWith("zeebe.takeBackup"));
  }

  @Test
  void restoresToAPointInTimeDatabaseFirstThenBrokersWithTo() {
    // given
    Instant point = Instant.now().minus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);

    // when
    long run = restore(Map.of("cluster", "p89", "pointInTime", point.toString(), "preApproved", true));

    // then
    assertThat(history.variable(run, "outcome")).as("failure %s", history.variable(run, "failureReason")).contains("RESTORED");
    assertThat(history.passedElementIds(run)).containsSubsequence(
        RESOLVE, STORAGE_GATEWAY, RDBMS_PREFLIGHT, APPROVAL_NEEDED, STOP, CHECK_STOPPED, STORAGE_AFTER_STOP,
        RECOVER_DATABASE, RESTORE_BROKERS_RDBMS, START, CHECK_HEALTH, VERIFY, RESTORED_END)
        .doesNotContain(PREFLIGHT, APPROVE, DELETE_INDICES, RESTORE_SNAPSHOTS, START_BROKER_RESTORE);
    assertThat(platform.calls()).containsExactly("describeRdbmsRestore", "stopComponents", "componentsStopped",
        "recoverDatabase:" + point, "restoreBrokersRdbms:--to=" + point, "startComponents");
    assertThat(String.valueOf(history.variable(run, "restorePlanText").orElseThrow()))
        .contains("Recovery point: " + point, "Recover the database first, to " + point, "--to=" + point);
    assertThat(cluster.calls()).noneMatch(call -> call.startsWith("search."));
  }

  @Test
  void restoresToLatestWithTheDefaultModeAlignedToTheExporterPosition() {
    // when
    long run = restore(Map.of("cluster", "p89", "pointInTime", "latest", "preApproved", true));

    // then
    assertThat(history.variable(run, "outcome")).as("failure %s", history.variable(run, "failureReason")).contains("RESTORED");
    // the database goes to the last moment Zeebe's backups reach too, never past it: ahead of every backup, the default mode would refuse
    String recoveryPoint = String.valueOf(history.variable(run, "recoveryPoint").orElseThrow());
    assertThat(Instant.parse(recoveryPoint)).isBeforeOrEqualTo(Instant.now());
    assertThat(platform.calls()).containsSubsequence("stopComponents", "recoverDatabase:" + recoveryPoint, "restoreBrokersRdbms:default", "startComponents");
    assertThat(String.valueOf(history.variable(run, "restorePlanText").orElseThrow())).contains("default mode", "EXPORTER_POSITION", "newest archived commit");
  }

  @Test
  void refusesATimeBeforeTheEarliestBackupNamingTheNearestValidMoment() {
    long run = restore(Map.of("cluster", "p89", "pointInTime", Instant.now().minus(3, ChronoUnit.HOURS).toString(), "preApproved", true));

    assertRefusedUntouched(run);
    assertThat(failureReason(run)).contains("before the earliest restorable moment", "none before", "(after)", "nothing was changed");
  }

  @Test
  void refusesATimeInAZeebeBackupRangeGap() {
    cluster.backupRangeGap(2);

    long run = restore(Map.of("cluster", "p89", "pointInTime", Instant.now().minus(5, ChronoUnit.MINUTES).toString(), "preApproved", true));

    assertRefusedUntouched(run);
    assertThat(failureReason(run)).contains("in a gap", "(before)", "(after)");
  }

  @Test
  void refusesATimeAfterTheNewestArchivedWal() {
    long run = restore(Map.of("cluster", "p89", "pointInTime", Instant.now().plus(1, ChronoUnit.HOURS).toString(), "preApproved", true));

    assertRefusedUntouched(run);
    assertThat(failureReason(run)).contains("after the latest restorable moment", "(before)", "none after");
  }

  @Test
  void refusesAHistoryTheDatabaseDoesNotHave() {
    long run = restore(Map.of("cluster", "p89", "pointInTime", "latest", "history", 4, "preApproved", true));

    assertRefusedUntouched(run);
    assertThat(failureReason(run)).contains("on history 4 refused, nothing was changed", "the database has no history 4");
  }

  @Test
  void refusesAClusterWithoutContinuousBackups() {
    cluster.continuousBackups(false);

    long run = restore(Map.of("cluster", "p89", "pointInTime", "latest", "preApproved", true));

    assertRefusedUntouched(run);
    assertThat(failureReason(run)).contains("continuous backups are off");
  }

  @Test
  void refusesAPlatformThatCannotRestoreRdbmsClusters() {
    platform.rdbmsUnsupported("platform fake cannot recover the database");

    long run = restore(Map.of("cluster", "p89", "pointInTime", "latest", "preApproved", true));

    assertRefusedUntouched(run);
    assertThat(failureReason(run)).contains("platform fake cannot recover the database");
  }

  @Test
  void refusesABackupIdAndAMalformedInstantForAnRdbmsCluster() {
    long backupId = restore(Map.of("cluster", "p89", "backupId", 100, "preApproved", true));
    long malformed = restore(Map.of("cluster", "p89", "pointInTime", "yesterday", "preApproved", true));

    assertThat(history.passedElementIds(backupId)).contains(REFUSED_END);
    assertThat(failureReason(backupId)).contains("restored to a point in time");
    assertThat(history.passedElementIds(malformed)).contains(REFUSED_END);
    assertThat(failureReason(malformed)).contains("'yesterday' is malformed");
    assertThat(platform.calls()).isEmpty();
  }

  @Test
  void asksAPersonToRecoverTheDatabaseAndRestoreTheBrokersOnAManualPlatform() throws Exception {
    // given
    Instant point = Instant.now().minus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);

    // when
    long run = start(Map.of("cluster", "p89-manual", "pointInTime", point.toString(), "preApproved", true));
    ActivatedJob stop = awaitUserTask(run, STOP_MANUALLY);

    // then the instructions name the point, the base backup and the restore mode
    @SuppressWarnings("unchecked")
    Map<String, String> instructions = (Map<String, String>) stop.getVariablesAsMap().get("instructions");
    assertThat(instructions.get("recoverDatabase")).contains("recovery_target_time = '" + point + "'", "/var/backups/camunda/base-1",
        "restore_command = 'cp /var/lib/wal-archive/%f \"%p\"'", "recovery.signal", "pg_ctl");
    assertThat(instructions.get("restoreBrokersRdbms")).contains("--to=" + point, "Successfully restored broker");
    assertThat(String.valueOf(instructions)).doesNotContain("db-pw-must-not-leak");

    client.newCompleteCommand(stop).send().join();
    client.newCompleteCommand(awaitUserTask(run, RECOVER_DATABASE_MANUALLY)).send().join();
    client.newCompleteCommand(awaitUserTask(run, RESTORE_BROKERS_RDBMS_MANUALLY)).send().join();
    client.newCompleteCommand(awaitUserTask(run, START_MANUALLY)).send().join();
    history.awaitEnd(run, TIMEOUT);

    assertThat(history.passedElementIds(run)).containsSubsequence(STOP_MANUALLY, RECOVER_DATABASE_MANUALLY, RESTORE_BROKERS_RDBMS_MANUALLY,
        START_MANUALLY, CHECK_HEALTH, VERIFY, RESTORED_END);
    assertThat(platform.calls()).isEmpty();
  }

  private ActivatedJob awaitUserTask(long instance, String elementId) throws InterruptedException {
    return awaitUserTask(client, history, instance, elementId, TIMEOUT);
  }
}
