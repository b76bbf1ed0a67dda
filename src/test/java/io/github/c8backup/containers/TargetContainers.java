package io.github.c8backup.containers;

/**
 * What {@link ContainersPlatform} needs of the target's containers: {@link CamundaTargetStack}
 * does it with Docker, the platform's test with a fake.
 */
interface TargetContainers {

  /** The Zeebe restore application's run on one data volume: a one-shot container, polled like a Kubernetes Job. */
  record RestoreApp(long backupId, String containerId, String dataVolume) {}

  /** What Docker says of a {@link RestoreApp}: still running, or its exit code; its output either way. */
  record RestoreAppState(boolean running, long exitCode, String output) {}

  /** Stops and removes the Camunda container, keeping its data volume; nothing when none exists. */
  void stopCamunda();

  /** True while a Camunda container exists (starting, running or failed). */
  boolean camundaExists();

  /** The volume the current (or last) Camunda container keeps its broker data in. */
  String camundaDataVolume();

  /** Runs the restore application for {@code backupId} on a new, empty data volume, without waiting. */
  RestoreApp startRestoreApp(long backupId);

  RestoreAppState restoreAppState(RestoreApp app);

  /** Starts Camunda on {@code dataVolume} and returns at once. */
  void startCamundaInBackground(String dataVolume);
}
