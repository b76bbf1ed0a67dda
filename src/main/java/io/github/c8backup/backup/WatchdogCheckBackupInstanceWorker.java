package io.github.c8backup.backup;

import io.camunda.client.CamundaClient;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.api.command.ClientStatusException;
import io.camunda.client.api.command.ProblemException;
import io.camunda.client.api.response.ActivatedJob;
import io.grpc.Status;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The exporting watchdog's periodic look at the backup instance that paused exporting. The
 * engine's command API cannot query an instance, but it refuses to set a variable on one that no
 * longer exists: that refusal is the proof that the backup instance was cancelled (or otherwise
 * ended) without resuming exporting. The variable it sets, {@code watchdogCheckedAt}, tells
 * Operate's reader when the watchdog last saw the backup alive.
 */
@Component
public class WatchdogCheckBackupInstanceWorker {

  private final ClusterSteps steps;
  private final CamundaClient client;

  WatchdogCheckBackupInstanceWorker(ClusterSteps steps, CamundaClient client) {
    this.steps = steps;
    this.client = client;
  }

  @JobWorker(type = JobTypes.WATCHDOG_CHECK_BACKUP_INSTANCE)
  public Map<String, Object> check(
      ActivatedJob job,
      @Variable(name = "backupInstanceKey") Long backupInstanceKey,
      @Variable(name = "backupId") Long backupId) {
    Map<String, Object> variables = new LinkedHashMap<>();
    if (backupInstanceKey == null) {
      // nothing to watch but the bound
      variables.put("backupInstanceAlive", true);
      return variables;
    }
    try {
      client.newSetVariablesCommand(backupInstanceKey).variables(Map.of("watchdogCheckedAt", steps.now())).local(true).send().join();
      variables.put("backupInstanceAlive", true);
    } catch (ClientStatusException e) {
      if (e.getStatusCode() != Status.Code.NOT_FOUND) {
        throw e;
      }
      variables.put("backupInstanceAlive", false);
    } catch (ProblemException e) {
      if (e.code() != 404) {
        throw e;
      }
      variables.put("backupInstanceAlive", false);
    }
    if (!Boolean.TRUE.equals(variables.get("backupInstanceAlive"))) {
      variables.put("watchdogReason", "backup instance " + backupInstanceKey + " of backup " + backupId
          + " ended while exporting was soft-paused (cancelled in Operate?)");
    }
    return variables;
  }
}
