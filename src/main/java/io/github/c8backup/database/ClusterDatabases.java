package io.github.c8backup.database;

/** The native database backups of each configured cluster on the RDBMS path. */
public interface ClusterDatabases {

  /**
   * @throws IllegalArgumentException if the cluster is unknown or has no database configured
   */
  DatabaseBackups of(String cluster);
}
