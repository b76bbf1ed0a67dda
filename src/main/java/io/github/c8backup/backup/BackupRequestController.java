package io.github.c8backup.backup;

import io.github.c8backup.cluster.TargetClusters;
import io.github.c8backup.cluster.UnknownClusterException;
import io.github.c8backup.cluster.zeebe.ZeebeBackup;
import io.github.c8backup.run.ClusterRuns;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The orchestrator's own endpoint for on-demand backups. It asks for a run of the cluster
 * ({@link ClusterRuns}): Zeebe starts at most one backup or restore per cluster at a time. Listing asks Zeebe, which knows every backup, rather than our own records.
 */
@RestController
class BackupRequestController {

  private final ClusterRuns runs;
  private final TargetClusters clusters;

  BackupRequestController(ClusterRuns runs, TargetClusters clusters) {
    this.runs = runs;
    this.clusters = clusters;
  }

  record BackupRequest(Long backupId) {}

  @PostMapping("/api/clusters/{cluster}/backups")
  ResponseEntity<Map<String, Object>> request(@PathVariable String cluster, @RequestBody(required = false) BackupRequest body) {
    clusters.settings(cluster); // unknown cluster: 404 before anything is published
    Long backupId = body == null ? null : body.backupId();
    if (backupId != null && backupId <= 0) {
      return ResponseEntity.badRequest().body(Map.of("message", "backupId must be a positive integer, got " + backupId));
    }
    Map<String, Object> parameters = new LinkedHashMap<>();
    if (backupId != null) {
      parameters.put("backupId", backupId);
    }
    ClusterRuns.Request request = runs.request(cluster, ClusterRuns.Operation.BACKUP, "api", parameters);
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of(
        "cluster", cluster,
        "requestId", request.requestId(),
        "messageKey", request.messageKey(),
        "message", "Backup of cluster " + cluster + " requested; follow it in Operate (process camunda-cluster-run). If a backup"
            + " or restore of this cluster is in progress, the request is skipped and recorded in that run"));
  }

  @GetMapping("/api/clusters/{cluster}/backups")
  List<Map<String, Object>> list(@PathVariable String cluster) {
    var version = clusters.detectVersion(cluster);
    List<ZeebeBackup> backups = clusters.connect(cluster, version.flavour()).zeebe().backups();
    return backups.stream()
        .sorted((a, b) -> Long.compare(b.backupId(), a.backupId()))
        .map(b -> Map.<String, Object>of("backupId", b.backupId(), "state", b.state().name(), "partitions", b.partitions().size()))
        .toList();
  }

  @ExceptionHandler(UnknownClusterException.class)
  ResponseEntity<Map<String, String>> unknownCluster(UnknownClusterException e) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("message", e.getMessage()));
  }
}
