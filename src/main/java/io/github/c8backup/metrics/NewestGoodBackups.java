package io.github.c8backup.metrics;

/** Where the newest good backup of a cluster is learnt from; the components, see {@link CatalogNewestGoodBackups}. */
@FunctionalInterface
public interface NewestGoodBackups {

  NewestGoodBackup of(String cluster);
}
