package io.github.c8backup.catalog;

import io.github.c8backup.cluster.UnknownClusterException;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The catalog on the orchestrator's HTTP API. Read-only: it asks the components and changes
 * nothing. A component that does not answer shows in the entries, never as a 500 of the whole
 * catalog; an unknown cluster is a 404 naming the configured ones.
 */
@RestController
class CatalogController {

  private final BackupCatalog catalog;

  CatalogController(BackupCatalog catalog) {
    this.catalog = catalog;
  }

  @GetMapping("/api/clusters")
  List<ClusterSummary> clusters() {
    return catalog.summaries();
  }

  @GetMapping("/api/clusters/{cluster}/catalog")
  ResponseEntity<?> catalog(@PathVariable String cluster, @RequestParam(defaultValue = "" + BackupCatalog.DEFAULT_LIMIT) int limit) {
    if (limit < 1) {
      return ResponseEntity.badRequest().body(Map.of("message", "limit must be a positive integer, got " + limit));
    }
    return ResponseEntity.ok(catalog.catalog(cluster, limit));
  }

  @ExceptionHandler(UnknownClusterException.class)
  ResponseEntity<Map<String, String>> unknownCluster(UnknownClusterException e) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("message", e.getMessage()));
  }
}
