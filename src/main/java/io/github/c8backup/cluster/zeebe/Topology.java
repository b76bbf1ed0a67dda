package io.github.c8backup.cluster.zeebe;

import java.util.List;

/** The gateway's view of the cluster ({@code GET /v2/topology}). */
public record Topology(
    String gatewayVersion, int clusterSize, int partitionsCount, int replicationFactor, List<Broker> brokers) {

  public record Broker(int nodeId, String host, int port, String version, List<Partition> partitions) {}

  /** {@code role} is leader, follower or inactive; {@code health} healthy, unhealthy or dead (lower case, as 8.6+ REST returns them). */
  public record Partition(int partitionId, String role, String health) {}
}
