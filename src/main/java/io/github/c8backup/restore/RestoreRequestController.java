package io.github.c8backup.restore;

import io.camunda.client.CamundaClient;
import io.github.c8backup.cluster.TargetClusters;
import io.github.c8backup.cluster.UnknownClusterException;
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
 * Starts {@code camunda-restore} for a cluster. The cluster name is the correlation key, so Zeebe
 * runs at most one requested restore per cluster at a time. Everything else (is the ID valid, is
 * the backup complete) is decided by the process, visibly, before anything is changed.
 */
@RestController
class RestoreRequestController {

  static final String MESSAGE_NAME = "camunda-restore-requested";

  private final CamundaClient client;
  private final TargetClusters clusters;

  RestoreRequestController(CamundaClient client, TargetClusters clusters) {
    this.client = client;
    this.clusters = clusters;
  }

  /** {@code backupId}: a number or "latest" (default); {@code preApproved} skips the approval task. */
  record RestoreRequest(Object backupId, Boolean preApproved) {}

  @PostMapping("/api/clusters/{cluster}/restores")
  ResponseEntity<Map<String, Object>> request(@PathVariable String cluster, @RequestBody(required = false) RestoreRequest body) {
    clusters.settings(cluster);
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("cluster", cluster);
    variables.put("backupId", body == null || body.backupId() == null ? "latest" : body.backupId());
    variables.put("preApproved", body != null && Boolean.TRUE.equals(body.preApproved()));
    variables.put("requestedBy", "api");
    var response = client.newPublishMessageCommand()
        .messageName(MESSAGE_NAME)
        .correlationKey(cluster)
        .variables(variables)
        .send()
        .join();
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of(
        "cluster", cluster,
        "backupId", variables.get("backupId"),
        "messageKey", response.getMessageKey(),
        "message", "Restore of cluster " + cluster + " requested; nothing changes before its preflight passed"
            + (Boolean.TRUE.equals(variables.get("preApproved")) ? "" : " and the plan is approved in Tasklist")));
  }

  @ExceptionHandler(UnknownClusterException.class)
  ResponseEntity<Map<String, String>> unknownCluster(UnknownClusterException e) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("message", e.getMessage()));
  }
}
