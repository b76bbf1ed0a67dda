package io.github.c8backup.cluster;

import java.util.List;

/** One ES/OS snapshot of a component backup; {@code state} is the raw snapshot state (SUCCESS, IN_PROGRESS, FAILED, PARTIAL, INCOMPATIBLE). */
public record SnapshotDetail(String snapshotName, String state, String startTime, List<String> failures) {}
