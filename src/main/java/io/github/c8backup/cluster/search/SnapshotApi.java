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

  /**
   * Names of the indices matching a pattern ({@code GET _cat/indices/{pattern}?h=index}). No match
   * is an empty list: a wildcard pattern matching nothing answers {@code []}, a concrete name that
   * does not exist answers 404 {@code index_not_found_exception}.
   */
  List<String> indices(String pattern);

  /**
   * {@code DELETE /{index}} of one concrete index, as restore step 4 needs (reference 7.2). An
   * index that does not exist (404 {@code index_not_found_exception}) is not an error, so the step
   * can be repeated.
   *
   * <p>Wildcard deletes are never sent: Elasticsearch 8 refuses them anyway
   * ({@code action.destructive_requires_name}), and OpenSearch would delete everything matching.
   * List the indices with {@link #indices(String)} and delete them one by one.
   *
   * @throws IllegalArgumentException before any request when the name is blank, contains
   *     {@code *}, {@code ?}, {@code ,} or {@code _all}, or starts with {@code _}, {@code -} or
   *     {@code +}, or is {@code .} or {@code ..}
   */
  void deleteIndex(String index);

  /**
   * {@code POST _snapshot/{repo}/{name}/_restore?wait_for_completion=false} with body
   * {@code {"include_global_state":false}}: every index of the snapshot, never the global state
   * (templates come from the components' first start, reference 7.2). Returns once the restore is
   * accepted; follow it with {@link #restoreProgress(String)}.
   *
   * @throws io.github.c8backup.cluster.ComponentRequestRejectedException when an open index of the
   *     same name exists ({@code snapshot_restore_exception}; delete it first with
   *     {@link #deleteIndex(String)}), when the snapshot does not exist (Elasticsearch 8.17 and
   *     OpenSearch 2.19 answer 500 {@code snapshot_restore_exception} "snapshot does not exist",
   *     others 404 {@code snapshot_missing_exception}), or for any other refusal; both engines
   *     answer the open-index conflict with 500
   * @throws io.github.c8backup.cluster.ComponentUnavailableException on 502/503/504 or no answer
   */
  void restoreSnapshot(String snapshotName);

  /**
   * Reads the snapshot's index list ({@code GET _snapshot/{repo}/{name}}), then those indices'
   * shard counts ({@code GET _cluster/health/{name1*,name2*,...}?level=indices}, keeping only the
   * exact names: a wildcard that matches nothing is fine on Elasticsearch 8 and OpenSearch 2, where
   * a missing concrete name fails or stalls the whole request). An index is restored when it
   * exists, all its primaries are active and its health is not red; health alone is not enough,
   * both engines report a primary still being restored from a snapshot as yellow.
   *
   * <p>The answer is only meaningful after the snapshot's indices were deleted and
   * {@link #restoreSnapshot(String)} was accepted: an index that was never deleted counts as
   * restored. A shard that fails to recover stays inactive, which reads as
   * {@link RestoreProgress.State#IN_PROGRESS}; the caller's deadline turns that into a failure.
   *
   * @return {@link RestoreProgress.State#FAILED} when the snapshot does not exist, failed or is
   *     incompatible; otherwise NOT_STARTED, IN_PROGRESS or DONE from the indices' presence and health
   */
  RestoreProgress restoreProgress(String snapshotName);

  /**
   * Number of documents in one index ({@code GET /{index}/_count} → {@code count}), to compare the
   * contents before a backup and after a restore; -1 when the index does not exist (404).
   */
  long documentCount(String index);
}
