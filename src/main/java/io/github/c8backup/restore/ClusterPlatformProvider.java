package io.github.c8backup.restore;

import io.github.c8backup.config.TargetCluster;

/**
 * Creates the {@link ClusterPlatform} of clusters whose {@code platform.type} is {@link #type()}.
 * The product provides {@code kubernetes}; other types (the local sandbox's {@code sandbox}) come
 * as beans from wherever they live.
 */
public interface ClusterPlatformProvider {

  String type();

  ClusterPlatform create(String cluster, TargetCluster settings);
}
