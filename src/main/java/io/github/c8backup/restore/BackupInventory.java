package io.github.c8backup.restore;

import io.github.c8backup.backup.Components;
import io.github.c8backup.cluster.ClusterConnection;
import io.github.c8backup.cluster.ComponentBackup;
import io.github.c8backup.cluster.ComponentBackupState;
import io.github.c8backup.cluster.SnapshotDetail;
import io.github.c8backup.cluster.search.SnapshotInfo;
import io.github.c8backup.cluster.search.SnapshotState;
import io.github.c8backup.cluster.webapps.WebappsBackupApi;
import io.github.c8backup.cluster.zeebe.PartitionBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackupState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks every component of a cluster what it holds of one backup ID: the truth about a backup
 * lives in the components (Zeebe's store, the web apps', Optimize's and the search engine's
 * snapshots), never in our memory.
 */
final class BackupInventory {

  /** {@code camunda_<app>_<id>_<version>_part_<n>_of_<m>} (reference 3, 4). */
  private static final Pattern PART = Pattern.compile("camunda_([a-z]+)_(\\d+)_(.+)_part_(\\d+)_of_(\\d+)");

  private BackupInventory() {}

  /** What the components say about one backup. */
  record Contents(long backupId, List<String> problems, List<String> snapshotsInOrder, Set<String> versions, int partitions) {

    boolean complete() {
      return problems.isEmpty();
    }
  }

  static Contents inspect(ClusterConnection connection, Components components, long id) {
    List<String> problems = new ArrayList<>();
    List<String> snapshots = new ArrayList<>();
    Set<String> versions = new LinkedHashSet<>();

    ZeebeBackup zeebe = connection.zeebe().backup(id);
    if (zeebe.state() == ZeebeBackupState.DOES_NOT_EXIST) {
      problems.add("Zeebe has no backup " + id);
    } else if (zeebe.state() != ZeebeBackupState.COMPLETED
        || zeebe.partitions().stream().anyMatch(p -> p.state() != ZeebeBackupState.COMPLETED)) {
      problems.add("Zeebe backup " + id + " is " + zeebe.state() + " " + zeebe.partitions().stream()
          .map(p -> "partition " + p.partitionId() + "=" + p.state()).toList());
    }
    zeebe.partitions().stream().map(PartitionBackup::brokerVersion).filter(v -> v != null).forEach(versions::add);

    component(problems, snapshots, versions, "Operate", components.operate(), connection.operate(), id);
    component(problems, snapshots, versions, "Tasklist", components.tasklist(), connection.tasklist(), id);
    component(problems, snapshots, versions, "Web apps", components.webapps(), connection.webapps(), id);
    if (components.optimize()) {
      Optional<ComponentBackup> optimize = connection.optimize().map(api -> api.backup(id));
      parts(problems, snapshots, versions, "Optimize", optimize.orElse(ComponentBackup.doesNotExist(id)), 2);
    }
    if (components.recordsSnapshot()) {
      String name = io.github.c8backup.backup.RecordsSnapshotWorker.snapshotName(id);
      SnapshotState state = connection.search().map(api -> api.snapshot(name)).map(SnapshotInfo::state).orElse(SnapshotState.DOES_NOT_EXIST);
      if (state != SnapshotState.SUCCESS) {
        problems.add("records snapshot " + name + " is " + state);
      } else {
        snapshots.add(name);
      }
    }
    // a partition the cluster has but the backup lacks shows as DOES_NOT_EXIST: it is not the backup's
    int partitions = (int) zeebe.partitions().stream().filter(p -> p.state() != ZeebeBackupState.DOES_NOT_EXIST).count();
    return new Contents(id, problems, snapshots, versions, partitions);
  }

  private static void component(
      List<String> problems, List<String> snapshots, Set<String> versions, String name, boolean expected,
      Optional<WebappsBackupApi> api, long id) {
    if (expected) {
      parts(problems, snapshots, versions, name, api.map(a -> a.backup(id)).orElse(ComponentBackup.doesNotExist(id)), 0);
    }
  }

  /** Checks every part is SUCCESS and none is missing; adds them in part order. */
  private static void parts(
      List<String> problems, List<String> snapshots, Set<String> versions, String name, ComponentBackup backup, int expectedParts) {
    if (backup.state() == ComponentBackupState.DOES_NOT_EXIST) {
      problems.add(name + " has no backup " + backup.backupId());
      return;
    }
    List<SnapshotDetail> details = new ArrayList<>(backup.details());
    details.sort(Comparator.comparingInt(BackupInventory::partNumber));
    int declared = details.stream().mapToInt(BackupInventory::partCount).max().orElse(expectedParts);
    int total = expectedParts > 0 ? expectedParts : declared;
    if (backup.state() != ComponentBackupState.COMPLETED) {
      problems.add(name + " backup " + backup.backupId() + " is " + backup.state()
          + (backup.failureReason() != null ? " (" + backup.failureReason() + ")" : ""));
    }
    List<String> notSuccessful = details.stream().filter(d -> !"SUCCESS".equals(d.state())).map(d -> d.snapshotName() + "=" + d.state()).toList();
    if (!notSuccessful.isEmpty()) {
      problems.add(name + " snapshots not SUCCESS: " + notSuccessful);
    }
    if (details.size() != total || total == 0) {
      problems.add(name + " backup " + backup.backupId() + " has " + details.size() + " of " + total + " parts");
    }
    for (SnapshotDetail detail : details) {
      snapshots.add(detail.snapshotName());
      Matcher m = PART.matcher(detail.snapshotName());
      if (m.matches()) {
        versions.add(m.group(3));
      }
    }
  }

  private static int partNumber(SnapshotDetail detail) {
    Matcher m = PART.matcher(detail.snapshotName());
    return m.matches() ? Integer.parseInt(m.group(4)) : Integer.MAX_VALUE;
  }

  private static int partCount(SnapshotDetail detail) {
    Matcher m = PART.matcher(detail.snapshotName());
    return m.matches() ? Integer.parseInt(m.group(5)) : 0;
  }
}
