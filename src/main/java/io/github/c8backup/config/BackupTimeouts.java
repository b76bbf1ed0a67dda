package io.github.c8backup.config;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the BPMN waits for a cluster: the poll interval of the check loops and the deadline of each
 * wait (the boundary timers), and how long exporting may stay soft-paused before the exporting
 * watchdog resumes it whatever the backup instance is doing; how long an 8.6/8.7 web app may report
 * INCOMPLETE before that counts as failed; how often the watchdog checks that the backup instance
 * still exists. Non-secret: these become process variables.
 */
public record BackupTimeouts(
    @DefaultValue("PT2S") Duration pollInterval,
    @DefaultValue("PT30M") Duration webappsDeadline,
    @DefaultValue("PT15M") Duration recordsSnapshotDeadline,
    @DefaultValue("PT30M") Duration zeebeDeadline,
    @DefaultValue("PT1H") Duration pauseBound,
    @DefaultValue("PT10M") Duration incompleteGrace,
    @DefaultValue("PT1M") Duration watchdogCheckInterval) {

  public static BackupTimeouts defaults() {
    return new BackupTimeouts(
        Duration.ofSeconds(2), Duration.ofMinutes(30), Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1),
        Duration.ofMinutes(10), Duration.ofMinutes(1));
  }
}
