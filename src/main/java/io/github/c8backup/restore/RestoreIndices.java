package io.github.c8backup.restore;

import io.github.c8backup.backup.Components;
import io.github.c8backup.cluster.search.SnapshotApi;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.SearchEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Which indices a restore deletes: only those whose names start with a prefix that belongs to
 * Camunda for that version and to a component the backup covers (reference 7.2: operate,
 * tasklist, optimize, zeebe-record, and camunda from 8.8). They are listed and deleted one by one
 * by name; Elasticsearch 8 refuses wildcard deletes, and we would not send one anyway.
 */
final class RestoreIndices {

  private RestoreIndices() {}

  static List<String> prefixes(CamundaVersion version, Components components, SearchEndpoint search) {
    List<String> prefixes = new ArrayList<>();
    if (components.operate() || components.webapps()) {
      prefixes.add("operate");
    }
    if (components.tasklist() || components.webapps()) {
      prefixes.add("tasklist");
    }
    if (components.webapps() && version.hasCombinedWebapps()) {
      prefixes.add("camunda");
    }
    if (components.optimize()) {
      prefixes.add("optimize");
    }
    if (components.recordsSnapshot() && search != null) {
      prefixes.add(search.recordsIndexPrefix());
    }
    return prefixes;
  }

  /** True when the index belongs to one of the prefixes: {@code operate-list-view-8.3.0_}, {@code zeebe-record_process-instance_...}. */
  static boolean belongs(String index, List<String> prefixes) {
    return prefixes.stream().anyMatch(p -> index.startsWith(p + "-") || index.startsWith(p + "_"));
  }

  static List<String> existing(SnapshotApi search, List<String> prefixes) {
    TreeSet<String> names = new TreeSet<>();
    for (String prefix : prefixes) {
      search.indices(prefix + "*").stream().filter(index -> belongs(index, prefixes)).forEach(names::add);
    }
    return new ArrayList<>(names);
  }
}
