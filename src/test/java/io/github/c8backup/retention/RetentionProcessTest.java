package io.github.c8backup.retention;

import static io.github.c8backup.retention.RetentionProcessModel.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.CamundaClient;
import io.github.c8backup.backup.BackupProcessModel;
import io.github.c8backup.catalog.BackupCatalog;
import io.github.c8backup.catalog.CatalogEntry;
import io.github.c8backup.cluster.ComponentUnavailableException;
import io.github.c8backup.run.ClusterRunProcessModel;
import io.github.c8backup.run.ClusterRuns;
import io.github.c8backup.testing.Await;
import io.github.c8backup.testing.FakeCluster;
import io.github.c8backup.testing.ProcessHistory;
import io.github.c8backup.testing.ProcessTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code camunda-retention} on Zeebe Process Test's engine with the real workers and in-memory
 * clusters: always inside a run of its cluster ({@code camunda-cluster-run}), on request, after a
 * completed backup, and by its schedule (the engine's clock moved, no sleeping). The process tests'
 * cluster {@code ret88} keeps the last 2 complete backups, none older than 30 days, and deletes
 * partial ones after 2 hours; {@code ret88-scheduled} keeps the last one, every day.
 */
class RetentionProcessTest extends ProcessTestSupport {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(50);

  @Autowired CamundaClient client;
  @Autowired ClusterRuns runs;
  @Autowired FakeCluster cluster;
  @Autowired BackupCatalog catalog;
  @Autowired io.micrometer.core.instrument.MeterRegistry meters;
  final ProcessHistory history = new ProcessHistory(ENGINE.records());

  @BeforeEach
  void resetCluster() {
    cluster.reset();
  }

  private Instant ago(Duration age) {
    return Instant.now().minus(age);
  }

  @Test
  void aRetentionRunDeletesExactlyTheExpiredBackupsFromEveryComponentOldestFirst() throws Exception {
    // given four complete backups, a partial one past the grace and a partial one within it
    cluster.storedBackup(100L).storedBackupAt(100L, ago(Duration.ofDays(40)))
        .storedBackup(200L).storedBackupAt(200L, ago(Duration.ofDays(3)))
        .storedBackup(300L).storedBackupAt(300L, ago(Duration.ofDays(2)))
        .storedBackup(350L).storedBackupAt(350L, ago(Duration.ofHours(3))).storedBackupMissing("zeebe", 350L)
        .storedBackup(400L).storedBackupAt(400L, ago(Duration.ofDays(1)))
        .storedBackup(450L).storedBackupAt(450L, ago(Duration.ofMinutes(30))).storedBackupMissing("webapps", 450L);

    double deletedBefore = deletedMetric("ret88");

    // when
    long run = requestRun("ret88", ClusterRuns.Operation.RETENTION);

    // then the older complete ones beyond keep-last and the old partial one are gone from every component
    long retention = child(run, PROCESS_ID);
    history.awaitEnd(run, TIMEOUT);
    assertThat(history.passedElementIds(run)).contains(ClusterRunProcessModel.RETENTION, ClusterRunProcessModel.RETENTION_END)
        .doesNotContain(ClusterRunProcessModel.BACKUP, ClusterRunProcessModel.RESTORE);
    assertThat(history.passedElementIds(retention)).containsSubsequence(REQUESTED_START, SELECT, DELETE, APPLIED_END);
    assertThat(history.variable(retention, SelectExpiredBackupsWorker.EXPIRED_IDS)).contains(List.of(100, 200, 350));
    assertThat(ids(catalog.catalog("ret88", Integer.MAX_VALUE).backups())).containsExactly(450L, 400L, 300L);
    assertThat(cluster.calls()).filteredOn(c -> c.endsWith(".deleteBackup") || c.endsWith(".deleteSnapshot"))
        .containsExactly(
            "zeebe.deleteBackup", "webapps.deleteBackup", "optimize.deleteBackup", "search.deleteSnapshot",
            "zeebe.deleteBackup", "webapps.deleteBackup", "optimize.deleteBackup", "search.deleteSnapshot",
            "zeebe.deleteBackup", "webapps.deleteBackup", "optimize.deleteBackup", "search.deleteSnapshot");
    // and the report says what went, what stayed and why
    @SuppressWarnings("unchecked")
    Map<String, Object> report = (Map<String, Object>) history.variable(retention, SelectExpiredBackupsWorker.REPORT).orElseThrow();
    assertThat(report).containsEntry("outcome", "EXPIRED").containsEntry("cluster", "ret88");
    assertThat(report.get("policy")).isEqualTo(Map.of("keepLast", 2, "maxAge", "PT720H", "partialGrace", "PT2H"));
    assertThat(decisions(report, "delete")).extracting(d -> d.get("backupId")).containsExactly(100, 200, 350);
    assertThat(decisions(report, "keep")).extracting(d -> d.get("backupId")).containsExactly(450, 400, 300);
    assertThat(decisions(report, "keep").get(1).get("reason")).asString().contains("newest complete backup, never deleted");
    assertThat(decisions(report, "delete").get(2).get("reason")).asString().contains("not complete", "partial-grace");
    assertThat(history.variable(retention, "deletedBackups")).hasValueSatisfying(v -> assertThat((List<?>) v).hasSize(3));
    // and the deletions are counted for the metrics endpoint
    assertThat(deletedMetric("ret88") - deletedBefore).isEqualTo(3.0);
  }

  private double deletedMetric(String clusterName) {
    return meters.find(io.github.c8backup.metrics.RunMetrics.RETENTION_DELETED).tag("cluster", clusterName).tag("kind", "backup")
        .counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
  }

  @Test
  void aCompletedBackupIsFollowedByRetentionInTheSameRun() throws Exception {
    // given two complete backups
    cluster.storedBackup(100L).storedBackupAt(100L, ago(Duration.ofDays(2)))
        .storedBackup(200L).storedBackupAt(200L, ago(Duration.ofDays(1)));

    // when a backup of the cluster runs
    long run = requestRun("ret88", ClusterRuns.Operation.BACKUP);

    // then the new backup completed, and retention, in the same run, kept it and the one before
    long backup = child(run, BackupProcessModel.PROCESS_ID);
    long retention = child(run, PROCESS_ID);
    history.awaitEnd(run, TIMEOUT);
    assertThat(history.passedElementIds(run)).containsSubsequence(ClusterRunProcessModel.BACKUP,
        ClusterRunProcessModel.RETENTION_AFTER_BACKUP, ClusterRunProcessModel.BACKUP_END);
    assertThat(history.passedElementIds(backup)).contains(BackupProcessModel.COMPLETED_END);
    long newBackup = ((Number) history.variable(backup, "backupId").orElseThrow()).longValue();
    assertThat(history.variable(retention, SelectExpiredBackupsWorker.EXPIRED_IDS)).contains(List.of(100));
    assertThat(ids(catalog.catalog("ret88", Integer.MAX_VALUE).backups())).containsExactly(newBackup, 200L);
  }

  @Test
  void aBackupOfAClusterWithoutRetentionIsNotFollowedByIt() throws Exception {
    // when
    long run = requestRun("c88", ClusterRuns.Operation.BACKUP);

    // then
    history.awaitEnd(run, TIMEOUT);
    assertThat(history.passedElementIds(run)).contains(ClusterRunProcessModel.BACKUP_END)
        .doesNotContain(ClusterRunProcessModel.RETENTION_AFTER_BACKUP);
  }

  @Test
  void aComponentThatDoesNotAnswerSkipsTheRunAndNothingIsDeleted() throws Exception {
    // given old backups, and Optimize unreachable
    cluster.storedBackup(100L).storedBackupAt(100L, ago(Duration.ofDays(40)))
        .storedBackup(200L).storedBackupAt(200L, ago(Duration.ofDays(39)))
        .storedBackup(300L).storedBackupAt(300L, ago(Duration.ofDays(38)));
    cluster.fail("optimize.backups", () -> new ComponentUnavailableException("optimize", 503, "Service Unavailable", null));

    // when
    long run = requestRun("ret88", ClusterRuns.Operation.RETENTION);

    // then
    long retention = child(run, PROCESS_ID);
    history.awaitEnd(run, TIMEOUT);
    assertThat(history.passedElementIds(retention)).contains(SKIPPED_END).doesNotContain(DELETE, APPLIED_END);
    assertThat(history.variable(retention, SelectExpiredBackupsWorker.REPORT)).hasValueSatisfying(report ->
        assertThat(((Map<?, ?>) report).get("reason")).asString().contains("nothing is deleted", "optimize is unreachable"));
    assertThat(cluster.calls()).noneMatch(c -> c.endsWith(".deleteBackup") || c.endsWith(".deleteSnapshot"));
  }

  @Test
  void aDeletionThatKeepsFailingAsksEveryComponentEachTimeThenRaisesAnIncident() throws Exception {
    // given an expired backup that Zeebe refuses to delete
    cluster.storedBackup(100L).storedBackupAt(100L, ago(Duration.ofDays(40)))
        .storedBackup(200L).storedBackupAt(200L, ago(Duration.ofDays(2)))
        .storedBackup(300L).storedBackupAt(300L, ago(Duration.ofDays(1)));
    cluster.fail("zeebe.deleteBackup", () -> new ComponentUnavailableException("zeebe", 503, "Service Unavailable", null));

    // when
    long run = requestRun("ret88", ClusterRuns.Operation.RETENTION);

    // then every retry asked every component, and the incident names the backup and the cause
    long retention = child(run, PROCESS_ID);
    Await.until("an incident on the deletion", TIMEOUT, POLL, () -> !history.incidents(retention).isEmpty());
    assertThat(history.incidents(retention)).anySatisfy(i -> assertThat(i).contains("Delete expired backup 100", "Service Unavailable"));
    assertThat(cluster.calls()).filteredOn("zeebe.deleteBackup"::equals).hasSize(3);
    assertThat(cluster.calls()).filteredOn("webapps.deleteBackup"::equals).hasSize(3);
    assertThat(cluster.storedParts(100L)).contains("zeebe").doesNotContain("webapps", "optimize", "search");
    assertThat(history.isEnded(run)).as("the run waits for a person").isFalse();
    client.newCancelInstanceCommand(run).send().join();
    history.awaitEnd(run, TIMEOUT);
  }

  @Test
  void aRetentionScheduleRequestsARetentionRunOfItsClusterWhenTheEnginesClockReachesIt() throws Exception {
    // given
    cluster.storedBackup(100L).storedBackupAt(100L, ago(Duration.ofDays(2)))
        .storedBackup(200L).storedBackupAt(200L, ago(Duration.ofDays(1)));
    int schedules = history.instances(ClusterRunProcessModel.SCHEDULE_PROCESS_ID).size();
    int known = history.instances(ClusterRunProcessModel.PROCESS_ID).size();

    // when a day passes on the engine's clock
    ENGINE.engine().increaseTime(Duration.ofDays(1));

    // then the retention timer of ret88-scheduled requested a run, which kept only the newest backup
    long run = awaitRunOf("ret88-scheduled", known);
    history.awaitEnd(run, TIMEOUT);
    assertThat(history.variable(run, "operation")).contains("retention");
    assertThat(history.variable(run, "requestedBy")).contains("schedule");
    long retention = child(run, PROCESS_ID);
    assertThat(history.variable(retention, SelectExpiredBackupsWorker.EXPIRED_IDS)).contains(List.of(100));
    assertThat(history.instances(ClusterRunProcessModel.SCHEDULE_PROCESS_ID).subList(schedules,
            history.instances(ClusterRunProcessModel.SCHEDULE_PROCESS_ID).size()))
        .anySatisfy(key -> assertThat(history.passedElementIds(key))
            .startsWith(ClusterRunProcessModel.SCHEDULED_RETENTION_START + "_ret88-scheduled")
            .contains(ClusterRunProcessModel.REQUEST_SCHEDULED_RETENTION));
    assertThat(cluster.storedParts(100L)).doesNotContain("zeebe", "webapps", "search");
    assertThat(cluster.storedParts(200L)).contains("zeebe", "webapps", "search");
    // the day also fired other clusters' schedules; let their runs end before the next test
    Await.until("every run ended", TIMEOUT, POLL,
        () -> history.instances(ClusterRunProcessModel.PROCESS_ID).stream().skip(known).allMatch(history::isEnded));
  }

  private long requestRun(String clusterName, ClusterRuns.Operation operation) throws Exception {
    int known = history.instances(ClusterRunProcessModel.PROCESS_ID).size();
    runs.request(clusterName, operation, "api", Map.of());
    return awaitRunOf(clusterName, known);
  }

  private static List<Long> ids(List<CatalogEntry> entries) {
    return entries.stream().map(CatalogEntry::backupId).toList();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> decisions(Map<String, Object> report, String which) {
    return (List<Map<String, Object>>) report.get(which);
  }

  /** The first run of the cluster among the instances after the first {@code known}. */
  private long awaitRunOf(String clusterName, int known) {
    return history.awaitInstanceOfCluster(ClusterRunProcessModel.PROCESS_ID, clusterName, known, TIMEOUT);
  }

  /** The instance the run's call activity started. */
  private long child(long run, String processId) {
    return history.awaitCalled(run, processId, TIMEOUT);
  }
}
