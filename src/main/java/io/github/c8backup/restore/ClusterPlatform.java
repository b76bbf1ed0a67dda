package io.github.c8backup.restore;

import java.util.List;

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
