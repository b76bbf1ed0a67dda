package io.github.c8backup.restore;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What a point-in-time restore of an 8.9 RDBMS cluster will do (reference 7.5), decided by its
 * preflight while the cluster is untouched, shown in the approval task. Times are ISO-8601 text.
 *
 * @param requested the request: an instant or "latest"
 * @param recoveryPoint the exact moment restored to; for "latest" the newest moment restorable
 *     at preflight (the database then replays its whole archive and Zeebe aligns to it)
 * @param zeebeRestoreMode the restore application's parameters: {@code --to=<point>}, the
 *     default mode (no parameter, aligned to the database's {@code EXPORTER_POSITION}), or
 *     {@code --backupId=<ids>} back onto an earlier history
 * @param history the history restored along (PostgreSQL's timeline), null when the database has none
 * @param earlierHistory whether that is an earlier history than the current one (undoing a restore)
 * @param histories every history of the database with its window, for the person approving
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RdbmsRestorePlan(
    String requested,
    String recoveryPoint,
    String databaseWindow,
    List<String> restorable,
    int partitionCount,
    String platform,
    String zeebeRestoreMode,
    List<String> platformSteps,
    Integer history,
    boolean earlierHistory,
    List<String> histories) {

  public RdbmsRestorePlan {
    histories = histories == null ? List.of() : List.copyOf(histories);
  }

  /** The plan as text for the approval form. */
  public String asText(String cluster) {
    StringBuilder text = new StringBuilder();
    text.append("Point-in-time restore of cluster ").append(cluster).append(" (RDBMS, ").append(partitionCount)
        .append(" partitions), platform ").append(platform).append("\n")
        .append("Requested: ").append(requested)
        .append(history == null ? "" : earlierHistory ? " on history " + history + " (an earlier history: this undoes the restores since)"
            : " on history " + history + " (current)").append("\n")
        .append("Recovery point: ").append(recoveryPoint).append("\n")
        .append("Database recoverable ").append(databaseWindow).append("\n")
        .append("Restorable (database window and every partition's Zeebe backup range): ").append(restorable).append("\n");
    if (!histories.isEmpty()) {
      text.append("Histories (each point-in-time restore starts one): ").append(String.join("; ", histories)).append("\n");
    }
    text.append("\n");
    text.append("1. Stop every Camunda component (brokers, gateway, web apps, Optimize, connectors); the database keeps its backups\n");
    text.append("2. Recover the database first, to ").append(earlierHistory
        ? recoveryPoint + " along history " + history + " (recovery_target_timeline = '" + history + "', recovery_target_time, inclusive)"
        : PointInTime.LATEST.equals(requested)
        ? "the newest archived commit (whole WAL archive replayed)" : recoveryPoint + " (recovery_target_time, inclusive)").append("\n");
    text.append("3. Restore every broker with the Zeebe restore application: ").append(zeebeRestoreMode).append("\n");
    platformSteps.forEach(step -> text.append("   - ").append(step).append("\n"));
    text.append("4. Start every component, wait for health and a leader on each of ").append(partitionCount)
        .append(" partitions; Zeebe re-exports from its restored checkpoint what the database misses\n");
    return text.toString();
  }
}
