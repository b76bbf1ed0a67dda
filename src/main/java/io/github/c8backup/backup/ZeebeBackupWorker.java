package io.github.c8backup.backup;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.VariablesAsType;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.worker.JobClient;
import io.github.c8backup.cluster.BackupIdTakenException;
import io.github.c8backup.cluster.zeebe.ZeebeBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackupState;
import io.github.c8backup.cluster.zeebe.ZeebeManagement;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Takes the Zeebe backup and checks it; the BPMN loops over the check until COMPLETED or the deadline. */
@Component
public class ZeebeBackupWorker {

  private final ClusterSteps steps;
  private final WaitWithinJob waits;

  ZeebeBackupWorker(ClusterSteps steps, WaitWithinJob waits) {
    this.steps = steps;
    this.waits = waits;
  }

  @JobWorker(type = JobTypes.TAKE_ZEEBE_BACKUP)
  public Map<String, StepOutcome> take(ActivatedJob job, @VariablesAsType BackupRun run) {
    try {
      ZeebeManagement zeebe = zeebe(run);
      try {
        zeebe.takeBackup(run.requireBackupId());
      } catch (BackupIdTakenException taken) {
        // A retry after a lost answer (the broker took it, the job failed): the ID was chosen by
        // this run, so a backup with exactly this ID is ours. Anything else is a real conflict.
        if (zeebe.backup(run.requireBackupId()).state() == ZeebeBackupState.DOES_NOT_EXIST) {
          throw taken;
        }
      }
      return Map.of("zeebeBackup", StepOutcome.started(steps.now(), null));
    } catch (RuntimeException e) {
      throw steps.failure(e, job, "Take Zeebe backup");
    }
  }

  /** Looks until COMPLETED or the cluster's check-wait is used up ({@link WaitWithinJob}); the BPMN loops over it. */
  @JobWorker(type = JobTypes.CHECK_ZEEBE_BACKUP, autoComplete = false)
  public void check(JobClient client, ActivatedJob job, @VariablesAsType BackupRun run) {
    waits.await(client, job, steps.clusters().settings(run.cluster()), previous -> checkOnce(job, run, previous), "zeebeBackupDone");
  }

  Map<String, Object> checkOnce(ActivatedJob job, BackupRun run, Map<String, Object> previous) {
    try {
      ZeebeBackup backup = zeebe(run).backup(run.requireBackupId());
      ZeebeBackupState state = backup.state();
      boolean done = state == ZeebeBackupState.COMPLETED;
      long now = steps.now();
      StepOutcome started = StepOutcome.lastSeen(previous, "zeebeBackup",
          run.zeebeBackup() != null ? run.zeebeBackup() : StepOutcome.started(now, null));
      StepOutcome observed = started.observed(state.name(), null, ZeebeBackupOutcomes.partitions(backup), done, now, null);
      // INCOMPLETE = some partition has no backup (yet): right after the request, a partition that
      // has not processed its checkpoint yet says so (the sandbox's brokers do; reference 2.4), so it
      // is final only once it has lasted the grace period
      boolean incompleteForGood = state == ZeebeBackupState.INCOMPLETE && observed.incompleteFor(run.incompleteGraceMillis(), now);
      if (state == ZeebeBackupState.FAILED || incompleteForGood
          || state == ZeebeBackupState.DELETED || state == ZeebeBackupState.INCOMPATIBLE) {
        throw StepFailures.failed("Zeebe backup " + backup.backupId() + " is " + state
            + (incompleteForGood ? " for longer than " + java.time.Duration.ofMillis(run.incompleteGraceMillis()) + " (partitions without it: " + partitionsWithout(backup) + ")" : "")
            + (backup.failureReason() != null ? ": " + backup.failureReason() : "")
            + ". Check the brokers' logs and the backup store configuration.");
      }
      return Map.of("zeebeBackup", observed, "zeebeBackupDone", done);
    } catch (RuntimeException e) {
      throw steps.failure(e, job, "Check Zeebe backup");
    }
  }

  private static List<Integer> partitionsWithout(ZeebeBackup backup) {
    return backup.partitions().stream().filter(p -> p.state() == ZeebeBackupState.DOES_NOT_EXIST).map(p -> p.partitionId()).toList();
  }

  private ZeebeManagement zeebe(BackupRun run) {
    return steps.connect(run).zeebe();
  }
}
