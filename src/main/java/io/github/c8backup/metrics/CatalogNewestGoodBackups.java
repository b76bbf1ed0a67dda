package io.github.c8backup.metrics;

import io.github.c8backup.catalog.BackupCatalog;
import io.github.c8backup.catalog.Catalog;
import io.github.c8backup.catalog.CatalogEntry;
import io.github.c8backup.cluster.ComponentRequestRejectedException;
import io.github.c8backup.cluster.ComponentUnavailableException;
import io.github.c8backup.cluster.TargetClusters;
import io.github.c8backup.cluster.zeebe.ZeebeBackup;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * The newest good backup as the components report it, judged like the catalog does: on an ES/OS
 * cluster the newest ID that is complete in every component, timed by Zeebe (the last partition's
 * {@code lastUpdatedAt}); on an RDBMS cluster the moment a restore to "latest" recovers to. When a
 * component does not answer, the answer is {@link NewestGoodBackup.Status#UNKNOWN}, never "none".
 * On an RDBMS cluster a database whose backups cannot be read counts as "none": nothing can be
 * restored from it, which is what the RPO alert is about.
 */
@Component
class CatalogNewestGoodBackups implements NewestGoodBackups {

  private final BackupCatalog catalog;
  private final TargetClusters clusters;

  CatalogNewestGoodBackups(BackupCatalog catalog, TargetClusters clusters) {
    this.catalog = catalog;
    this.clusters = clusters;
  }

  @Override
  public NewestGoodBackup of(String cluster) {
    try {
      Catalog backups = catalog.catalog(cluster, BackupCatalog.DEFAULT_LIMIT);
      if (backups.pointInTime() != null) {
        if (backups.pointInTime().latest() != null) {
          return NewestGoodBackup.found(backups.pointInTime().latest());
        }
        return backups.problems().isEmpty() ? NewestGoodBackup.none() : NewestGoodBackup.unknown(String.join("; ", backups.problems()));
      }
      Optional<CatalogEntry> newest = backups.backups().stream().filter(e -> Boolean.TRUE.equals(e.restorable())).findFirst();
      if (newest.isEmpty()) {
        return backups.problems().isEmpty() ? NewestGoodBackup.none() : NewestGoodBackup.unknown(String.join("; ", backups.problems()));
      }
      long id = newest.get().backupId();
      ZeebeBackup zeebe = clusters.connect(cluster, clusters.detectVersion(cluster).flavour()).zeebe().backup(id);
      return zeebe.partitions().stream()
          .flatMap(p -> Stream.of(p.lastUpdatedAt(), p.createdAt()))
          .filter(Objects::nonNull)
          .max(Instant::compareTo)
          .map(NewestGoodBackup::found)
          .orElseGet(() -> NewestGoodBackup.unknown("Zeebe reports no time for backup " + id));
    } catch (ComponentUnavailableException | ComponentRequestRejectedException e) {
      return NewestGoodBackup.unknown(e.getMessage());
    }
  }

}
