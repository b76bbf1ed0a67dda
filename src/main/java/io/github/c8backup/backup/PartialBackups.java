package io.github.c8backup.backup;

import io.github.c8backup.cluster.ClusterConnection;
import io.github.c8backup.cluster.ComponentBackup;
import io.github.c8backup.cluster.ComponentBackupState;
import io.github.c8backup.cluster.search.SnapshotState;
import io.github.c8backup.cluster.zeebe.ZeebeBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackupState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one backup ID left in each component of a cluster, asked of the components themselves:
 * whether every part is complete, and removing every part. Parts that never came into being are
 * fine to remove; the ID itself stays burnt in Zeebe. Retention removes expired backups with
 * {@link #remove} too.
 */
public final class PartialBackups {

  private PartialBackups() {}

  /**
   * Deletes every part of backup {@code id} and returns the components that confirmed. Every
   * component is asked even when an earlier one fails (a stopped S3 store must not keep the
   * snapshots alive); the first failure is rethrown at the end with the others suppressed, so the
   * job is retried and a retry asks again, which is safe because deleting is idempotent.
   */
  public static List<String> remove(ClusterConnection connection, long id, boolean recordsSnapshot) {
    List<String> removed = new ArrayList<>();
    List<RuntimeException> failures = new ArrayList<>();
    attempt("zeebe", () -> connection.zeebe().deleteBackup(id), removed, failures);
    connection.operate().ifPresent(api -> attempt("operate", () -> api.deleteBackup(id), removed, failures));
    connection.tasklist().ifPresent(api -> attempt("tasklist", () -> api.deleteBackup(id), removed, failures));
    connection.webapps().ifPresent(api -> attempt("webapps", () -> api.deleteBackup(id), removed, failures));
    connection.optimize().ifPresent(api -> attempt("optimize", () -> api.deleteBackup(id), removed, failures));
    if (recordsSnapshot) {
      connection.search().ifPresent(api -> attempt("recordsSnapshot",
          () -> api.deleteSnapshot(RecordsSnapshotWorker.snapshotName(id)), removed, failures));
    }
    if (!failures.isEmpty()) {
      RuntimeException first = failures.get(0);
      failures.stream().skip(1).forEach(first::addSuppressed);
      throw first;
    }
    return removed;
  }

  private static void attempt(String part, Runnable delete, List<String> removed, List<RuntimeException> failures) {
    try {
      delete.run();
      removed.add(part);
    } catch (RuntimeException e) {
      failures.add(e);
    }
  }

  /** The parts of backup {@code id} that are not complete, each with its state; empty when all are. */
  static List<String> incompleteParts(ClusterConnection connection, long id, boolean recordsSnapshot) {
    List<String> incomplete = new ArrayList<>();
    ZeebeBackup zeebe = connection.zeebe().backup(id);
    if (zeebe.state() != ZeebeBackupState.COMPLETED || zeebe.partitions().isEmpty()
        || zeebe.partitions().stream().anyMatch(p -> p.state() != ZeebeBackupState.COMPLETED)) {
      incomplete.add("zeebe=" + zeebe.state());
    }
    component(incomplete, "operate", connection.operate().map(api -> api.backup(id)));
    component(incomplete, "tasklist", connection.tasklist().map(api -> api.backup(id)));
    component(incomplete, "webapps", connection.webapps().map(api -> api.backup(id)));
    component(incomplete, "optimize", connection.optimize().map(api -> api.backup(id)));
    if (recordsSnapshot) {
      SnapshotState state = connection.search()
          .map(api -> api.snapshot(RecordsSnapshotWorker.snapshotName(id)).state())
          .orElse(SnapshotState.DOES_NOT_EXIST);
      if (state != SnapshotState.SUCCESS) {
        incomplete.add("recordsSnapshot=" + state);
      }
    }
    return incomplete;
  }

  private static void component(List<String> incomplete, String name, Optional<ComponentBackup> backup) {
    backup.filter(b -> b.state() != ComponentBackupState.COMPLETED)
        .ifPresent(b -> incomplete.add(name + "=" + b.state()));
  }
}
