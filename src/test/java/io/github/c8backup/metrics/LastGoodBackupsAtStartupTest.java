package io.github.c8backup.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.c8backup.config.OrchestratorProperties;
import io.github.c8backup.config.TargetCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * After a restart the gauge of the last good backup comes from the components, not from memory:
 * what they answer sets it, "none" reads 0, and a cluster whose components do not answer has no
 * gauge until they do.
 */
class LastGoodBackupsAtStartupTest {

  private static final Instant TAKEN = Instant.parse("2026-11-20T02:00:07Z");

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final OrchestratorProperties clusters = new OrchestratorProperties(clusters("east", "west"), Duration.ZERO);
  private final RunMetrics metrics = new RunMetrics(meters, clusters);
  private final Deque<NewestGoodBackup> answers = new ArrayDeque<>();
  private final LastGoodBackupsAtStartup startup = new LastGoodBackupsAtStartup(
      cluster -> answers.isEmpty() ? NewestGoodBackup.unknown("no answer") : answers.pop(), metrics, clusters,
      new MetricsProperties(true, Duration.ofMinutes(1)));

  @Test
  void theGaugeReadsTheTimeTheComponentsReport() {
    // given
    answers.add(NewestGoodBackup.found(TAKEN));

    // when
    boolean again = startup.lookUpOnce("east");

    // then
    assertThat(again).isFalse();
    assertThat(gauge("east")).isEqualTo(TAKEN.getEpochSecond());
    assertThat(meters.find(RunMetrics.LAST_GOOD_BACKUP).tag("cluster", "west").gauge()).isNull();
  }

  @Test
  void noBackupAtAllReadsZeroSoThatAnRpoAlertFires() {
    answers.add(NewestGoodBackup.none());

    assertThat(startup.lookUpOnce("east")).isFalse();

    assertThat(gauge("east")).isZero();
  }

  @Test
  void componentsThatDoNotAnswerLeaveTheGaugeAbsentAndAreAskedAgain() {
    // given
    answers.add(NewestGoodBackup.unknown("zeebe did not answer: Connection refused"));

    // when, then
    assertThat(startup.lookUpOnce("east")).isTrue();
    assertThat(meters.find(RunMetrics.LAST_GOOD_BACKUP).tag("cluster", "east").gauge()).isNull();

    // when they answer at the next attempt
    answers.add(NewestGoodBackup.found(TAKEN));
    assertThat(startup.lookUpOnce("east")).isFalse();
    assertThat(gauge("east")).isEqualTo(TAKEN.getEpochSecond());
  }

  @Test
  void aLookupFailingWithAnExceptionIsAskedAgain() {
    LastGoodBackupsAtStartup failing = new LastGoodBackupsAtStartup(cluster -> {
      throw new IllegalStateException("catalog broke");
    }, metrics, clusters, new MetricsProperties(true, Duration.ofMinutes(1)));

    assertThat(failing.lookUpOnce("east")).isTrue();
    assertThat(metrics.lastGoodBackup("east")).isEmpty();
  }

  @Test
  void aRunThatEndedBeforeTheLookupIsNotOverwrittenByAnOlderAnswer() {
    // given a backup run completed after the restart, before the lookup came round
    Instant runEnded = TAKEN.plus(Duration.ofDays(1));
    metrics.runEnded(new RunOutcome("east", "backup", RunMetrics.COMPLETED, null, Duration.ofSeconds(30), Duration.ofSeconds(20), runEnded));
    answers.add(NewestGoodBackup.found(TAKEN));

    // when
    assertThat(startup.lookUpOnce("east")).isFalse();

    // then
    assertThat(gauge("east")).isEqualTo(runEnded.getEpochSecond());
    assertThat(answers).as("not asked: the run already said").hasSize(1);
  }

  @Test
  void onlyMovesForward() {
    metrics.lastGoodBackup("east", TAKEN);
    metrics.lastGoodBackup("east", TAKEN.minusSeconds(3600));

    assertThat(gauge("east")).isEqualTo(TAKEN.getEpochSecond());
  }

  private double gauge(String cluster) {
    return meters.get(RunMetrics.LAST_GOOD_BACKUP).tag("cluster", cluster).gauge().value();
  }

  /** RunMetrics and the lookup only read the names. */
  private static Map<String, TargetCluster> clusters(String... names) {
    Map<String, TargetCluster> clusters = new java.util.LinkedHashMap<>();
    for (String name : names) {
      clusters.put(name, null);
    }
    return clusters;
  }
}
