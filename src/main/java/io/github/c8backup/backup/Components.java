package io.github.c8backup.backup;

import io.github.c8backup.cluster.ClusterConnection;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.SearchEndpoint;

/**
 * Which parts of the cluster a backup covers (or a restore restores), decided once from the
 * configuration and the version. A false flag routes the process through a visible "skipped" event.
 */
public record Components(boolean operate, boolean tasklist, boolean webapps, boolean optimize, boolean recordsSnapshot) {

  /**
   * What a connection's configured components amount to for a version: Operate and Tasklist on
   * their own up to 8.7, the web apps together from 8.8; the records snapshot always up to 8.7,
   * from 8.8 only with an ES/OS exporter (reference 5).
   */
  public static Components of(CamundaVersion version, ClusterConnection connection) {
    SearchEndpoint search = connection.settings().search();
    boolean records = search != null && (version.alwaysSnapshotsRecords() || search.recordsExporter());
    return new Components(
        connection.operate().isPresent(),
        connection.tasklist().isPresent(),
        connection.webapps().isPresent(),
        connection.optimize().isPresent(),
        records);
  }
}
