package io.github.c8backup.run;

import static io.github.c8backup.run.ClusterRunProcessModel.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.backup.BackupProcessModel;
import io.github.c8backup.restore.RestoreProcessModel;
import io.github.c8backup.testing.Await;
import io.github.c8backup.testing.FakeCluster;
import io.github.c8backup.testing.ProcessHistory;
import io.github.c8backup.testing.ProcessTestSupport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code camunda-cluster-run} and {@code camunda-backup-schedule} on Zeebe Process Test's engine:
 * every request becomes a run unless one of the same cluster is in progress, which the engine
 * decides; a skipped request is recorded in the run in progress and never queued.
 */
class ClusterRunProcessTest extends ProcessTestSupport {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(50);

  @Autowired CamundaClient client;
  @Autowired ClusterRuns runs;
  @Autowired MeterRegistry meters;
  @Autowired RequestOutcomes outcomes;
  @Autowired FakeCluster cluster;
  final ProcessHistory history = new ProcessHistory(ENGINE.records());

  @BeforeEach
  void resetCluster() {
    cluster.reset();
  }

  @Test
  void aRequestedBackupRunsInsideTheRunProcess() throws Exception {
    // given
    int known = history.instances(PROCESS_ID).size();

    // when
    runs.request("c88", ClusterRuns.Operation.BACKUP, "api", Map.of());

    // then
    long run = history.awaitNewInstance(PROCESS_ID, known, TIMEOUT);
    history.awaitEnd(run, TIMEOUT);
    assertThat(history.passedElementIds(run)).containsSubsequence(REQUESTED_START, BACKUP, BACKUP_END).doesNotContain(RESTORE);
    long backup = child(run, BackupProcessModel.PROCESS_ID);
    assertThat(history.passedElementIds(backup)).startsWith(BackupProcessModel.REQUESTED_START).contains(BackupProcessModel.COMPLETED_END);
    assertThat(history.variable(backup, "requestedBy")).contains("api");
  }

  @Test
  void aScheduleTimerRequestsARunOfItsCluster() throws Exception {
    // given the process tests' cluster "nightly", scheduled R/PT2H
    int schedules = history.instances(SCHEDULE_PROCESS_ID).size();
    int known = history.instances(PROCESS_ID).size();

    // when
    ENGINE.engine().increaseTime(Duration.ofHours(2));

    // then the timer's instance published a request, and that request became a run of "nightly"
    long fired = history.awaitNewInstance(SCHEDULE_PROCESS_ID, schedules, TIMEOUT);
    history.awaitEnd(fired, TIMEOUT);
    assertThat(history.passedElementIds(fired)).startsWith(SCHEDULED_START + "_nightly").contains(REQUEST_SCHEDULED, SCHEDULE_END);
    long run = awaitRunOf("nightly", known);
    history.awaitEnd(run, TIMEOUT);
    long backup = child(run, BackupProcessModel.PROCESS_ID);
    assertThat(history.passedElementIds(backup)).contains(BackupProcessModel.COMPLETED_END);
    assertThat(history.variable(backup, "requestedBy")).contains("schedule");
  }

