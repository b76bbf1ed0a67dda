package io.github.c8backup.sandbox.simulator;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Faults a test can inject into a running {@link CamundaTargetSimulator}. Each fault is real in its
 * effect: an unavailable component answers every request with the given status, a failed Zeebe
 * backup writes FAILED manifests to the store, a stalled one leaves them IN_PROGRESS.
 */
public final class SimulatorFaults {

  private final AtomicReference<Integer> nextExportingBodyStatus = new AtomicReference<>();
  private final Map<Component, Integer> unavailable = new ConcurrentHashMap<>();
  private final Set<Long> failingZeebeBackups = ConcurrentHashMap.newKeySet();
  private final Set<Long> stalledZeebeBackups = ConcurrentHashMap.newKeySet();

  SimulatorFaults() {}

  /**
   * The next exporting call (pause, soft pause or resume) changes nothing and answers HTTP 200 with
   * {@code {"body":{"message":...},"status":bodyStatus,...}}, like a broker missing from the
   * topology (reference 2.1).
   */
  public void failNextExportingCall(int bodyStatus) {
    nextExportingBodyStatus.set(bodyStatus);
  }

  /** The component answers every request with {@code httpStatus} (e.g. 502, 503) until {@link #makeAvailable}. */
  public void makeUnavailable(Component component, int httpStatus) {
    unavailable.put(component, httpStatus);
  }

  public void makeAvailable(Component component) {
    unavailable.remove(component);
  }

  /** Zeebe backup {@code id}, when taken, ends FAILED on every partition with a failure reason. */
  public void failZeebeBackup(long id) {
    failingZeebeBackups.add(id);
  }

  /** Zeebe backup {@code id}, when taken, stays IN_PROGRESS forever (camunda/camunda#10547). */
  public void stallZeebeBackup(long id) {
    stalledZeebeBackups.add(id);
  }

  /** Removes every fault. A backup already stalled stays stalled. */
  public void clear() {
    nextExportingBodyStatus.set(null);
    unavailable.clear();
    failingZeebeBackups.clear();
    stalledZeebeBackups.clear();
  }

  Optional<Integer> takeExportingFailure() {
    return Optional.ofNullable(nextExportingBodyStatus.getAndSet(null));
  }

  Optional<Integer> unavailability(Component component) {
    return Optional.ofNullable(unavailable.get(component));
  }

  boolean failsZeebeBackup(long id) {
    return failingZeebeBackups.contains(id);
  }

  boolean stallsZeebeBackup(long id) {
    return stalledZeebeBackups.contains(id);
  }
}
