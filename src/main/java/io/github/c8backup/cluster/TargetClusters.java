package io.github.c8backup.cluster;

import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.TargetCluster;
import java.util.Set;

/** The configured target clusters and their clients; workers look clusters up by name, never by URL from a variable. */
public interface TargetClusters {

  Set<String> names();

  /** @throws UnknownClusterException */
  TargetCluster settings(String cluster);

  /**
   * The pinned version from configuration, or the version the cluster reports: the gateway
   * topology's {@code gatewayVersion} when {@code zeebeRest} is configured, else a probe of the
   * management API ({@code backupRuntime/state} exists only in 8.9, {@code backupRuntime} from
   * 8.8, else {@code backups}, read as 8.7 since 8.6 and 8.7 share one API).
   *
   * @throws UnknownClusterException
   * @throws ComponentUnavailableException when the cluster does not answer
   */
  DetectedVersion detectVersion(String cluster);

  /** @throws UnknownClusterException */
  ClusterConnection connect(String cluster, CamundaVersion version);
}
