package io.github.c8backup.cluster.search;

import java.util.List;

/** One snapshot as {@code GET _snapshot/{repo}/{name}} reports it. */
public record SnapshotInfo(String name, SnapshotState state, List<String> indices, Long startTimeMillis, Long endTimeMillis) {}
