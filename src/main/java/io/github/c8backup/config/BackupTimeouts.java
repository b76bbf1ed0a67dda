package io.github.c8backup.config;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the BPMN waits for a cluster: the poll interval of the check loops and the deadline of each
 * wait (the boundary timers), and how long exporting may stay soft-paused before the exporting
 * watchdog resumes it whatever the backup instance is doing; how long an 8.6/8.7 web app or Zeebe
 * (a partition without its backup yet) may report INCOMPLETE before that counts as failed; how
 * often the watchdog checks that the backup instance still exists; how long one check step keeps
 * looking inside its job before handing back to the BPMN poll loop ({@code PT0S}: one look per job,
 * every round a BPMN timer; it looks for at most half the time its job has left before the job
 * timeout, {@code camunda.client.worker.defaults.timeout}). Non-secret: these become process
 * variables.
 */
public record BackupTimeouts(
    @DefaultValue("PT2S") Duration pollInterval,
    @DefaultValue("PT30M") Duration webappsDeadline,
    @DefaultValue("PT15M") Duration recordsSnapshotDeadline,
    @DefaultValue("PT30M") Duration zeebeDeadline,
    @DefaultValue("PT1H") Duration pauseBound,
    @DefaultValue("PT10M") Duration incompleteGrace,
    @DefaultValue("PT1M") Duration watchdogCheckInterval,
    @DefaultValue("PT30S") Duration checkWait) {

  public BackupTimeouts {
    if (pollInterval != null && (pollInterval.isNegative() || pollInterval.isZero())) {
      throw new IllegalArgumentException("timeouts.poll-interval must be a positive duration, not " + pollInterval);
    }
    if (checkWait != null && checkWait.isNegative()) {
      throw new IllegalArgumentException("timeouts.check-wait must not be negative (PT0S: one look per check task), not " + checkWait);
    }
  }

  public static BackupTimeouts defaults() {
    return new BackupTimeouts(
        Duration.ofSeconds(2), Duration.ofMinutes(30), Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1),
        Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofSeconds(30));
  }
}
