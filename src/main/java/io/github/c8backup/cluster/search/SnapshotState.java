package io.github.c8backup.cluster.search;

/** ES/OS snapshot state; a 404 from the snapshot API is {@link #DOES_NOT_EXIST}. */
public enum SnapshotState {
  SUCCESS,
  IN_PROGRESS,
  FAILED,
  PARTIAL,
  INCOMPATIBLE,
  DOES_NOT_EXIST
}
