package io.github.c8backup.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The backups of one cluster, newest first, as its components report them now.
 *
 * @param version the Camunda version the cluster runs, or its API flavour when it did not say
 * @param secondaryStorage {@code search} (Elasticsearch/OpenSearch: restored from a backup ID) or
 *     {@code rdbms} (8.9: restored to a point in time, see {@code pointInTime})
 * @param backups at most {@code limit} IDs, newest first; every ID any component knows
 * @param omitted older IDs left out by the limit
 * @param problems what kept the catalog from asking the cluster at all (e.g. the version could
 *     not be detected); the entries then are empty
 * @param pointInTime RDBMS clusters only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Catalog(
    String cluster,
    String version,
    String secondaryStorage,
    List<CatalogEntry> backups,
    int omitted,
    List<String> problems,
    PointInTimeWindow pointInTime) {

  /**
   * The moments an RDBMS cluster can be restored to: the database's recoverable window
   * intersected with Zeebe's backup ranges on every partition.
   *
   * @param restorable closed intervals, oldest first
   * @param latest what a restore to "latest" recovers to; null when nothing is restorable
   * @param reason why nothing is restorable, when so
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PointInTimeWindow(List<Span> restorable, Instant latest, String reason) {}

  public record Span(Instant from, Instant to) {}
}
