package io.github.c8backup.containers;

import io.github.c8backup.restore.ClusterPlatform;
import io.github.c8backup.restore.ClusterPlatform.BrokerRestore.Broker;
import io.github.c8backup.restore.ClusterPlatform.BrokerRestore.State;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The infrastructure steps of a restore done on the {@link CamundaTargetStack}, the way an operator
 * restores a Compose installation: stop and remove the Camunda container (its data volume stays),
 * run the Zeebe restore application on a new, empty volume, start Camunda on that volume. Like the
 * Kubernetes platform it never waits: the restore application is polled like a Job, and the
 * orchestrator checks the started cluster's health itself.
 *
 * <p>The stack runs one broker (node 0, the image's default), so there is one restore per backup.
 * A restore already started for a backup is left alone unless it failed.
 */
final class ContainersPlatform implements ClusterPlatform {

  private static final int NODE = 0;
  private static final int LOG_LINES_IN_FAILURE = 8;

  private final TargetContainers containers;
  private final Map<Long, TargetContainers.RestoreApp> restores = new ConcurrentHashMap<>();

  ContainersPlatform(TargetContainers containers) {
    this.containers = containers;
  }

  @Override
  public String kind() {
    return ContainersPlatformProvider.TYPE;
  }

  @Override
  public List<String> describe(long backupId, int partitionCount) {
    return List.of(
        "stop and remove container " + CamundaTargetStack.CAMUNDA_HOST + " (" + CamundaTargetStack.CAMUNDA_IMAGE
            + "); its data volume " + containers.camundaDataVolume() + " is kept",
        "create an empty data volume and run " + CamundaTargetStack.RESTORE_BINARY + " --backupId=" + backupId
            + " on it (same image and environment, SPRING_PROFILES_ACTIVE=restore, " + partitionCount + " partitions)",
        "start " + CamundaTargetStack.CAMUNDA_HOST + " on the restored volume");
  }

  @Override
  public void stopComponents() {
    containers.stopCamunda();
  }

  @Override
  public boolean componentsStopped() {
    return !containers.camundaExists();
  }

  @Override
  public synchronized void startBrokerRestore(long backupId) {
    TargetContainers.RestoreApp known = restores.get(backupId);
    if (known != null && brokerOf(known).state() != State.FAILED) {
      return;
    }
    restores.put(backupId, containers.startRestoreApp(backupId));
  }

  @Override
  public BrokerRestore brokerRestore(long backupId) {
    TargetContainers.RestoreApp app = restores.get(backupId);
    if (app == null) {
      return new BrokerRestore(State.NOT_STARTED, List.of(new Broker(NODE, State.NOT_STARTED, null)), null);
    }
    Broker broker = brokerOf(app);
    return new BrokerRestore(broker.state(), List.of(broker),
        broker.state() == State.FAILED ? "node " + NODE + ": " + broker.detail() : null);
  }

  /** Done only with exit code 0 and the success line (reference 7.3), as the Kubernetes platform requires. */
  private Broker brokerOf(TargetContainers.RestoreApp app) {
    TargetContainers.RestoreAppState state = containers.restoreAppState(app);
    if (state.running()) {
      return new Broker(NODE, State.IN_PROGRESS, "restore application running in container " + app.containerId());
    }
    String success = "Successfully restored broker from backup " + app.backupId();
    List<String> lines = state.output().lines().toList();
    if (state.exitCode() == 0) {
      return lines.stream().filter(line -> line.contains(success)).findFirst()
          .map(line -> new Broker(NODE, State.COMPLETED, line.strip()))
          .orElse(new Broker(NODE, State.FAILED, "exited with 0 but never logged '" + success + "'"));
    }
    List<String> last = lines.subList(Math.max(0, lines.size() - LOG_LINES_IN_FAILURE), lines.size());
    return new Broker(NODE, State.FAILED, "exited with " + state.exitCode() + ": " + String.join(" | ", last));
  }

  /** Starts Camunda on the volume of a completed restore, or on its own volume when there was none. */
  @Override
  public synchronized void startComponents() {
    if (containers.camundaExists()) {
      return;
    }
    String volume = restores.values().stream()
        .filter(app -> brokerOf(app).state() == State.COMPLETED)
        .map(TargetContainers.RestoreApp::dataVolume)
        .findFirst()
        .orElse(containers.camundaDataVolume());
    restores.clear();
    containers.startCamundaInBackground(volume);
  }
}
