package io.github.c8backup.backup;

import static io.github.c8backup.backup.BackupProcessModel.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.CamundaClient;
import io.github.c8backup.cluster.ComponentUnavailableException;
import io.github.c8backup.testing.FakeCluster;
import io.github.c8backup.testing.ProcessHistory;
import io.github.c8backup.testing.ProcessTestSupport;
import io.github.c8backup.cluster.BackupIdTakenException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code bpmn/camunda-backup.bpmn} on Zeebe Process Test's engine, driven by the real workers
 * against in-memory clusters: one test per path.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupProcessTest extends ProcessTestSupport {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Autowired CamundaClient client;
  @Autowired FakeCluster cluster;
  @Autowired io.github.c8backup.testing.FakeDatabases databases;
  final ProcessHistory history = new ProcessHistory(ENGINE.records());

  @BeforeEach
  void resetCluster() {
    cluster.reset();
    databases.reset();
  }

  private long startBackup(Map<String, Object> variables) {
    long key = client.newCreateInstanceCommand()
        .bpmnProcessId(PROCESS_ID)
        .latestVersion()
        .variables(variables)
        .startBeforeElement(PREPARE)
        .send()
        .join()
        .getProcessInstanceKey();
    history.awaitEnd(key, TIMEOUT);
    return key;
  }

  private static boolean inOrder(List<String> actual, String... expected) {
    int at = -1;
    for (String e : expected) {
      int next = actual.subList(at + 1, actual.size()).indexOf(e);
      if (next < 0) {
        return false;
      }
      at = at + 1 + next;
    }
    return true;
  }

  @Test
  void backsUpAn86ClusterWithWebAppsBeforeThePause() {
    // when
    long run = startBackup(Map.of("cluster", "c86"));

    // then
    assertThat(history.passedElementIds(run)).containsSubsequence(
        PREPARE, TAKE_OPERATE + V86, TAKE_TASKLIST + V86, TAKE_OPTIMIZE + V86, CHECK_WEBAPPS + V86,
        SOFT_PAUSE + V86, SNAPSHOT_RECORDS + V86, CHECK_RECORDS + V86, TAKE_ZEEBE + V86, CHECK_ZEEBE + V86,
        RESUME + V86, VERIFY, COMPLETED_END);
    assertThat(history.passedElementIds(run)).doesNotContain(SOFT_PAUSE + V88, TAKE_WEBAPPS + V88, BACKUP_FAILED);
    assertThat(inOrder(cluster.calls(), "operate.takeBackup", "tasklist.takeBackup", "optimize.takeBackup",
        "zeebe.softPauseExporting", "search.createSnapshot", "zeebe.takeBackup", "zeebe.resumeExporting"))
        .as("component calls in 8.6 order: %s", cluster.calls()).isTrue();
    assertThat(history.variable(run, "outcome")).contains("COMPLETED");
    assertThat(history.variable(run, "exportingPausedMillis")).get().isInstanceOf(Number.class);
    assertThat(cluster.exportingState()).isEqualTo("RUNNING");
  }

  @Test
  void backsUpAn88ClusterWithThePauseFirst() {
    // when
    long run = startBackup(Map.of("cluster", "c88"));

    // then
    assertThat(history.passedElementIds(run)).containsSubsequence(
        PREPARE, SOFT_PAUSE + V88, TAKE_WEBAPPS + V88, TAKE_OPTIMIZE + V88, CHECK_WEBAPPS + V88,
        SNAPSHOT_RECORDS + V88, CHECK_RECORDS + V88, TAKE_ZEEBE + V88, CHECK_ZEEBE + V88, RESUME + V88, VERIFY, COMPLETED_END);
    assertThat(history.passedElementIds(run)).doesNotContain(TAKE_OPERATE + V86, TAKE_TASKLIST + V86);
    assertThat(inOrder(cluster.calls(), "zeebe.softPauseExporting", "webapps.takeBackup", "optimize.takeBackup",
        "search.createSnapshot", "zeebe.takeBackup", "zeebe.resumeExporting"))
        .as("component calls in 8.8 order: %s", cluster.calls()).isTrue();
    @SuppressWarnings("unchecked")
    Map<String, Object> webapps = (Map<String, Object>) history.variable(run, "webappsBackup").orElseThrow();
    assertThat(webapps).containsEntry("state", "COMPLETED");
    assertThat((List<?>) webapps.get("snapshots")).hasSize(2);
    assertThat(webapps.get("durationMs")).isInstanceOf(Number.class);
  }

  @Test
  void neverPutsACredentialOrAClusterUrlIntoAVariable() {
    // given c88 has passwords for Zeebe and the search engine in its configuration
    // when
    long run = startBackup(Map.of("cluster", "c88"));

    // then
    String everyVariable = history.variables(run).toString();
    assertThat(everyVariable).contains("backupId").doesNotContain("pw-must-not-leak", "backup-operator", "elastic", ".invalid");
  }

  @Test
  void showsEveryAbsentComponentAsSkipped() {
    // when
    long run = startBackup(Map.of("cluster", "c89-zeebe-only"));

    // then
    assertThat(history.passedElementIds(run)).containsSubsequence(
        SOFT_PAUSE + V88, WEBAPPS_SKIPPED + V88, OPTIMIZE_SKIPPED + V88, RECORDS_SKIPPED + V88, TAKE_ZEEBE + V88, RESUME + V88, COMPLETED_END);
    assertThat(history.passedElementIds(run)).doesNotContain(TAKE_WEBAPPS + V88, TAKE_OPTIMIZE + V88, SNAPSHOT_RECORDS + V88);
    assertThat(cluster.calls()).noneMatch(c -> c.startsWith("webapps.") || c.startsWith("optimize.") || c.startsWith("search."));
  }

  @Test
  void skipsOptimizeOn86WhenItIsNotDeployed() {
    // when
    long run = startBackup(Map.of("cluster", "c86-no-optimize"));

    // then
    assertThat(history.passedElementIds(run)).contains(OPTIMIZE_SKIPPED + V86, COMPLETED_END).doesNotContain(TAKE_OPTIMIZE + V86);
  }

  @Test
  void pollsUntilTheZeebeBackupCompletes() {
    // given
    cluster.completeAfterChecks("zeebe", 3);

    // when
    long run = startBackup(Map.of("cluster", "c89-zeebe-only"));

    // then
    assertThat(history.passedElementIds(run).stream().filter(id -> id.equals(CHECK_ZEEBE + V88))).hasSize(4);
    assertThat(history.passedElementIds(run)).contains(CHECK_ZEEBE + V88 + "PollInterval", COMPLETED_END);
  }

  @Test
  void choosesAnIdAboveEveryExistingZeebeBackup() {
    // given
    long future = 9_000_000_000L;
    cluster.existingZeebeBackups(future);

    // when
    long run = startBackup(Map.of("cluster", "c89-zeebe-only"));

    // then
    assertThat(((Number) history.variable(run, "backupId").orElseThrow()).longValue()).isEqualTo(future + 1);
    assertThat(history.variable(run, "outcome")).contains("COMPLETED");
  }

  @Test
  void defersWithoutPausingWhileAZeebeBackupIsStillInProgress() {
    // given another run's or tool's backup that Zeebe still takes
    cluster.zeebeBackupInProgress(700L);

    // when
    long run = startBackup(Map.of("cluster", "c88"));

    // then
    assertThat(history.passedElementIds(run)).contains(CLUSTER_NOT_READY, NOT_READY_END).doesNotContain(TAKE_BACKUP);
    assertThat(history.variable(run, "outcome")).contains("NOT_READY");
    assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow()))
        .contains("not fit for a backup", "Zeebe backup 700 is still in progress", "nothing was paused");
    assertThat(cluster.calls()).doesNotContain("zeebe.softPauseExporting", "zeebe.takeBackup", "webapps.takeBackup", "search.createSnapshot");
    assertThat(cluster.exportingState()).isEqualTo("RUNNING");
  }

  @Test
  void defersWithoutPausingWhenAPartitionHasNoHealthyLeader() {
    // given the gateway of r88 reports partition 2 led by an unhealthy broker and partition 3 without leader
    cluster.partitionLeader(2, "unhealthy").partitionLeader(3, null);

    // when
    long run = startBackup(Map.of("cluster", "r88"));

    // then
    assertThat(history.passedElementIds(run)).contains(NOT_READY_END).doesNotContain(TAKE_BACKUP);
    assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow()))
        .contains("partition 2 has no healthy leader: broker 0 (unhealthy)", "partition 3 has no leader")
        .doesNotContain("partition 1");
    assertThat(cluster.calls()).contains("gateway.topology").doesNotContain("zeebe.softPauseExporting", "zeebe.takeBackup");
  }

  @Test
  void aHealthyClusterWithoutABackupInProgressIsFit() {
    // given a completed backup and every partition led by a healthy broker
    cluster.existingZeebeBackups(10L);

    // when
    long run = startBackup(Map.of("cluster", "r88"));

    // then
    assertThat(history.passedElementIds(run)).contains(COMPLETED_END).doesNotContain(NOT_READY_END);
    assertThat(cluster.calls()).contains("gateway.topology", "zeebe.softPauseExporting");
  }

  @Test
  void rejectsAnUnknownClusterWithoutTouchingAnything() {
    // when
    long run = startBackup(Map.of("cluster", "nope"));

    // then
    assertThat(history.passedElementIds(run)).contains(REQUEST_REJECTED, REJECTED_END).doesNotContain(TAKE_BACKUP);
    assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow())).contains("Unknown cluster 'nope'").contains("c86");
    assertThat(cluster.calls()).isEmpty();
  }

  @Test
  void rejectsARequestedIdThatIsNotGreaterThanTheLatest() {
    // given
    cluster.existingZeebeBackups(500L);

    // when
    long run = startBackup(Map.of("cluster", "c88", "backupId", 500));

    // then
    assertThat(history.passedElementIds(run)).contains(REJECTED_END).doesNotContain(TAKE_BACKUP);
    assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow())).contains("not greater than the latest Zeebe backup 500");
    assertThat(cluster.calls()).doesNotContain("zeebe.softPauseExporting", "zeebe.takeBackup", "webapps.takeBackup");
  }

  @Test
  void rollsBackWhenTheZeebeBackupFails() {
    // given
    cluster.endsIn("zeebe", "FAILED");

    // when
    long run = startBackup(Map.of("cluster", "c88"));

    // then
    assertThat(history.passedElementIds(run)).containsSubsequence(TAKE_ZEEBE + V88, BACKUP_FAILED, RESUME_AFTER_FAILURE, REMOVE_PARTIAL, FAILED_END)
        .doesNotContain(COMPLETED_END, VERIFY);
    assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow())).contains("Zeebe backup").contains("FAILED");
    assertThat(history.variable(run, "outcome")).contains("FAILED");
    assertThat(cluster.exportingState()).isEqualTo("RUNNING");
    assertThat(cluster.calls()).contains("zeebe.deleteBackup", "webapps.deleteBackup", "optimize.deleteBackup", "search.deleteSnapshot");
  }

  @Test
  void theRollbackAsksEveryComponentEvenWhenOneFailsAndRetriesUntilAllAreRemoved() {
    // given the Zeebe backup fails, and Zeebe's store answers its first delete with HTTP 500
    cluster.endsIn("zeebe", "FAILED");
    cluster.fail("zeebe.deleteBackup", () -> {
      cluster.clearFault("zeebe.deleteBackup");
      return new io.github.c8backup.cluster.ComponentRequestRejectedException("zeebe", 500, "store unreachable", "zeebe answered HTTP 500");
    });

    // when
    long run = startBackup(Map.of("cluster", "c88"));

    // then the first attempt still removed the snapshots, the retry removed the rest, and no incident remained
    assertThat(cluster.calls().stream().filter("zeebe.deleteBackup"::equals)).hasSize(2);
    assertThat(cluster.calls().stream().filter("webapps.deleteBackup"::equals)).hasSize(2);
    assertThat(cluster.calls().stream().filter("search.deleteSnapshot"::equals)).hasSize(2);
    assertThat(history.passedElementIds(run)).contains(REMOVE_PARTIAL, FAILED_END);
    assertThat(history.variable(run, "removedParts").map(String::valueOf)).get().asString().contains("zeebe", "webapps", "optimize", "recordsSnapshot");
  }

  @Test
  void aRecordsSnapshotThatVanishesFailsAtOnceInsteadOfWaitingForTheDeadline() {
    // given the search engine loses the snapshot (restarted while taking it)
    cluster.endsIn("search", "DOES_NOT_EXIST");

    // when
    long run = startBackup(Map.of("cluster", "c88"));

    // then
    assertThat(history.passedElementIds(run)).contains(CHECK_RECORDS + V88, BACKUP_FAILED, RESUME_AFTER_FAILURE, REMOVE_PARTIAL, FAILED_END)
        .doesNotContain(RECORDS_DEADLINE + V88, TAKE_ZEEBE + V88);
    assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow())).contains("records snapshot", "no longer exists");
  }

  @Test
  void backsUpAnRdbmsClusterDatabaseFirstThenZeebeWithAGeneratedId() {
    // when
    long run = startBackup(Map.of("cluster", "r89-rdbms"));

    // then no pause, the database before Zeebe, one range per partition
    assertThat(history.passedElementIds(run)).containsSubsequence(
        PREPARE, STORAGE_GATEWAY, CHECK_CONTINUOUS, BACKUP_DATABASE, TAKE_ZEEBE_GENERATED, CHECK_ZEEBE + RDBMS, VERIFY_COVERAGE,
        APPLY_RETENTION, COMPLETED_END)
        .doesNotContain(SOFT_PAUSE + V88, TAKE_BACKUP);
    assertThat(cluster.calls()).doesNotContain("zeebe.softPauseExporting", "zeebe.takeBackup")
        .containsSubsequence("zeebe.runtimeState", "zeebe.takeBackupWithGeneratedId", "zeebe.backup", "zeebe.runtimeState");
    assertThat(databases.calls()).containsExactly("database.takeBaseBackup", "database.verify", "database.applyRetention");
    assertThat(history.variable(run, "outcome")).contains("COMPLETED");
    assertThat(((Number) history.variable(run, "backupId").orElseThrow()).longValue()).isPositive();
    @SuppressWarnings("unchecked")
    Map<String, Object> database = (Map<String, Object>) history.variable(run, "databaseBackup").orElseThrow();
    assertThat(database).containsEntry("label", "camunda-r89-rdbms-" + run + "-" + history.variable(run, "startedAt").orElseThrow())
        .containsEntry("verified", true);
    assertThat(history.variables(run).toString()).doesNotContain("db-pw-must-not-leak", "postgres-r89.invalid");
  }

  @Test
  void retentionAfterAnRdbmsBackupDeletesOnlyZeebeBackupsBeforeTheDatabaseWindowAndKeepsTheOneAtItsStart() {
    // given three older Zeebe backups in the range, all dated before the database's only base backup
    long base = 1_700_000_000_000L;
    Instant now = Instant.now();
    cluster.existingZeebeBackups(base + 1, base + 3, base + 5)
        .listedBackupsCreatedAt(Map.of(base + 1, now.minusSeconds(3 * 3600), base + 3, now.minusSeconds(2 * 3600),
            base + 5, now.minusSeconds(5400)));

    // when
    long run = startBackup(Map.of("cluster", "r89-rdbms"));

    // then retention ran after the coverage check, asked Zeebe afresh, and deleted the prefix, oldest first
    assertThat(history.passedElementIds(run)).containsSubsequence(VERIFY_COVERAGE, APPLY_RETENTION, COMPLETED_END);
    assertThat(cluster.calls().stream().filter("zeebe.deleteBackup"::equals)).hasSize(2);
    @SuppressWarnings("unchecked")
    Map<String, Object> retention = (Map<String, Object>) history.variable(run, "retention").orElseThrow();
    assertThat(retention).containsEntry("outcome", "APPLIED")
        .containsEntry("zeebeBackupsDeleted", List.of(base + 1, base + 3))
        .containsEntry("zeebeBackupKeptForWindowStart", base + 5)
        .containsEntry("databaseBackupsDeleted", List.of());
    assertThat(history.variable(run, "outcome")).contains("COMPLETED");
    assertThat(databases.backups()).hasSize(1);
  }

  @Test
  void aRetentionFaultRaisesAnIncidentOnRetentionAndNeitherFailsNorRollsBackTheCompleteBackup() throws Exception {
    // given the WAL archive cannot be read
    databases.failRetention(new java.io.UncheckedIOException("Could not list the WAL archive /wal",
        new java.io.IOException("Permission denied")));

    // when
    long key = client.newCreateInstanceCommand().bpmnProcessId(PROCESS_ID).latestVersion()
        .variables(Map.of("cluster", "r89-rdbms")).startBeforeElement(PREPARE).send().join().getProcessInstanceKey();
    awaitIncident(key);

    // then every retry was used, the incident names the step and the fault, the backup is complete and kept
    assertThat(history.incidents(key)).anySatisfy(i -> assertThat(i).contains("Apply retention", "Permission denied"));
    assertThat(databases.calls().stream().filter("database.applyRetention"::equals)).hasSize(3);
    assertThat(history.passedElementIds(key)).contains(VERIFY_COVERAGE)
        .doesNotContain(RDBMS_BACKUP_FAILED, REMOVE_PARTIAL_DATABASE_BACKUP, RDBMS_FAILED_END, COMPLETED_END);
    assertThat(history.variable(key, "outcome")).contains("COMPLETED");
    assertThat(databases.backups()).hasSize(1);
    assertThat(cluster.calls()).doesNotContain("zeebe.deleteBackup");
    client.newCancelInstanceCommand(key).send().join();
  }

  @Test
  void aBackupRangeGapSkipsRetention() {
    // given
    cluster.backupRangeGap(2);

    // when
    long run = startBackup(Map.of("cluster", "r89-rdbms"));

    // then the gap ends the run before retention: nothing judged, nothing deleted
    assertThat(history.passedElementIds(run)).contains(COVERAGE_GAP_END).doesNotContain(APPLY_RETENTION);
    assertThat(databases.calls()).doesNotContain("database.applyRetention");
    assertThat(cluster.calls()).doesNotContain("zeebe.deleteBackup");
  }

  @Test
  void anRdbmsClusterWithoutContinuousBackupsFailsWithZeebesReasonAndLeavesNoDatabaseBackup() {
    // given
    cluster.continuousBackups(false);

    // when
    long run = startBackup(Map.of("cluster", "r89-rdbms"));

    // then
    assertThat(history.passedElementIds(run)).contains(RDBMS_BACKUP_FAILED, REMOVE_PARTIAL_DATABASE_BACKUP, RDBMS_FAILED_END)
        .doesNotContain(COMPLETED_END);
    assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow())).contains("Take Zeebe backup (generated ID)", "A backupId must be provided");
    assertThat(databases.backups()).isEmpty();
  }

  @Test
  void aBackupRangeGapIsRecordedAndRaisedButTheBackupsStay() {
    // given
    cluster.backupRangeGap(2);

    // when
    long run = startBackup(Map.of("cluster", "r89-rdbms"));

    // then
    assertThat(history.passedElementIds(run)).contains(COVERAGE_GAP, COVERAGE_GAP_END).doesNotContain(COMPLETED_END, REMOVE_PARTIAL_DATABASE_BACKUP);
    assertThat(String.valueOf(history.variable(run, "coverageProblems").orElseThrow())).contains("partition 2 has 2 backup ranges");
    assertThat(history.variable(run, "outcome")).contains("COMPLETED_WITH_GAP");
    assertThat(databases.backups()).hasSize(1);
  }

  @Test
  void aDatabaseBackupThatFailsItsCheckFailsTheRunAndIsRemoved() {
    // given
    databases.failVerification();

    // when
    long run = startBackup(Map.of("cluster", "r89-rdbms"));

    // then
    assertThat(history.passedElementIds(run)).contains(RDBMS_BACKUP_FAILED, REMOVE_PARTIAL_DATABASE_BACKUP, RDBMS_FAILED_END)
        .doesNotContain(TAKE_ZEEBE_GENERATED);
    assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow())).contains("failed its check", "checksum mismatch");
    assertThat(databases.backups()).isEmpty();
    assertThat(cluster.calls()).doesNotContain("zeebe.takeBackupWithGeneratedId");
  }

  @Test
  void anRdbmsClusterRefusesARequestedBackupId() {
    // when
    long run = startBackup(Map.of("cluster", "r89-rdbms", "backupId", 42));

    // then
    assertThat(history.passedElementIds(run)).contains(REQUEST_REJECTED, REJECTED_END);
    assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow())).contains("Zeebe generates backup IDs");
    assertThat(databases.calls()).isEmpty();
  }

  @Test
  void doesNotRetryAnIdConflict() {
    // given
    cluster.fail("zeebe.takeBackup", () -> new BackupIdTakenException("zeebe", 1, "409 latest backup has a higher ID"));

    // when
    long run = startBackup(Map.of("cluster", "c89-zeebe-only"));

    // then
    assertThat(history.passedElementIds(run)).contains(RESUME_AFTER_FAILURE, FAILED_END);
    assertThat(cluster.calls().stream().filter("zeebe.takeBackup"::equals)).hasSize(1);
    assertThat(cluster.exportingState()).isEqualTo("RUNNING");
  }

  @Test
  void takesEveryBackupOnceWhenTheAnswersOfTheFirstCallsAreLost() {
    // given each component takes the backup but the orchestrator never hears back the first time
    cluster.loseAnswerOnce("zeebe.takeBackup").loseAnswerOnce("webapps.takeBackup").loseAnswerOnce("optimize.takeBackup");

    // when
    long run = startBackup(Map.of("cluster", "c88"));

    // then the retries find the backups this run took, instead of failing on "ID exists"
    assertThat(history.variable(run, "outcome")).as("failure: %s", history.variable(run, "failureReason")).contains("COMPLETED");
    assertThat(cluster.calls().stream().filter("zeebe.takeBackup"::equals)).hasSize(2);
    assertThat(cluster.calls().stream().filter("webapps.takeBackup"::equals)).hasSize(2);
    assertThat(cluster.calls()).doesNotContain("zeebe.deleteBackup", "webapps.deleteBackup");
    @SuppressWarnings("unchecked")
    Map<String, Object> webapps = (Map<String, Object>) history.variable(run, "webappsBackup").orElseThrow();
    assertThat((List<?>) webapps.get("snapshots")).hasSize(2);
  }

  @Test
  void failsFastBeforePausingWhenAComponentIsUnreachable() {
    // given Optimize does not answer
    cluster.fail("optimize.backups", () -> new ComponentUnavailableException("optimize", 0, "Connection refused", null));

    // when
    long key = client.newCreateInstanceCommand().bpmnProcessId(PROCESS_ID).latestVersion()
        .variables(Map.of("cluster", "c88")).startBeforeElement(PREPARE).send().join().getProcessInstanceKey();

    // then an incident at the prepare step names Optimize, and exporting was never touched
    long deadline = System.currentTimeMillis() + TIMEOUT.toMillis();
    while (history.incidents(key).isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(history.incidents(key)).anySatisfy(i -> assertThat(i).contains("optimize", "Connection refused"));
    assertThat(cluster.calls()).doesNotContain("zeebe.softPauseExporting", "webapps.takeBackup", "zeebe.takeBackup");
    client.newCancelInstanceCommand(key).send().join();
  }

  @Test
  void retriesATransientFaultAndCompletes() {
    // given
    cluster.fail("zeebe.softPauseExporting", () -> {
      cluster.clearFault("zeebe.softPauseExporting");
      return new ComponentUnavailableException("zeebe", 503, "Service Unavailable", null);
    });

    // when
    long run = startBackup(Map.of("cluster", "c89-zeebe-only"));

    // then
    assertThat(cluster.calls().stream().filter("zeebe.softPauseExporting"::equals)).hasSize(2);
    assertThat(history.passedElementIds(run)).contains(COMPLETED_END);
  }

  @Test
  @Order(100)
  void rollsBackWhenTheZeebeBackupPassesItsDeadline() throws Exception {
    // given
    cluster.completeAfterChecks("zeebe", Integer.MAX_VALUE);
    long key = client.newCreateInstanceCommand().bpmnProcessId(PROCESS_ID).latestVersion()
        .variables(Map.of("cluster", "c89-zeebe-only")).startBeforeElement(PREPARE).send().join().getProcessInstanceKey();
    awaitPassed(key, CHECK_ZEEBE + V88);

    // when
    ENGINE.engine().increaseTime(Duration.ofMinutes(31));
    history.awaitEnd(key, TIMEOUT);

    // then
    assertThat(history.passedElementIds(key)).contains(ZEEBE_DEADLINE + V88, RESUME_AFTER_FAILURE, REMOVE_PARTIAL, FAILED_END);
    assertThat(String.valueOf(history.variable(key, "failureReason").orElseThrow())).contains("did not complete within PT30M");
    assertThat(cluster.exportingState()).isEqualTo("RUNNING");
  }

  @Test
  @Order(110)
  void rollsBackWhenTheWebAppBackupsPassTheirDeadline() throws Exception {
    // given
    cluster.completeAfterChecks("webapps", Integer.MAX_VALUE);
    long key = client.newCreateInstanceCommand().bpmnProcessId(PROCESS_ID).latestVersion()
        .variables(Map.of("cluster", "c88")).startBeforeElement(PREPARE).send().join().getProcessInstanceKey();
    awaitPassed(key, CHECK_WEBAPPS + V88);

    // when
    ENGINE.engine().increaseTime(Duration.ofMinutes(31));
    history.awaitEnd(key, TIMEOUT);

    // then
    assertThat(history.passedElementIds(key)).contains(WEBAPPS_DEADLINE + V88, RESUME_AFTER_FAILURE, REMOVE_PARTIAL, FAILED_END)
        .doesNotContain(TAKE_ZEEBE + V88);
    assertThat(String.valueOf(history.variable(key, "failureReason").orElseThrow())).contains("Web app backups did not complete within PT30M");
    assertThat(cluster.exportingState()).isEqualTo("RUNNING");
    assertThat(cluster.calls()).contains("webapps.deleteBackup", "optimize.deleteBackup");
  }

  @Test
  @Order(120)
  void rollsBackWhenTheRecordsSnapshotPassesItsDeadline() throws Exception {
    // given
    cluster.completeAfterChecks("search", Integer.MAX_VALUE);
    long key = client.newCreateInstanceCommand().bpmnProcessId(PROCESS_ID).latestVersion()
        .variables(Map.of("cluster", "c88")).startBeforeElement(PREPARE).send().join().getProcessInstanceKey();
    awaitPassed(key, CHECK_RECORDS + V88);

    // when
    ENGINE.engine().increaseTime(Duration.ofMinutes(16));
    history.awaitEnd(key, TIMEOUT);

    // then
    assertThat(history.passedElementIds(key)).contains(RECORDS_DEADLINE + V88, RESUME_AFTER_FAILURE, REMOVE_PARTIAL, FAILED_END)
        .doesNotContain(TAKE_ZEEBE + V88);
    assertThat(String.valueOf(history.variable(key, "failureReason").orElseThrow())).contains("zeebe-record snapshot did not complete within PT15M");
    assertThat(cluster.exportingState()).isEqualTo("RUNNING");
    assertThat(cluster.calls()).contains("search.deleteSnapshot", "webapps.deleteBackup");
  }

  @Test
  @Order(150)
  void theWatchdogResumesExportingAndVoidsABackupPausedTooLong() throws Exception {
    // given a backup whose Zeebe part never completes, with a pause bound shorter than its deadline
    long[] run = pausedBackupThatNeverCompletes();
    long key = run[0];
    long watchdog = run[1];
    assertThat(cluster.exportingState()).isEqualTo("SOFT_PAUSED");

    // when the bound passes
    ENGINE.engine().increaseTime(Duration.ofMinutes(11));
    history.awaitEnd(key, TIMEOUT);
    history.awaitEnd(watchdog, TIMEOUT);

    // then
    assertThat(history.passedElementIds(watchdog)).contains(ExportingWatchdogModel.WATCHDOG_RESUME, ExportingWatchdogModel.RESUMED_BY_WATCHDOG_END);
    assertThat(history.passedElementIds(key)).contains(WATCHDOG_RESUMED, REMOVE_PARTIAL_AFTER_WATCHDOG, VOIDED_END).doesNotContain(COMPLETED_END);
    assertThat(String.valueOf(history.variable(key, "failureReason").orElseThrow())).contains("longer than PT10M", "watchdog");
    assertThat(cluster.exportingState()).isEqualTo("RUNNING");
    assertThat(cluster.calls()).contains("zeebe.deleteBackup");
  }

  @Test
  @Order(160)
  void theWatchdogResumesExportingAndRemovesThePartialBackupWhenTheBackupInstanceIsCancelledWhilePaused() throws Exception {
    // given
    long[] run = pausedBackupThatNeverCompletes();
    long key = run[0];
    long watchdog = run[1];

    // when someone cancels the backup in Operate while exporting is paused, and the watchdog's next check comes
    client.newCancelInstanceCommand(key).send().join();
    history.awaitEnd(key, TIMEOUT);
    assertThat(cluster.exportingState()).isEqualTo("SOFT_PAUSED");
    ENGINE.engine().increaseTime(Duration.ofMinutes(2));
    history.awaitEnd(watchdog, TIMEOUT);

    // then long before the bound: exporting runs, the incomplete backup is gone, the watchdog says why
    assertThat(history.passedElementIds(watchdog)).contains(
        ExportingWatchdogModel.CHECK_INSTANCE, ExportingWatchdogModel.INSTANCE_GONE, ExportingWatchdogModel.RESUME_ABANDONED,
        ExportingWatchdogModel.REMOVE_ABANDONED, ExportingWatchdogModel.ABANDONED_END)
        .doesNotContain(ExportingWatchdogModel.BOUND_REACHED);
    assertThat(cluster.exportingState()).isEqualTo("RUNNING");
    assertThat(cluster.calls()).contains("zeebe.deleteBackup");
    assertThat(history.variable(watchdog, "watchdogReason").map(String::valueOf)).get().asString()
        .contains("backup instance " + key, "ended while exporting was soft-paused");
    assertThat(history.variable(watchdog, "abandonedBackup").map(String::valueOf)).get().asString().contains("incomplete", "removed");
  }

  @Test
  @Order(170)
  void theWatchdogKeepsABackupThatIsCompleteEverywhereWhenItsInstanceIsCancelledInAnIncident() throws Exception {
    // given a backup whose every part completed, but exporting cannot be resumed: the rollback's resume ends in an incident
    cluster.fail("zeebe.resumeExporting", () -> new ComponentUnavailableException("zeebe", 503, "Service Unavailable", null));
    int watchdogs = history.instances(ExportingWatchdogModel.PROCESS_ID).size();
    long key = client.newCreateInstanceCommand().bpmnProcessId(PROCESS_ID).latestVersion()
        .variables(Map.of("cluster", "bounded")).startBeforeElement(PREPARE).send().join().getProcessInstanceKey();
    long watchdog = history.awaitNewInstance(ExportingWatchdogModel.PROCESS_ID, watchdogs, TIMEOUT);
    awaitIncident(key);
    assertThat(history.passedElementIds(key)).contains(BACKUP_FAILED).doesNotContain(REMOVE_PARTIAL);
    assertThat(history.incidents(key)).anySatisfy(i -> assertThat(i).contains("Resume exporting", "Service Unavailable"));

    // when the operator cancels it and Zeebe answers again
    client.newCancelInstanceCommand(key).send().join();
    history.awaitEnd(key, TIMEOUT);
    cluster.clearFault("zeebe.resumeExporting");
    ENGINE.engine().increaseTime(Duration.ofMinutes(2));
    history.awaitEnd(watchdog, TIMEOUT);

    // then exporting runs and the complete backup was kept: the components said so
    assertThat(cluster.exportingState()).isEqualTo("RUNNING");
    assertThat(cluster.calls()).doesNotContain("zeebe.deleteBackup");
    assertThat(history.variable(watchdog, "abandonedBackup").map(String::valueOf)).get().asString().contains("complete in every component", "kept");
  }

  @Test
  void aTransientFaultThatOutlastsItsRetriesWhilePausedRollsBackInsteadOfRaisingAnIncident() {
    // given Zeebe stops answering once its backup is taken
    cluster.fail("zeebe.backup", () -> new ComponentUnavailableException("zeebe", 0, "Connection refused", null));

    // when
    long run = startBackup(Map.of("cluster", "c89-zeebe-only"));

    // then every retry was used, then the rollback ran; no incident, exporting runs, the reason names the fault
    assertThat(cluster.calls().stream().filter("zeebe.backup"::equals)).hasSize(5);
    assertThat(history.incidents(run)).isEmpty();
    assertThat(history.passedElementIds(run)).contains(TAKE_ZEEBE + V88, BACKUP_FAILED, RESUME_AFTER_FAILURE, REMOVE_PARTIAL, FAILED_END);
    assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow())).contains("Connection refused", "Gave up after the last retry");
    assertThat(cluster.exportingState()).isEqualTo("RUNNING");
  }

  @Test
  void anIncompleteWebAppBackupOf86FailsOnlyAfterItsGracePeriod() {
    // given Operate says INCOMPLETE (8.6 can say so while still taking snapshots, camunda/camunda#33717)
    cluster.endsIn("operate", "INCOMPLETE");

    // when
    long run = startBackup(Map.of("cluster", "c86-incomplete-grace"));

    // then it was asked again during the grace period of 1 s, then the backup failed and was removed
    assertThat(cluster.calls().stream().filter("operate.backup"::equals).count()).isGreaterThan(3);
    assertThat(history.passedElementIds(run)).contains(BACKUP_FAILED, REMOVE_PARTIAL, FAILED_END).doesNotContain(SOFT_PAUSE + V86);
    assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow())).contains("Operate backup", "INCOMPLETE for longer than PT1S");
    assertThat(cluster.calls()).contains("operate.deleteBackup");
  }

  @Test
  void zeebeReportingIncompleteRightAfterTheRequestIsWaitedOut() {
    // given Zeebe says INCOMPLETE for two checks (a partition has not processed its checkpoint yet), then COMPLETED
    cluster.completeAfterChecks("zeebe", 2).reportsWhileRunning("zeebe", "INCOMPLETE");

    // when
    long run = startBackup(Map.of("cluster", "c88"));

    // then
    assertThat(cluster.calls().stream().filter("zeebe.backup"::equals).count()).isGreaterThanOrEqualTo(3);
    assertThat(history.passedElementIds(run)).contains(COMPLETED_END).doesNotContain(BACKUP_FAILED);
  }

  @Test
  void zeebeIncompleteForLongerThanTheGracePeriodFailsTheBackup() {
    // given Zeebe keeps saying INCOMPLETE
    cluster.endsIn("zeebe", "INCOMPLETE");

    // when
    long run = startBackup(Map.of("cluster", "c86-incomplete-grace"));

    // then it was asked again during the grace period of 1 s, then the backup failed and was removed
    assertThat(cluster.calls().stream().filter("zeebe.backup"::equals).count()).isGreaterThan(3);
    assertThat(history.passedElementIds(run)).contains(BACKUP_FAILED, REMOVE_PARTIAL, FAILED_END);
    assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow()))
        .contains("Zeebe backup", "INCOMPLETE for longer than PT1S", "partitions without it");
    assertThat(cluster.calls()).contains("zeebe.deleteBackup");
    assertThat(cluster.exportingState()).isEqualTo("RUNNING");
  }

  @Test
  void anIncompleteWebAppBackupOf88FailsAtOnce() {
    // given 8.8 reports INCOMPLETE only after its own incompleteCheckTimeout
    cluster.endsIn("webapps", "INCOMPLETE");

    // when
    long run = startBackup(Map.of("cluster", "c88"));

    // then
    assertThat(cluster.calls().stream().filter("webapps.backup"::equals)).hasSize(2);
    assertThat(history.passedElementIds(run)).contains(BACKUP_FAILED, RESUME_AFTER_FAILURE, REMOVE_PARTIAL, FAILED_END);
    assertThat(cluster.exportingState()).isEqualTo("RUNNING");
  }

  @Test
  void aBackupThatResumesInTimeEndsItsWatchdog() {
    // given
    int watchdogs = history.instances(ExportingWatchdogModel.PROCESS_ID).size();

    // when
    long run = startBackup(Map.of("cluster", "c89-zeebe-only"));

    // then
    long watchdog = history.awaitNewInstance(ExportingWatchdogModel.PROCESS_ID, watchdogs, TIMEOUT);
    history.awaitEnd(watchdog, TIMEOUT);
    assertThat(history.passedElementIds(run)).contains(COMPLETED_END);
    assertThat(history.passedElementIds(watchdog)).contains(ExportingWatchdogModel.RESUMED_BY_BACKUP_END)
        .doesNotContain(ExportingWatchdogModel.WATCHDOG_RESUME);
  }

  /** A backup of "bounded" (pause bound PT10M) waiting for a Zeebe backup that never completes: {instance, its watchdog}. */
  private long[] pausedBackupThatNeverCompletes() throws InterruptedException {
    cluster.completeAfterChecks("zeebe", Integer.MAX_VALUE);
    int watchdogs = history.instances(ExportingWatchdogModel.PROCESS_ID).size();
    long key = client.newCreateInstanceCommand().bpmnProcessId(PROCESS_ID).latestVersion()
        .variables(Map.of("cluster", "bounded")).startBeforeElement(PREPARE).send().join().getProcessInstanceKey();
    awaitPassed(key, CHECK_ZEEBE + V88);
    return new long[] {key, history.awaitNewInstance(ExportingWatchdogModel.PROCESS_ID, watchdogs, TIMEOUT)};
  }

  private void awaitIncident(long key) throws InterruptedException {
    long deadline = System.currentTimeMillis() + TIMEOUT.toMillis();
    while (history.incidents(key).isEmpty()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("no incident; passed " + history.passedElementIds(key));
      }
      Thread.sleep(50);
    }
  }

  private void awaitPassed(long key, String elementId) throws InterruptedException {
    long deadline = System.currentTimeMillis() + TIMEOUT.toMillis();
    while (!history.passedElementIds(key).contains(elementId)) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(elementId + " not reached; passed " + history.passedElementIds(key));
      }
      Thread.sleep(50);
    }
  }
}
