package io.github.c8backup.database;

import io.github.c8backup.config.OrchestratorProperties;
import io.github.c8backup.config.TargetCluster;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** One {@link DatabaseBackups} per cluster, built from {@code orchestrator.clusters.<name>.database}. */
@Component
class ConfiguredClusterDatabases implements ClusterDatabases {

  private final Map<String, TargetCluster> clusters;
  private final Map<String, DatabaseBackups> built = new ConcurrentHashMap<>();

  ConfiguredClusterDatabases(OrchestratorProperties properties) {
    this.clusters = properties.clusters();
  }

  @Override
  public DatabaseBackups of(String cluster) {
    return built.computeIfAbsent(cluster, name -> {
      TargetCluster settings = clusters.get(name);
      if (settings == null) {
        throw new IllegalArgumentException("Unknown cluster '" + name + "'; configured: " + clusters.keySet());
      }
      if (settings.database() == null || settings.database().postgres() == null) {
        throw new IllegalArgumentException("Cluster '" + name + "' has no database configured: set orchestrator.clusters."
            + name + ".database.postgres (host, database, username, backup-directory, wal-archive-directory)");
      }
      return new PostgresBackups(settings.database().postgres());
    });
  }
}
