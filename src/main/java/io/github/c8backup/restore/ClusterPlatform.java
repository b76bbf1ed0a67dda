package io.github.c8backup.restore;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The infrastructure half of a restore for one cluster: stopping and starting its Camunda
 * components and restoring its brokers, done differently where the cluster runs (Kubernetes, the
 * local sandbox; environments we cannot drive get user tasks instead). The search engine side
 * (deleting indices, restoring snapshots) and all checks are not here: they go through the
 * component clients. Every method is idempotent, because a restore must survive the orchestrator
 * dying after any call.
 */
public interface ClusterPlatform {

  /** "kubernetes", "sandbox", ...: shown in the restore plan. */
  String kind();

  /**
   * The infrastructure steps this platform will take, as lines a person can check in the
   * approval task (what is stopped, how each broker is restored, what is started). No side effects.
   */
  List<String> describe(long backupId, int partitionCount);

  /** Stops every Camunda component of the cluster (brokers, gateway, web apps, Optimize), not the search engine. */
  void stopComponents();

  /** True once nothing of the cluster runs any more. */
  boolean componentsStopped();

  /**
   * Starts restoring every broker from the backup into an empty data directory (the Zeebe restore
   * application). Wipes the data directories first. A broker already restored from this backup
   * is left alone.
   */
  void startBrokerRestore(long backupId);

  /** Progress of the broker restores started by {@link #startBrokerRestore(long)}. */
  BrokerRestore brokerRestore(long backupId);

  /** Starts the components again in normal mode. */
  void startComponents();

  /**
   * Why this platform cannot restore an 8.9 RDBMS cluster to a point in time (reference 7.5), or
   * empty when it can. Asked by the preflight, so an unsupported platform is refused before
   * anything changes. Platforms that can override this and the three methods below.
   */
  default Optional<String> rdbmsRestoreUnsupported() {
    return Optional.of("platform " + kind() + " cannot recover the database and restore the brokers in RDBMS mode;"
        + " use platform.type manual for this cluster to get the steps as user tasks");
  }

  /** The RDBMS restore's infrastructure steps as lines for the approval task; no side effects. */
  default List<String> describeRdbmsRestore(Instant pointOrLatest, int partitionCount) {
    return List.of();
  }

  /**
   * As {@link #describeRdbmsRestore(Instant, int)}, back onto an earlier {@code history} of the
   * database with the brokers restored from {@code backupIds}; by default the same lines.
   */
  default List<String> describeRdbmsRestore(Instant point, int partitionCount, int history, List<Long> backupIds) {
    return describeRdbmsRestore(point, partitionCount);
  }

  /**
   * Recovers the cluster's database from its base backup and archived change log to
   * {@code pointOrLatest} (null: everything archived), with the components stopped, and leaves it
   * running on the recovered state. Blocks until done. Idempotent: a database already recovered
   * to this point by this restore is left alone.
   */
  default void recoverDatabase(Instant pointOrLatest) {
    throw new UnsupportedOperationException(rdbmsRestoreUnsupported().orElse(kind() + ": recoverDatabase"));
  }

  /**
   * As {@link #recoverDatabase(Instant)}, along an earlier history of the database (for PostgreSQL
   * {@code recovery_target_timeline = '<history>'}); null is the current history.
   */
  default void recoverDatabase(Instant pointOrLatest, Integer history) {
    if (history != null) {
      throw new UnsupportedOperationException(kind() + " cannot recover the database along an earlier history");
    }
    recoverDatabase(pointOrLatest);
  }

  /**
   * Restores every broker with {@code --backupId=<id>,<id>,...}: the first backup's snapshot and the
   * log of the following contiguous backups, the way back onto an earlier history whose backups
   * Zeebe's metadata no longer lists ({@link HistoryBackups}). Blocks until done; idempotent.
   */
  default List<String> restoreBrokersRdbms(List<Long> backupIds) {
    throw new UnsupportedOperationException(kind() + " cannot restore the brokers from a chain of backups");
  }

  /**
   * Restores every broker with the Zeebe restore application in RDBMS mode into an empty data
   * directory: {@code --to=<toOrLatest>}, or with no parameter (the default mode, aligned to the
   * database's {@code EXPORTER_POSITION}) when null. Blocks until done; idempotent. Throws
   * when a broker's restore fails, with the restore application's reason.
   *
   * @return what the platform saw per broker, e.g. the restore application's success line
   */
  default List<String> restoreBrokersRdbms(Instant toOrLatest) {
    throw new UnsupportedOperationException(rdbmsRestoreUnsupported().orElse(kind() + ": restoreBrokersRdbms"));
  }

  /** Progress of all brokers of one restore. */
  record BrokerRestore(State state, List<Broker> brokers, String failureReason) {

    public enum State {
      NOT_STARTED,
      IN_PROGRESS,
      COMPLETED,
      FAILED
    }

    /** {@code detail} is what the platform saw, e.g. the restore application's success line. */
    public record Broker(int nodeId, State state, String detail) {}
  }
}
