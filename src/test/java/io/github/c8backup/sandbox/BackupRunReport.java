package io.github.c8backup.sandbox;

import io.github.c8backup.testing.ProcessHistory;
import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Prints what one {@code camunda-backup} run did, from the control engine's history (what Operate
 * would show) and from the real storage (where each artefact lies).
 */
final class BackupRunReport {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
  private static final List<String> STEPS = List.of("operateBackup", "tasklistBackup", "webappsBackup", "optimizeBackup", "recordsSnapshot", "zeebeBackup");

  private BackupRunReport() {}

  static void print(PrintStream out, Sandbox sandbox, long instanceKey) {
    ProcessHistory history = sandbox.history();
    Map<String, Object> vars = history.variables(instanceKey);
    Object backupId = vars.get("backupId");
    out.println();
    out.println("==================== camunda-backup run " + instanceKey + " ====================");
    out.printf("cluster %s | Camunda %s (%s, from %s) | backup ID %s | outcome %s%n",
        vars.get("cluster"), vars.get("camundaVersion"), vars.get("exactVersion"), vars.get("versionSource"), backupId, vars.get("outcome"));
    if (vars.get("failureReason") != null) {
      out.println("failure: " + vars.get("failureReason"));
    }
    if ("RDBMS".equals(vars.get("secondaryStorage"))) {
      printRdbms(out, sandbox, vars);
      printHistory(out, history, instanceKey);
      return;
    }
    String cluster = String.valueOf(vars.get("cluster"));
    CamundaTargetSimulatorView target = new CamundaTargetSimulatorView(sandbox, cluster);
    out.println();
    out.println("Steps (component state, duration):");
    boolean combined = "8.8".equals(vars.get("camundaVersion")) || "8.9".equals(vars.get("camundaVersion"));
    for (String step : STEPS) {
      if (combined ? step.equals("operateBackup") || step.equals("tasklistBackup") : step.equals("webappsBackup")) {
        continue; // not a step of this version's procedure
      }
      Object value = vars.get(step);
      if (value instanceof Map<?, ?> outcome) {
        out.printf("  %-16s %-12s %8s  %s%n", step, outcome.get("state"),
            outcome.get("durationMs") == null ? "-" : outcome.get("durationMs") + " ms",
            outcome.get("snapshots") == null ? "" : outcome.get("snapshots"));
        if (outcome.get("partitions") instanceof List<?> partitions) {
          for (Object p : partitions) {
            out.println("                   partition " + p);
          }
        }
      } else {
        out.printf("  %-16s %-12s%n", step, "skipped (not deployed)");
      }
    }
    out.println();
    out.println("Exporting soft-paused for " + vars.getOrDefault("exportingPausedMillis", "?") + " ms"
        + " (target now: " + target.exportingState() + ")");
    out.println();
    out.println("Artefacts:");
    if (backupId != null) {
      try (S3Client s3 = sandbox.s3Client()) {
        List<S3Object> objects = s3.listObjectsV2Paginator(r -> r.bucket(Sandbox.BUCKET)).contents().stream()
            .filter(o -> o.key().contains("/" + backupId + "/"))
            .filter(o -> target.basePath().isEmpty() || o.key().startsWith(target.basePath() + "/"))
            .toList();
        out.println("  S3 bucket " + Sandbox.BUCKET + " at " + sandbox.s3().endpoint() + " (" + objects.size() + " objects for this backup):");
        objects.forEach(o -> out.printf("    %s (%d bytes)%n", o.key(), o.size()));
      }
      out.println("  snapshots in repository " + sandbox.snapshotRepository(cluster) + " of " + sandbox.search().kind() + " at " + sandbox.search().url() + ":");
      if (vars.get("verification") instanceof Map<?, ?> verification) {
        verification.forEach((component, v) -> out.println("    " + component + ": " + v));
      }
    }
    printHistory(out, history, instanceKey);
  }

