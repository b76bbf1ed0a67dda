package io.github.c8backup.sandbox.simulator;

/**
 * The simulated Zeebe restore application ({@link CamundaTargetSimulator#restoreBroker}) ended
 * without restoring; the message is what the real application reports (reference 7.3).
 */
public final class BrokerRestoreFailed extends RuntimeException {

  BrokerRestoreFailed(String message) {
    super(message);
  }
}
