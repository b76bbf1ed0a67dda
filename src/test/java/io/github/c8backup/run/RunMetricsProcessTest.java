package io.github.c8backup.run;

import static io.github.c8backup.run.ClusterRunProcessModel.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.c8backup.backup.BackupProcessModel;
import io.github.c8backup.backup.JobTypes;
import io.github.c8backup.cluster.ComponentRequestRejectedException;
import io.github.c8backup.metrics.RunMetrics;
import io.github.c8backup.testing.Await;
import io.github.c8backup.testing.FakeCluster;
import io.github.c8backup.testing.ProcessHistory;
import io.github.c8backup.testing.ProcessTestSupport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The run metrics, recorded by the last task of {@code camunda-cluster-run} from the variables the
 * called backup left: what a completed, a failed and a rejected run each add, and how it reads in
 * the Prometheus format.
 */
class RunMetricsProcessTest extends ProcessTestSupport {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(50);

  @Autowired ClusterRuns runs;
  @Autowired MeterRegistry meters;
  @Autowired PrometheusMeterRegistry prometheus;
  @Autowired RunMetrics metrics;
  @Autowired FakeCluster cluster;
  final ProcessHistory history = new ProcessHistory(ENGINE.records());

  @BeforeEach
  void resetCluster() {
    cluster.reset();
  }