  /** The RDBMS path (8.9): the database's base backup, Zeebe's backup with its generated ID, the backup ranges. */
  private static void printRdbms(PrintStream out, Sandbox sandbox, Map<String, Object> vars) {
    out.println();
    out.println("Zeebe's continuous backups before the run: " + vars.getOrDefault("continuousBackups", "-"));
    out.println("Database base backup: " + vars.getOrDefault("databaseBackup", "-"));
    out.println("Database recoverable window: " + vars.getOrDefault("databaseRecoverableWindow", "-"));
    if (vars.get("zeebeBackup") instanceof Map<?, ?> zeebe) {
      out.println("Zeebe backup " + vars.get("backupId") + ": " + zeebe.get("state"));
      if (zeebe.get("partitions") instanceof List<?> partitions) {
        partitions.forEach(p -> out.println("  partition " + p));
      }
    }
    if (vars.get("backupRanges") instanceof List<?> ranges) {
      out.println("Backup ranges:");
      ranges.forEach(range -> out.println("  " + range));
    }
    if (vars.get("coverageProblems") != null) {
      out.println("Coverage problems: " + vars.get("coverageProblems"));
    }
    out.println();
    out.println("Artefacts:");
    if (vars.get("databaseBackup") instanceof Map<?, ?> database) {
      out.println("  base backup folder " + sandbox.postgres().backupDirectory().resolve(String.valueOf(database.get("label"))));
    }
    Object backupId = vars.get("backupId");
    if (backupId != null) {
      try (S3Client s3 = sandbox.s3Client()) {
        List<S3Object> objects = s3.listObjectsV2Paginator(r -> r.bucket(Sandbox.BUCKET)).contents().stream()
            .filter(o -> o.key().contains("/" + backupId + "/"))
            .toList();
        out.println("  S3 bucket " + Sandbox.BUCKET + " at " + sandbox.s3().endpoint() + " (" + objects.size() + " objects for this backup):");
        objects.forEach(o -> out.printf("    %s (%d bytes)%n", o.key(), o.size()));
      }
    }
  }

  static void printRestore(PrintStream out, Sandbox sandbox, long instanceKey) {
    ProcessHistory history = sandbox.history();
    Map<String, Object> vars = history.variables(instanceKey);
    out.println();
    out.println("==================== camunda-restore run " + instanceKey + " ====================");
    out.printf("cluster %s | requested %s -> backup ID %s | outcome %s%n",
        vars.get("cluster"), vars.get("requestedBackup"), vars.get("backupId"), vars.getOrDefault("outcome", "not restored"));
    if (vars.get("failureReason") != null) {
      out.println("refused: " + vars.get("failureReason"));
    }
    if (vars.get("restorePlanText") != null) {
      out.println();
      out.println("Plan (as shown for approval):");
      out.println(vars.get("restorePlanText"));
    }
    out.println("Deleted indices: " + vars.getOrDefault("deletedIndices", "-"));
    out.println("Restored snapshots: " + vars.getOrDefault("restoredSnapshots", "-"));
    out.println("Broker restore: " + vars.getOrDefault("brokerRestore", "-"));
    out.println("Verification: " + vars.getOrDefault("verification", "-"));
    out.println("Target now: brokers running " + sandbox.simulator().brokersRunning() + ", process instances "
        + sandbox.simulator().processInstanceKeys().size() + ", exporting " + sandbox.simulator().exportingState());
    printHistory(out, history, instanceKey);
  }

  private static void printHistory(PrintStream out, ProcessHistory history, long instanceKey) {
    out.println();
    out.println("Control-engine history (what Operate shows):");
    for (ProcessHistory.Step step : history.steps(instanceKey)) {
      String duration = step.completed() == null ? "" : Duration.between(step.activated(), step.completed()).toMillis() + " ms";
      out.printf("  %s  %-44s %-26s %s%s%n", TIME.format(step.activated()), step.elementId(), step.elementType(), duration,
          step.terminated() ? " (terminated)" : "");
    }
    out.println("=====================================================================================");
  }

  /** The run's own cluster on a sandbox with several (the only one otherwise). */
  private record CamundaTargetSimulatorView(Sandbox sandbox, String cluster) {
    io.github.c8backup.sandbox.simulator.ExportingState exportingState() {
      return simulator().exportingState();
    }

    String basePath() {
      return simulator().settings().s3BasePath();
    }

    private io.github.c8backup.sandbox.simulator.CamundaTargetSimulator simulator() {
      return sandbox.clusters().contains(cluster) ? sandbox.simulator(cluster) : sandbox.simulator();
    }
  }
}
