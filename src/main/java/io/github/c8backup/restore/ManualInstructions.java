package io.github.c8backup.restore;

import io.github.c8backup.cluster.ClusterConnection;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.PostgresSettings;
import io.github.c8backup.database.BaseBackup;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

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

  /**
   * The RDBMS point-in-time restore (8.9, reference 7.5) written out: PostgreSQL recovered from the
   * base backup and the WAL archive first, then the restore application on every broker. Paths
   * come from the cluster's configuration; no password is written (the server's own login is used).
   */
  static Map<String, String> rdbms(String cluster, ClusterConnection connection, RdbmsRestorePlan plan, Optional<BaseBackup> baseBackup) {
    PostgresSettings pg = connection.settings().database().postgres();
    // back onto an earlier history the database goes to the chosen backup's moment along that timeline
    boolean latest = PointInTime.LATEST.equals(plan.requested()) && !plan.earlierHistory();
    String timeline = plan.earlierHistory() ? String.valueOf(plan.history()) : "latest";
    String brokerArgs = plan.earlierHistory() ? plan.zeebeRestoreMode().split(" ", 2)[0] : latest ? "" : "--to=" + plan.recoveryPoint();
    String backup = baseBackup.map(b -> b.location() + " (base backup " + b.label() + ", complete at " + b.finishedAt() + ")")
        .orElse(pg.backupDirectory() + "/<newest base backup complete before " + plan.recoveryPoint() + ">");
    String target = latest
        ? "# no recovery_target_time: replay the whole archive (the newest state)"
        : "recovery_target_time = '" + plan.recoveryPoint() + "'\n  recovery_target_inclusive = on";
    Map<String, String> instructions = new LinkedHashMap<>();
    instructions.put("stopComponents", """
        Stop every Camunda component of cluster %s: the brokers, gateway and web apps (one orchestration cluster in 8.9),
        Optimize and connectors. Keep PostgreSQL running for now: it is recovered in the next task.
        With this project's docker-compose.yml:
          docker compose stop camunda-target
        Complete this task once nothing of the cluster runs any more.""".formatted(cluster));
    instructions.put("recoverDatabase", """
        Recover PostgreSQL (%s:%d, database %s) to %s, BEFORE the brokers are restored:
        1. Stop the server:                  pg_ctl -D <data directory> stop -m fast
        2. Move the data directory aside:    mv <data directory> <data directory>.before-restore
        3. Restore the base backup into an empty data directory (as the postgres user):
             %s
             mkdir -m 700 <data directory> && tar -xzf <backup>/base.tar.gz -C <data directory>
             tar -xzf <backup>/pg_wal.tar.gz -C <data directory>/pg_wal
        4. Recovery settings, appended to <data directory>/postgresql.auto.conf, and an empty recovery.signal:
             restore_command = 'cp %s/%%f "%%p"'
             %s
             recovery_target_timeline = '%s'
             recovery_target_action = 'promote'
           touch <data directory>/recovery.signal
        5. Start the server:                 pg_ctl -D <data directory> start
           It replays the archive, promotes itself and continues on a new timeline (check the log for
           "archive recovery complete"). Keep the moved-aside directory until the restore is verified.
        Complete this task once the server accepts connections again.""".formatted(
        pg.host(), pg.port(), pg.database(), latest ? "the newest archived commit" : plan.recoveryPoint(),
        backup, pg.walArchiveDirectory(), target, timeline));
    instructions.put("restoreBrokersRdbms", """
        AFTER the database is recovered: on every broker node (node ids 0..n-1), with the broker's own configuration
        (backup store, cluster size, %d partitions, replication factor, the same RDBMS connection) and an EMPTY data
        directory /usr/local/camunda/data:
          SPRING_PROFILES_ACTIVE=restore /usr/local/camunda/bin/restore %s
        %s
        It must print: Successfully restored broker from backup ...
        With this project's docker-compose.yml (one broker):
          docker compose run --rm --no-deps -e SPRING_PROFILES_ACTIVE=restore camunda-target /usr/local/camunda/bin/restore %s
        Complete this task when every broker printed the success line.""".formatted(
        plan.partitionCount(), brokerArgs,
        plan.earlierHistory() ? "(history " + plan.history() + "'s backups, which Zeebe no longer lists for the default mode or --to)"
            : latest ? "(no parameter: the default mode reads EXPORTER_POSITION from the database and restores up to it and the range's later backups)"
            : "(--to equals the database's point; never earlier, or the restore fails: reference 7.5)",
        brokerArgs));
    instructions.put("startComponents", """
        Start every Camunda component of cluster %s in normal mode (no SPRING_PROFILES_ACTIVE=restore).
        With this project's docker-compose.yml:
          docker compose up -d camunda-target
        Zeebe re-exports from its restored checkpoint what the database misses.
        Complete this task; the orchestrator then waits for health and a leader on every partition.""".formatted(cluster));
    return instructions;
  }
}