  @Test
  void aCompletedBackupSetsTheLastGoodBackupAndRecordsItsDurationAndPausedWindow() throws Exception {
    // given
    double completed = count(RunMetrics.RUNS, "c88", "outcome", "COMPLETED");
    long durations = timerCount(RunMetrics.DURATION, "c88");
    long pauses = timerCount(RunMetrics.EXPORTING_PAUSED, "c88");
    Instant before = Instant.now();

    // when
    long run = runToItsEnd("c88");

    // then the run passed its record task, and the metrics say what its variables say
    assertThat(history.passedElementIds(run)).containsSubsequence(BACKUP, RECORD_BACKUP_OUTCOME, BACKUP_END);
    Instant finishedAt = Instant.ofEpochMilli(((Number) history.rootVariable(run, "finishedAt").orElseThrow()).longValue());
    assertThat(metrics.lastGoodBackup("c88")).contains(finishedAt);
    assertThat(finishedAt).isAfterOrEqualTo(before.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    assertThat(count(RunMetrics.RUNS, "c88", "outcome", "COMPLETED") - completed).isEqualTo(1.0);
    assertThat(timerCount(RunMetrics.DURATION, "c88") - durations).isEqualTo(1);
    assertThat(timerCount(RunMetrics.EXPORTING_PAUSED, "c88") - pauses).isEqualTo(1);
    long pausedMillis = ((Number) history.rootVariable(run, "exportingPausedMillis").orElseThrow()).longValue();
    assertThat(meters.find(RunMetrics.EXPORTING_PAUSED).tag("cluster", "c88").timer().max(java.util.concurrent.TimeUnit.MILLISECONDS))
        .isGreaterThanOrEqualTo(pausedMillis);

    // and Prometheus reads it per cluster
    String scraped = prometheus.scrape();
    assertThat(scraped)
        .containsPattern("c8backup_run_duration_seconds_count\\{cluster=\"c88\",operation=\"backup\",outcome=\"COMPLETED\"\\} \\d")
        .containsPattern("c8backup_exporting_paused_seconds_count\\{cluster=\"c88\"\\} \\d")
        .containsPattern("c8backup_runs_total\\{cluster=\"c88\",operation=\"backup\",outcome=\"COMPLETED\"\\} \\d")
        // every configured cluster shows from the start, with no run yet
        .contains("c8backup_runs_total{cluster=\"c86\",operation=\"backup\",outcome=\"FAILED\"}")
        .doesNotContain("invalid", "password", "pw-must-not-leak");
    var gauge = java.util.regex.Pattern.compile("(?m)^c8backup_backup_last_success_timestamp_seconds\\{cluster=\"c88\"\\} (\\S+)$").matcher(scraped);
    assertThat(gauge.find()).as("the gauge of c88 in\n" + scraped).isTrue();
    assertThat(Double.parseDouble(gauge.group(1))).isEqualTo(finishedAt.toEpochMilli() / 1000.0);
  }

  @Test
  void aFailedBackupCountsAFailureOfTheStepItFailedInAndKeepsTheLastGoodBackup() throws Exception {
    // given a good backup, then a Zeebe that refuses the next one
    runToItsEnd("c88");
    Instant lastGood = metrics.lastGoodBackup("c88").orElseThrow();
    double failures = count(RunMetrics.FAILURES, "c88", "step", JobTypes.TAKE_ZEEBE_BACKUP);
    long pauses = timerCount(RunMetrics.EXPORTING_PAUSED, "c88");
    cluster.fail("zeebe.takeBackup", () -> new ComponentRequestRejectedException("zeebe", 500, "store unreachable", "zeebe answered HTTP 500"));

    // when
    long run = runToItsEnd("c88");

    // then
    assertThat(history.rootVariable(run, "outcome")).contains("FAILED");
    assertThat(history.rootVariable(run, "failedStep")).contains(JobTypes.TAKE_ZEEBE_BACKUP);
    assertThat(count(RunMetrics.FAILURES, "c88", "step", JobTypes.TAKE_ZEEBE_BACKUP) - failures).isEqualTo(1.0);
    assertThat(timerCount(RunMetrics.EXPORTING_PAUSED, "c88") - pauses).as("the rollback's resume ends the pause").isEqualTo(1);
    assertThat(metrics.lastGoodBackup("c88")).contains(lastGood);
    assertThat(prometheus.scrape()).containsPattern(
        "c8backup_runs_failed_total\\{cluster=\"c88\",operation=\"backup\",step=\"backup.take-zeebe-backup\"\\} [1-9]");
  }

  @Test
  void aRejectedBackupCountsAFailureOfPrepare() throws Exception {
    // given Zeebe holds a backup with a higher ID than the one requested
    cluster.existingZeebeBackups(5_000L);
    double failures = count(RunMetrics.FAILURES, "c88", "step", JobTypes.PREPARE);
    double rejected = count(RunMetrics.RUNS, "c88", "outcome", "REJECTED");
    long pauses = timerCount(RunMetrics.EXPORTING_PAUSED, "c88");

    // when
    long run = runToItsEnd("c88", Map.of("backupId", 10));

    // then
    assertThat(history.passedElementIds(child(run))).contains(BackupProcessModel.REJECTED_END);
    assertThat(history.rootVariable(run, "failureReason")).isPresent();
    assertThat(count(RunMetrics.FAILURES, "c88", "step", JobTypes.PREPARE) - failures).isEqualTo(1.0);
    assertThat(count(RunMetrics.RUNS, "c88", "outcome", "REJECTED") - rejected).isEqualTo(1.0);
    assertThat(timerCount(RunMetrics.EXPORTING_PAUSED, "c88")).as("nothing was paused").isEqualTo(pauses);
  }

  private long runToItsEnd(String clusterName) throws Exception {
    return runToItsEnd(clusterName, Map.of());
  }

  private long runToItsEnd(String clusterName, Map<String, Object> parameters) throws Exception {
    int known = history.instances(PROCESS_ID).size();
    runs.request(clusterName, ClusterRuns.Operation.BACKUP, "api", parameters);
    long[] found = new long[1];
    Await.until("a run of " + clusterName, TIMEOUT, POLL, () -> {
      List<Long> all = history.instances(PROCESS_ID);
      for (Long key : all.subList(Math.min(known, all.size()), all.size())) {
        if (history.variable(key, "cluster").map(clusterName::equals).orElse(false)) {
          found[0] = key;
          return true;
        }
      }
      return false;
    });
    history.awaitEnd(found[0], TIMEOUT);
    return found[0];
  }

  private long child(long run) {
    return history.instances(BackupProcessModel.PROCESS_ID).stream().filter(key -> history.parentOf(key) == run).findFirst().orElseThrow();
  }

  private double count(String name, String clusterName, String tag, String value) {
    return meters.find(name).tag("cluster", clusterName).tag(tag, value).counters().stream().mapToDouble(Counter::count).sum();
  }

  private long timerCount(String name, String clusterName) {
    return meters.find(name).tag("cluster", clusterName).timers().stream().mapToLong(Timer::count).sum();
  }
}
