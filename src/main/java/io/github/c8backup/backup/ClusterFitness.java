package io.github.c8backup.backup;

import io.github.c8backup.cluster.ClusterConnection;
import io.github.c8backup.cluster.ComponentBackup;
import io.github.c8backup.cluster.ComponentBackupState;
import io.github.c8backup.cluster.search.SnapshotInfo;
import io.github.c8backup.cluster.search.SnapshotState;
import io.github.c8backup.cluster.zeebe.Topology;
import io.github.c8backup.cluster.zeebe.ZeebeBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackupState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a cluster can take a backup now, asked from its components before exporting is paused:
 * a run that starts into a backup already in progress or a partition without a healthy leader
 * would pause exporting only to fail and roll back. Every read is one call the prepare step makes
 * anyway (the lists double as the reachability probe); the topology only when the gateway's REST
 * API is configured.
 */
final class ClusterFitness {

  private ClusterFitness() {}

  /** What stands in the way, for a person; empty when the cluster is fit. */
  static List<String> problems(ClusterConnection connection, List<ZeebeBackup> zeebeBackups) {
    List<String> problems = new ArrayList<>();
    zeebeBackups.stream().filter(b -> b.state() == ZeebeBackupState.IN_PROGRESS)
        .forEach(b -> problems.add("Zeebe backup " + b.backupId() + " is still in progress"));
    inProgress(problems, "Operate", connection.operate().map(api -> api.backups()));
    inProgress(problems, "Tasklist", connection.tasklist().map(api -> api.backups()));
    inProgress(problems, "Web apps", connection.webapps().map(api -> api.backups()));
    inProgress(problems, "Optimize", connection.optimize().map(api -> api.backups()));
    connection.search().ifPresent(api -> {
      for (SnapshotInfo snapshot : api.snapshots(RecordsSnapshotWorker.SNAPSHOT_PREFIX)) {
        if (snapshot.state() == SnapshotState.IN_PROGRESS) {
          problems.add("snapshot " + snapshot.name() + " is still in progress in the repository");
        }
      }
    });
    connection.gateway().ifPresent(gateway -> problems.addAll(partitionProblems(gateway.topology())));
    return problems;
  }

  /** Every partition needs a healthy leader to take its part of a Zeebe backup. */
  static List<String> partitionProblems(Topology topology) {
    List<String> problems = new ArrayList<>();
    for (int partition = 1; partition <= topology.partitionsCount(); partition++) {
      int id = partition;
      List<String> leaders = new ArrayList<>();
      boolean healthyLeader = false;
      for (Topology.Broker broker : topology.brokers()) {
        for (Topology.Partition p : broker.partitions()) {
          if (p.partitionId() == id && "leader".equalsIgnoreCase(p.role())) {
            leaders.add("broker " + broker.nodeId() + " (" + p.health() + ")");
            healthyLeader |= "healthy".equalsIgnoreCase(p.health());
          }
        }
      }
      if (leaders.isEmpty()) {
        problems.add("partition " + id + " has no leader");
      } else if (!healthyLeader) {
        problems.add("partition " + id + " has no healthy leader: " + String.join(", ", leaders));
      }
    }
    return problems;
  }

  private static void inProgress(List<String> problems, String component, Optional<List<ComponentBackup>> backups) {
    backups.orElse(List.of()).stream().filter(b -> b.state() == ComponentBackupState.IN_PROGRESS)
        .forEach(b -> problems.add(component + " backup " + b.backupId() + " is still in progress"));
  }
}
