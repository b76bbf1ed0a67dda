package io.github.c8backup.containers;

import io.github.c8backup.config.TargetCluster;
import io.github.c8backup.restore.ClusterPlatform;
import io.github.c8backup.restore.ClusterPlatformProvider;

/**
 * Offers {@code platform.type: testcontainers} for the one cluster that runs on a
 * {@link CamundaTargetStack}. Every call answers the same {@link ContainersPlatform}, because it
 * holds the restore applications it started.
 */
final class ContainersPlatformProvider implements ClusterPlatformProvider {

  static final String TYPE = "testcontainers";

  private final String cluster;
  private final ContainersPlatform platform;

  ContainersPlatformProvider(String cluster, CamundaTargetStack stack) {
    this.cluster = cluster;
    this.platform = new ContainersPlatform(stack);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public ClusterPlatform create(String cluster, TargetCluster settings) {
    if (!this.cluster.equals(cluster)) {
      throw new IllegalArgumentException("platform type '" + TYPE + "' drives only cluster '" + this.cluster + "', not '" + cluster + "'");
    }
    return platform;
  }
}
