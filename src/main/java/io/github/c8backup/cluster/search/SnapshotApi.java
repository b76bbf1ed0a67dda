package io.github.c8backup.cluster.search;

import java.util.List;

/**
 * The Elasticsearch/OpenSearch snapshot API for the one repository of a cluster. Only the
 * {@code zeebe-record*} snapshot is ours ({@code camunda_zeebe_records_backup_{id}}, reference 5);
 * the other snapshots are made by Camunda's components and only read here.
 */
public interface SnapshotApi {

  /**
   * {@code PUT _snapshot/{repo}/{name}?wait_for_completion=false} of the given index pattern.
   * Elasticsearch gets {@code feature_states: ["none"]}; OpenSearch does not know that field.
   *
   * @throws io.github.c8backup.cluster.BackupIdTakenException when a snapshot of that name exists
   */
  void createSnapshot(String snapshotName, String indexPattern);

  SnapshotInfo snapshot(String snapshotName);

  /** Snapshots of the repository whose name starts with the prefix. */
  List<SnapshotInfo> snapshots(String namePrefix);

  /** Deleting a snapshot that does not exist is not an error. */
  void deleteSnapshot(String snapshotName);

  /** Names of the indices matching a pattern ({@code GET _cat/indices/{pattern}?h=index}). */
  List<String> indices(String pattern);
}
