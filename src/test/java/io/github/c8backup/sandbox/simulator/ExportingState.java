package io.github.c8backup.sandbox.simulator;

/** Exporting state of the simulated brokers (reference 2.1). */
public enum ExportingState {
  /** Records are exported and the exported position is acknowledged. */
  RUNNING,
  /** Records are still exported, but the acknowledged exported position stays frozen. */
  SOFT_PAUSED,
  /** Nothing is exported; records pile up until resume. */
  PAUSED
}
