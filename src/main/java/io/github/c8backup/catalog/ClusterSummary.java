package io.github.c8backup.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One configured cluster for {@code GET /api/clusters}.
 *
 * @param version null when the cluster did not answer and no version is pinned
 * @param newestRestorableBackup search clusters: the ID a restore of "latest" would take, or null
 * @param newestRestorablePointInTime RDBMS clusters: the moment a restore to "latest" recovers to, or null
 * @param problem why there is no answer, when so
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterSummary(
    String cluster,
    String version,
    String secondaryStorage,
    Long newestRestorableBackup,
    Instant newestRestorablePointInTime,
    String problem) {}
