package io.github.c8backup.restore;

import io.github.c8backup.cluster.TargetClusters;
import io.github.c8backup.cluster.UnknownClusterException;
import io.github.c8backup.config.TargetCluster;
import io.github.c8backup.run.ClusterRuns;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Asks for a restore run of a cluster ({@link ClusterRuns}): Zeebe runs at most one backup or
 * restore per cluster at a time. Everything else (is the ID valid, is
 * the backup complete) is decided by the process, visibly, before anything is changed.
 */
@RestController
class RestoreRequestController {

  private final ClusterRuns runs;
  private final TargetClusters clusters;

  RestoreRequestController(ClusterRuns runs, TargetClusters clusters) {
    this.runs = runs;
    this.clusters = clusters;
  }

  /**
   * {@code backupId}: a number or "latest" (default), for Elasticsearch/OpenSearch clusters;
   * {@code pointInTime}: an ISO-8601 instant or "latest" (default), for RDBMS clusters (8.9);
   * {@code history}: for RDBMS clusters, the number of an earlier history to go back to (each
   * point-in-time restore starts a new one; PostgreSQL's timeline number), default the current one;
   * {@code preApproved} skips the approval task.
   */
  record RestoreRequest(Object backupId, Object pointInTime, Object history, Boolean preApproved) {
    RestoreRequest(Object backupId, Object pointInTime, Boolean preApproved) {
      this(backupId, pointInTime, null, preApproved);
    }
  }

  /** A request refused before anything is published. */
  static final class BadRestoreRequest extends RuntimeException {
    BadRestoreRequest(String message) {
      super(message);
    }
  }

  @PostMapping("/api/clusters/{cluster}/restores")
  ResponseEntity<Map<String, Object>> request(@PathVariable String cluster, @RequestBody(required = false) RestoreRequest body) {
    Map<String, Object> variables = variables(cluster, clusters.settings(cluster), body);
    variables.remove("cluster");
    String requestedBy = String.valueOf(variables.remove("requestedBy"));
    ClusterRuns.Request request = runs.request(cluster, ClusterRuns.Operation.RESTORE, requestedBy, variables);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("cluster", cluster);
    answer.put(variables.containsKey("pointInTime") ? "pointInTime" : "backupId",
        variables.getOrDefault("pointInTime", variables.get("backupId")));
    answer.put("requestId", request.requestId());
    answer.put("messageKey", request.messageKey());
    answer.put("message", "Restore of cluster " + cluster + " requested; nothing changes before its preflight passed"
        + (Boolean.TRUE.equals(variables.get("preApproved")) ? "" : " and the plan is approved in Tasklist")
        + "; if a backup or restore of this cluster is in progress, the request is skipped and recorded in that run");
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(answer);
  }

  /**
   * The start variables; an RDBMS cluster is restored to a point in time, any other from a backup
   * ID, and the wrong kind of target is refused here, before anything is published.
   */
  static Map<String, Object> variables(String cluster, TargetCluster settings, RestoreRequest body) {
    Object backupId = body == null ? null : body.backupId();
    Object pointInTime = body == null ? null : body.pointInTime();
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("cluster", cluster);
    if (settings.usesRdbms()) {
      if (backupId != null) {
        throw new BadRestoreRequest("Cluster " + cluster + " keeps its data in an RDBMS (8.9): it is restored to a point in time,"
            + " not from a backup ID (Zeebe's continuous backups have generated IDs and the database is recovered by time)."
            + " Send {\"pointInTime\": \"<ISO-8601 instant>\"} or {\"pointInTime\": \"latest\"}");
      }
      try {
        variables.put("pointInTime", PointInTime.text(PointInTime.parse(pointInTime)));
      } catch (IllegalArgumentException e) {
        throw new BadRestoreRequest(e.getMessage());
      }
      if (body != null && body.history() != null) {
        variables.put("history", history(body.history()));
      }
    } else {
      if (pointInTime != null) {
        throw new BadRestoreRequest("Cluster " + cluster + " keeps its data in Elasticsearch/OpenSearch: it is restored from a backup ID"
            + " or 'latest'; a point in time needs secondary-storage rdbms (8.9). Send {\"backupId\": <id>} or {\"backupId\": \"latest\"}");
      }
      if (body != null && body.history() != null) {
        throw new BadRestoreRequest("Cluster " + cluster + " keeps its data in Elasticsearch/OpenSearch: it has no histories to"
            + " choose from (a history is what a point-in-time restore of an RDBMS cluster starts). Send {\"backupId\": <id>}"
            + " or {\"backupId\": \"latest\"} without \"history\"");
      }
      variables.put("backupId", backupId == null ? "latest" : backupId);
    }
    variables.put("preApproved", body != null && Boolean.TRUE.equals(body.preApproved()));
    variables.put("requestedBy", "api");
    return variables;
  }

  /** A history number: a positive whole JSON number (or such a number as text). */
  private static int history(Object requested) {
    String text = String.valueOf(requested).trim();
    boolean whole = requested instanceof Integer || requested instanceof Long
        || (requested instanceof String && text.matches("\\d{1,9}"));
    if (!whole || Long.parseLong(text) < 1 || Long.parseLong(text) > Integer.MAX_VALUE) {
      throw new BadRestoreRequest("history '" + text + "' is not a history number: give a positive whole number, e.g."
          + " {\"pointInTime\": \"latest\", \"history\": 1} (the preflight lists the cluster's histories), or leave it out"
          + " for the current history");
    }
    return (int) Long.parseLong(text);
  }

  @ExceptionHandler(BadRestoreRequest.class)
  ResponseEntity<Map<String, String>> badRequest(BadRestoreRequest e) {
    return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(Map.of("message", e.getMessage()));
  }

  @ExceptionHandler(UnknownClusterException.class)
  ResponseEntity<Map<String, String>> unknownCluster(UnknownClusterException e) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("message", e.getMessage()));
  }
}
