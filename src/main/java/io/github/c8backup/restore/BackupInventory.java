package io.github.c8backup.restore;

import io.github.c8backup.backup.Components;
import io.github.c8backup.cluster.ClusterConnection;
import io.github.c8backup.cluster.ComponentBackup;
import io.github.c8backup.cluster.ComponentBackupState;
import io.github.c8backup.cluster.SnapshotDetail;
import io.github.c8backup.cluster.search.SnapshotInfo;
import io.github.c8backup.cluster.search.SnapshotState;
import io.github.c8backup.cluster.zeebe.PartitionBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackupState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks every component of a cluster what it holds of one backup ID: the truth about a backup
 * lives in the components (Zeebe's store, the web apps', Optimize's and the search engine's
 * snapshots), never in our memory. The rules per component are public: the backup catalog
 * ({@code catalog/}) applies the same ones.
 */
public final class BackupInventory {

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
    List<Verdict> verdicts = new ArrayList<>();
    ZeebeBackup zeebe = connection.zeebe().backup(id);
    verdicts.add(zeebe(id, zeebe));
    if (components.operate()) {
      verdicts.add(webapp("Operate", connection.operate().map(a -> a.backup(id)).orElse(ComponentBackup.doesNotExist(id))));
    }
    if (components.tasklist()) {
      verdicts.add(webapp("Tasklist", connection.tasklist().map(a -> a.backup(id)).orElse(ComponentBackup.doesNotExist(id))));
    }
    if (components.webapps()) {
      verdicts.add(webapp("Web apps", connection.webapps().map(a -> a.backup(id)).orElse(ComponentBackup.doesNotExist(id))));
    }
    if (components.optimize()) {
      verdicts.add(optimize(connection.optimize().map(api -> api.backup(id)).orElse(ComponentBackup.doesNotExist(id))));
    }
    if (components.recordsSnapshot()) {
      String name = io.github.c8backup.backup.RecordsSnapshotWorker.snapshotName(id);
      verdicts.add(recordsSnapshot(id,
          connection.search().map(api -> api.snapshot(name)).map(SnapshotInfo::state).orElse(SnapshotState.DOES_NOT_EXIST)));
    }
    List<String> problems = new ArrayList<>();
    List<String> snapshots = new ArrayList<>();
    Set<String> versions = new LinkedHashSet<>();
    for (Verdict verdict : verdicts) {
      problems.addAll(verdict.problems());
      snapshots.addAll(verdict.snapshots());
      versions.addAll(verdict.versions());
    }
    // a partition the cluster has but the backup lacks shows as DOES_NOT_EXIST: it is not the backup's
    int partitions = (int) zeebe.partitions().stream().filter(p -> p.state() != ZeebeBackupState.DOES_NOT_EXIST).count();
    return new Contents(id, problems, snapshots, versions, partitions);
  }

  /**
   * What one component's answer says about a backup: why it cannot be restored from (empty when
   * complete), its snapshots in restore order, the Camunda versions it names. The catalog judges
   * each component with these same rules, one by one, so it can show a component that did not answer.
   */
  public record Verdict(List<String> problems, List<String> snapshots, Set<String> versions) {

    public boolean complete() {
      return problems.isEmpty();
    }
  }

  /** Zeebe: COMPLETED overall and on every partition. */
  public static Verdict zeebe(long id, ZeebeBackup zeebe) {
    List<String> problems = new ArrayList<>();
    Set<String> versions = new LinkedHashSet<>();
    if (zeebe.state() == ZeebeBackupState.DOES_NOT_EXIST) {
      problems.add("Zeebe has no backup " + id);
    } else if (zeebe.state() != ZeebeBackupState.COMPLETED
        || zeebe.partitions().stream().anyMatch(p -> p.state() != ZeebeBackupState.COMPLETED)) {
      problems.add("Zeebe backup " + id + " is " + zeebe.state() + " " + zeebe.partitions().stream()
          .map(p -> "partition " + p.partitionId() + "=" + p.state()).toList());
    }
    zeebe.partitions().stream().map(PartitionBackup::brokerVersion).filter(v -> v != null).forEach(versions::add);
    return new Verdict(problems, List.of(), versions);
  }

  /** Operate, Tasklist or the 8.8+ web apps ({@code name}): as many parts as their names declare. */
  public static Verdict webapp(String name, ComponentBackup backup) {
    return parts(name, backup, 0);
  }

  /** Optimize: always two parts (reference 4). */
  public static Verdict optimize(ComponentBackup backup) {
    return parts("Optimize", backup, 2);
  }

  /** The {@code zeebe-record*} snapshot of the backup: SUCCESS. */
  public static Verdict recordsSnapshot(long id, SnapshotState state) {
    String name = io.github.c8backup.backup.RecordsSnapshotWorker.snapshotName(id);
    if (state != SnapshotState.SUCCESS) {
      return new Verdict(List.of("records snapshot " + name + " is " + state), List.of(), Set.of());
    }
    return new Verdict(List.of(), List.of(name), Set.of());
  }

  /** Checks every part is SUCCESS and none is missing; adds them in part order. */
  private static Verdict parts(String name, ComponentBackup backup, int expectedParts) {
    List<String> problems = new ArrayList<>();
    List<String> snapshots = new ArrayList<>();
    Set<String> versions = new LinkedHashSet<>();
    if (backup.state() == ComponentBackupState.DOES_NOT_EXIST) {
      problems.add(name + " has no backup " + backup.backupId());
      return new Verdict(problems, snapshots, versions);
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
    return new Verdict(problems, snapshots, versions);
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
