package io.github.c8backup.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One backup ID of a cluster and what each component holds of it.
 *
 * @param takenAt when the backup was taken, as its parts report it: the latest start time any part
 *     names (Zeebe's partitions, the snapshots of the web apps, Optimize and the records); null
 *     when no part says. The latest, so that an age computed from it is never overstated
 * @param restorable whether a restore from this ID would pass the same component checks as the
 *     restore's preflight (every part complete); null on an RDBMS cluster, which is restored to a
 *     point in time instead
 * @param reasons why not, when not restorable
 * @param versions the Camunda versions the parts name (a restore needs the cluster to run exactly it)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CatalogEntry(long backupId, Instant takenAt, Boolean restorable, List<String> reasons, Set<String> versions, List<ComponentState> components) {}
