package io.github.c8backup.restore;

import io.github.c8backup.cluster.ClusterConnection;
import io.github.c8backup.config.CamundaVersion;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The infrastructure steps written out for a person, for clusters we cannot drive (Docker Compose
 * hosts, VMs). Commands are filled in for this cluster and backup; the Docker Compose lines
 * assume the service names of this project's docker-compose.yml and say so.
 */
final class ManualInstructions {

  private ManualInstructions() {}

  static Map<String, String> of(String cluster, ClusterConnection connection, RestorePlan plan) {
    CamundaVersion version = connection.version();
    boolean v88 = version.hasCombinedWebapps();
    String home = v88 ? "/usr/local/camunda" : "/usr/local/zeebe";
    String image = (v88 ? "camunda/camunda:" : "camunda/zeebe:") + plan.backupVersion();
    Map<String, String> instructions = new LinkedHashMap<>();
    instructions.put("stopComponents", """
        Stop every Camunda component of cluster %s: the brokers and gateway%s, Optimize and connectors.
        Keep Elasticsearch/OpenSearch running: the orchestrator restores the snapshots next.
        With this project's docker-compose.yml:
          docker compose stop camunda-target
        On Kubernetes without the orchestrator's platform: scale the Camunda StatefulSets and Deployments to 0.
        Complete this task once nothing of the cluster runs any more.""".formatted(cluster, v88 ? " (orchestration cluster)" : ", Operate, Tasklist"));
    instructions.put("restoreBrokers", """
        On every broker node (node ids 0..n-1), with the broker's own configuration (backup store, cluster size,
        %d partitions, replication factor) and an EMPTY data directory %s/data:
          %s/bin/restore --backupId=%d
        It must print: Successfully restored broker from backup %d
        With this project's docker-compose.yml (one broker):
          docker compose run --rm --no-deps -e ZEEBE_RESTORE=true -e ZEEBE_RESTORE_FROM_BACKUP_ID=%d%s camunda-target
        (the data volume must be empty first: docker volume rm <project>_camunda-target-data)
        Image of the backup's version: %s. Complete this task when every broker printed the success line.""".formatted(
        plan.partitionCount(), home, home, plan.backupId(), plan.backupId(), plan.backupId(),
        v88 ? " -e SPRING_PROFILES_ACTIVE=restore" : "", image));
    instructions.put("startComponents", """
        Start every Camunda component of cluster %s in normal mode (remove any restore settings:
        ZEEBE_RESTORE=false, no ZEEBE_RESTORE_FROM_BACKUP_ID%s).
        With this project's docker-compose.yml:
          docker compose up -d camunda-target
        Complete this task; the orchestrator then waits for health and a leader on every partition.""".formatted(
        cluster, v88 ? ", no SPRING_PROFILES_ACTIVE=restore" : ""));
    return instructions;
  }
}
