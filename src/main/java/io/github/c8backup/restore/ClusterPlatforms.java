package io.github.c8backup.restore;

import io.github.c8backup.cluster.TargetClusters;
import io.github.c8backup.config.TargetCluster;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * The {@link ClusterPlatform} of each cluster, from its {@code platform.type}: empty for
 * {@code manual} (the BPMN then asks a person), else made by the provider of that type.
 */
@Component
public class ClusterPlatforms {

  public static final String MANUAL = "manual";

  private final TargetClusters clusters;
  private final Map<String, ClusterPlatformProvider> providers;
  private final Map<String, ClusterPlatform> platforms = new ConcurrentHashMap<>();

  public ClusterPlatforms(TargetClusters clusters, List<ClusterPlatformProvider> providers) {
    this.clusters = clusters;
    this.providers = providers.stream().collect(Collectors.toMap(ClusterPlatformProvider::type, p -> p, (a, b) -> a));
  }

  public String kind(String cluster) {
    TargetCluster settings = clusters.settings(cluster);
    return settings.platform() == null ? MANUAL : settings.platform().type();
  }

  /**
   * @throws IllegalStateException when no provider offers the configured type
   */
  public Optional<ClusterPlatform> platform(String cluster) {
    String type = kind(cluster);
    if (MANUAL.equals(type)) {
      return Optional.empty();
    }
    ClusterPlatformProvider provider = providers.get(type);
    if (provider == null) {
      throw new IllegalStateException("orchestrator.clusters." + cluster + ".platform.type is '" + type
          + "', but no platform of that type is available; known: " + providers.keySet() + " and " + MANUAL);
    }
    return Optional.of(platforms.computeIfAbsent(cluster, c -> provider.create(c, clusters.settings(c))));
  }
}
