package io.github.c8backup.backup;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.annotation.VariablesAsType;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.exception.CamundaError;
import io.github.c8backup.cluster.zeebe.BackupRuntimeState;
import io.github.c8backup.cluster.zeebe.BackupRuntimeState.Checkpoint;
import io.github.c8backup.cluster.zeebe.ZeebeManagement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The Zeebe steps of the RDBMS path (8.9, reference 6.3 and 9): Zeebe backs itself up
 * continuously, so this path reads its runtime state before and after, and takes its own backup
 * with an ID Zeebe generates, after the database backup.
 */
@Component
public class ContinuousBackupsWorker {

  private static final Logger LOG = LoggerFactory.getLogger(ContinuousBackupsWorker.class);

  private final ClusterSteps steps;

  ContinuousBackupsWorker(ClusterSteps steps) {
    this.steps = steps;
  }

  /**
   * Reports what Zeebe says of its own backups: which partitions have one, the newest, and
   * whether scheduled backups show up at all. Warnings are recorded and logged; a cluster without
   * continuous backups is refused by Zeebe itself at the take step, with its own message.
   */
  @JobWorker(type = JobTypes.CHECK_CONTINUOUS_BACKUPS)
  public Map<String, Object> check(ActivatedJob job, @Variable(name = "cluster") String cluster, @Variable(name = "camundaVersion") String version) {
    try {
      BackupRuntimeState state = steps.connect(cluster, version).zeebe().runtimeState();
      List<String> warnings = new ArrayList<>();
      if (state.backupStates().isEmpty()) {
        warnings.add("Zeebe reports no backup at all: check camunda.data.primary-storage.backup.continuous and .schedule on the brokers");
      } else if (state.backupStates().stream().map(Checkpoint::checkpointType).noneMatch("SCHEDULED_BACKUP"::equals)
          && state.ranges().stream().map(r -> r.end().checkpointType()).noneMatch("SCHEDULED_BACKUP"::equals)) {
        warnings.add("no scheduled backup in Zeebe's latest backups: the backup schedule (camunda.data.primary-storage.backup.schedule) may be off");
      }
      warnings.forEach(w -> LOG.warn("Cluster {}: {}", cluster, w));
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("partitionsWithBackups", state.backupStates().stream().map(Checkpoint::partitionId).distinct().sorted().toList());
      facts.put("latestBackupAt", state.backupStates().stream().map(Checkpoint::checkpointTimestamp).filter(Objects::nonNull)
          .max(Comparator.naturalOrder()).map(Instant::toString).orElse(null));
      facts.put("warnings", warnings);
      Map<String, Object> variables = new LinkedHashMap<>();
      variables.put("continuousBackups", facts);
      return variables;
    } catch (RuntimeException e) {
      throw steps.failure(e, job, "Check continuous backups");
    }
  }

  /**
   * {@code POST backupRuntime} without a body. A retry after a lost answer takes one more backup
   * with a new generated ID: harmless, it only adds a checkpoint to the range.
   */
  @JobWorker(type = JobTypes.TAKE_ZEEBE_BACKUP_GENERATED_ID)
  public Map<String, Object> take(ActivatedJob job, @Variable(name = "cluster") String cluster, @Variable(name = "camundaVersion") String version) {
    try {
      long backupId = steps.connect(cluster, version).zeebe().takeBackupWithGeneratedId();
      Map<String, Object> variables = new LinkedHashMap<>();
      variables.put("backupId", backupId);
      variables.put("zeebeBackup", StepOutcome.started(steps.now(), null));
      return variables;
    } catch (RuntimeException e) {
      throw steps.failure(e, job, "Take Zeebe backup (generated ID)");
    }
  }

  /**
   * Every partition that took part in this run's backup must be covered by exactly one backup
   * range that reaches this backup. Otherwise the gap is recorded ({@code coverageProblems}) and
   * raised as COVERAGE_GAP: the backups stay, a person decides.
   */
  @JobWorker(type = JobTypes.VERIFY_BACKUP_COVERAGE)
  public Map<String, Object> verify(ActivatedJob job, @VariablesAsType BackupRun run) {
    try {
      ZeebeManagement zeebe = steps.connect(run).zeebe();
      BackupRuntimeState state = zeebe.runtimeState();
      long backupId = run.requireBackupId();
      int partitions = run.zeebeBackup() != null && run.zeebeBackup().partitions() != null ? run.zeebeBackup().partitions().size() : 0;
      if (partitions == 0) {
        partitions = zeebe.backup(backupId).partitions().size();
      }
      List<String> problems = new ArrayList<>(state.coverageProblems(partitions));
      List<Map<String, Object>> ranges = new ArrayList<>();
      state.rangesByPartition().forEach((partition, own) -> own.forEach(range -> {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("partitionId", partition);
        described.put("from", describe(range.start()));
        described.put("to", describe(range.end()));
        ranges.add(described);
        if (own.size() == 1 && range.end().checkpointId() < backupId) {
          problems.add("partition " + partition + ": its range ends at " + range.end().checkpointId() + ", before this backup " + backupId);
        }
      }));
      Map<String, Object> variables = new LinkedHashMap<>();
      variables.put("backupRanges", ranges);
      if (!problems.isEmpty()) {
        LOG.warn("Cluster {}: backup {} taken, but the backup ranges have gaps: {}", run.cluster(), backupId, problems);
        variables.put("coverageProblems", problems);
        variables.put("outcome", "COMPLETED_WITH_GAP");
        variables.put("failedStep", job.getType());
        variables.put("finishedAt", steps.now());
        throw CamundaError.bpmnError(BpmnErrors.COVERAGE_GAP, "Backup ranges do not cover every partition: " + String.join("; ", problems), variables);
      }
      variables.put("outcome", "COMPLETED");
      variables.put("finishedAt", steps.now());
      return variables;
    } catch (CamundaError e) {
      throw e;
    } catch (RuntimeException e) {
      throw steps.failure(e, job, "Verify backup coverage");
    }
  }

  private static Map<String, Object> describe(Checkpoint checkpoint) {
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("checkpointId", checkpoint.checkpointId());
    if (checkpoint.checkpointTimestamp() != null) {
      described.put("at", checkpoint.checkpointTimestamp().toString());
    }
    return described;
  }
}
