package io.github.c8backup.cluster;

import io.github.c8backup.cluster.optimize.OptimizeBackupApi;
import io.github.c8backup.cluster.search.SnapshotApi;
import io.github.c8backup.cluster.webapps.WebappsBackupApi;
import io.github.c8backup.cluster.zeebe.ZeebeGateway;
import io.github.c8backup.cluster.zeebe.ZeebeManagement;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.TargetCluster;
import java.util.Optional;

/**
 * The clients of one target cluster for one API flavour. Components that the cluster does not
 * deploy are empty; for 8.6/8.7 {@code webapps} is empty and {@code operate}/{@code tasklist} are
 * set, from 8.8 the other way round.
 */
public record ClusterConnection(
    String name,
    CamundaVersion version,
    TargetCluster settings,
    ZeebeManagement zeebe,
    Optional<ZeebeGateway> gateway,
    Optional<WebappsBackupApi> operate,
    Optional<WebappsBackupApi> tasklist,
    Optional<WebappsBackupApi> webapps,
    Optional<OptimizeBackupApi> optimize,
    Optional<SnapshotApi> search) {}
