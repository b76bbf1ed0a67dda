package io.github.c8backup.config;

/**
 * Where a cluster keeps its secondary data (the web applications' and exported data): the
 * Elasticsearch/OpenSearch path takes one coordinated backup with exporting soft-paused; the RDBMS
 * path (8.9+) relies on Zeebe's continuous backups and the database's own backups (reference 6.3).
 */
public enum SecondaryStorage {
  ELASTICSEARCH,
  OPENSEARCH,
  RDBMS
}
