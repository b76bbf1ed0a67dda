package io.github.c8backup.metrics;

import io.github.c8backup.config.OrchestratorProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The metrics of runs, served on {@code /actuator/prometheus} (dots become underscores, counters
 * end in {@code _total}, timers in {@code _seconds}). Every meter is tagged with the cluster's
 * configured name, never with a URL or anything secret. Counters and timers count what this
 * orchestrator recorded since it started; the last good backup's time also comes from the
 * components at startup ({@link LastGoodBackupsAtStartup}), since the truth lives there.
 *
 * <p>Outcomes are the {@code outcome} variable of the run: {@value #COMPLETED}, {@value #FAILED},
 * {@value #REJECTED}, {@value #COMPLETED_WITH_GAP} for backups, {@value #RESTORED} for restores,
 * {@value #ENDED} when the run set none (a restore whose plan was rejected or refused).
 */
@Component
public class RunMetrics {

  public static final String RUNS = "c8backup.runs";
  public static final String FAILURES = "c8backup.runs.failed";
  public static final String DURATION = "c8backup.run.duration";
  public static final String EXPORTING_PAUSED = "c8backup.exporting.paused";
  public static final String LAST_GOOD_BACKUP = "c8backup.backup.last.success.timestamp";
  public static final String RETENTION_DELETED = "c8backup.retention.deleted";

  public static final String COMPLETED = "COMPLETED";
  public static final String COMPLETED_WITH_GAP = "COMPLETED_WITH_GAP";
  public static final String FAILED = "FAILED";
  public static final String REJECTED = "REJECTED";
  public static final String RESTORED = "RESTORED";
  public static final String ENDED = "ENDED";
  /** The step tag of a failure whose step is not known (a BPMN error thrown outside a step). */
  public static final String UNKNOWN_STEP = "unknown";

  /** Outcomes that left no good backup (or restore) behind; each counts as a failure of its step. */
  private static final Set<String> FAILURE_OUTCOMES = Set.of(FAILED, REJECTED, COMPLETED_WITH_GAP);

  private final MeterRegistry meters;
  private final Map<String, AtomicLong> lastGoodBackupMillis = new ConcurrentHashMap<>();

  RunMetrics(MeterRegistry meters, OrchestratorProperties properties) {
    this.meters = meters;
    // every configured cluster shows from the start, at zero: rate() works from the first run, and an
    // alert can tell a cluster whose last good backup is not known yet (see docs/prometheus-alerts.yml)
    for (String cluster : properties.clusters().keySet()) {
      runs(cluster, "backup", COMPLETED);
      runs(cluster, "backup", FAILED);
    }
  }

  /** A run of {@code camunda-cluster-run} ended; recorded once, by the run's last task. */
  public void runEnded(RunOutcome run) {
    String outcome = run.outcome() == null ? ENDED : run.outcome();
    runs(run.cluster(), run.operation(), outcome).increment();
    if (FAILURE_OUTCOMES.contains(outcome)) {
      meters.counter(FAILURES, "cluster", run.cluster(), "operation", run.operation(),
          "step", run.failedStep() == null ? UNKNOWN_STEP : run.failedStep()).increment();
    }
    if (run.duration() != null) {
      meters.timer(DURATION, "cluster", run.cluster(), "operation", run.operation(), "outcome", outcome).record(run.duration());
    }
    if (run.exportingPaused() != null) {
      meters.timer(EXPORTING_PAUSED, "cluster", run.cluster()).record(run.exportingPaused());
    }
    if (COMPLETED.equals(outcome) && "backup".equals(run.operation()) && run.endedAt() != null) {
      lastGoodBackup(run.cluster(), run.endedAt());
    }
  }

  /**
   * A good backup of the cluster exists from {@code at} on. The gauge only moves forward: an older
   * time learnt later (a slow lookup at startup) never hides a newer run.
   */
  public void lastGoodBackup(String cluster, Instant at) {
    lastGoodBackupMillis(cluster).accumulateAndGet(at.toEpochMilli(), Math::max);
  }

  /** The components hold no good backup of the cluster: the gauge reads 0 (1970), so an RPO alert fires. */
  public void noGoodBackup(String cluster) {
    lastGoodBackupMillis(cluster);
  }

  /** What the gauge says, if it has been learnt. */
  public Optional<Instant> lastGoodBackup(String cluster) {
    AtomicLong millis = lastGoodBackupMillis.get(cluster);
    return millis == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis.get()));
  }

  /**
   * Retention deleted {@code count} items of a cluster's backups.
   *
   * @param kind what was deleted, a short fixed word: {@code zeebe-backup}, {@code database-backup},
   *     {@code wal-segment}, ...
   */
  public void retentionDeleted(String cluster, String kind, long count) {
    if (count > 0) {
      meters.counter(RETENTION_DELETED, "cluster", cluster, "kind", kind).increment(count);
    }
  }

  private io.micrometer.core.instrument.Counter runs(String cluster, String operation, String outcome) {
    return meters.counter(RUNS, "cluster", cluster, "operation", operation, "outcome", outcome);
  }

  private AtomicLong lastGoodBackupMillis(String cluster) {
    return lastGoodBackupMillis.computeIfAbsent(cluster, name -> {
      AtomicLong millis = new AtomicLong();
      Gauge.builder(LAST_GOOD_BACKUP, millis, m -> m.get() / 1000.0)
          .description("When the newest backup that is complete in every component was taken (0: none)")
          .baseUnit("seconds")
          .tag("cluster", name)
          .register(meters);
      return millis;
    });
  }

  /** For durations measured from variables: nothing negative (clocks of two replicas may disagree a little). */
  static Duration nonNegative(Duration duration) {
    return duration.isNegative() ? Duration.ZERO : duration;
  }
}