  @Test
  void requestsDuringARunAreSkippedAndRecordedWhileAnotherClusterRunsAtTheSameTime() throws Exception {
    // given a restore of r88 in progress, waiting for its plan to be approved
    cluster.topology("8.8.3", 3).storedBackup(100L);
    int known = history.instances(PROCESS_ID).size();
    int backups = history.instances(BackupProcessModel.PROCESS_ID).size();
    int restores = history.instances(RestoreProcessModel.PROCESS_ID).size();
    double skippedBefore = skipped("r88");
    runs.request("r88", ClusterRuns.Operation.RESTORE, "api", Map.of("backupId", 100, "preApproved", false));
    long run = awaitRunOf("r88", known);
    long restore = child(run, RestoreProcessModel.PROCESS_ID);
    ActivatedJob approval = awaitUserTask(client, history, restore, RestoreProcessModel.APPROVE, TIMEOUT);

    // when two backups (one the schedule's way) and another restore of r88 are requested, and a backup of c88
    ClusterRuns.Request skippedBackup = runs.request("r88", ClusterRuns.Operation.BACKUP, "api", Map.of("backupId", 999_999_999L));
    runs.request("r88", ClusterRuns.Operation.BACKUP, "schedule", Map.of());
    runs.request("r88", ClusterRuns.Operation.RESTORE, "api", Map.of("backupId", "latest", "preApproved", true));
    runs.request("c88", ClusterRuns.Operation.BACKUP, "api", Map.of());

    // then the three requests for r88 are recorded as skipped in the run in progress, which they did not disturb
    Await.until("three skipped requests recorded", TIMEOUT, POLL,
        () -> history.passedElementIds(run).stream().filter(SKIPPED_END::equals).count() == 3);
    assertThat(history.rootVariable(run, "operation")).contains("restore");
    assertThat(history.rootVariable(run, "backupId")).contains(100);
    assertThat(history.rootVariable(run, "preApproved")).contains(false);
    assertThat(skipped("r88") - skippedBefore).isEqualTo(3.0);
    assertThat(outcomes.find(skippedBackup.requestId())).hasValueSatisfying(outcome -> {
      assertThat(outcome.state()).isEqualTo("SKIPPED");
      assertThat(outcome.runInstanceKey()).isEqualTo(run);
      assertThat(outcome.failureReason()).contains("a restore run of this cluster was in progress");
    });
    // and c88's backup ran to its end meanwhile
    long other = awaitRunOf("c88", known);
    history.awaitEnd(other, TIMEOUT);
    assertThat(history.passedElementIds(child(other, BackupProcessModel.PROCESS_ID))).contains(BackupProcessModel.COMPLETED_END);
    assertThat(history.isEnded(run)).isFalse();
    // no backup of r88 and no second restore were started
    assertThat(history.instances(BackupProcessModel.PROCESS_ID)).hasSize(backups + 1);
    assertThat(history.instances(RestoreProcessModel.PROCESS_ID)).hasSize(restores + 1);

    // when the run in progress ends (the plan is rejected)
    client.newCompleteCommand(approval).variables(Map.of("restoreApproved", false)).send().join();
    history.awaitEnd(run, TIMEOUT);

    // then nothing was queued: no run of r88 follows by itself, and the next request starts one
    int after = history.instances(PROCESS_ID).size();
    Thread.sleep(500);
    assertThat(runsOf("r88").stream().filter(key -> !history.isEnded(key)).toList()).isEmpty();
    ClusterRuns.Request nextRequest = runs.request("r88", ClusterRuns.Operation.BACKUP, "api", Map.of());
    long next = awaitRunOf("r88", after);
    history.awaitEnd(next, TIMEOUT);
    assertThat(outcomes.find(nextRequest.requestId())).hasValueSatisfying(outcome -> {
      assertThat(outcome.state()).isEqualTo("ENDED");
      assertThat(outcome.outcome()).isEqualTo("COMPLETED");
      assertThat(outcome.runInstanceKey()).isEqualTo(next);
    });
    assertThat(history.passedElementIds(child(next, BackupProcessModel.PROCESS_ID))).contains(BackupProcessModel.COMPLETED_END);
  }

  private double skipped(String clusterName) {
    return meters.find(RecordSkippedRequestWorker.SKIPPED_METRIC).tag("cluster", clusterName)
        .counters().stream().mapToDouble(Counter::count).sum();
  }

  private List<Long> runsOf(String clusterName) {
    return history.instances(PROCESS_ID).stream().filter(key -> history.variable(key, "cluster").map(clusterName::equals).orElse(false)).toList();
  }

  /** The first run of the cluster among the instances after the first {@code known}. */
  private long awaitRunOf(String clusterName, int known) {
    return history.awaitInstanceOfCluster(PROCESS_ID, clusterName, known, TIMEOUT);
  }

  /** The instance the run's call activity started. */
  private long child(long run, String processId) {
    return history.awaitCalled(run, processId, TIMEOUT);
  }
}
