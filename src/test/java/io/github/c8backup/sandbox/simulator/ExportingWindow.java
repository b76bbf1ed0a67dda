package io.github.c8backup.sandbox.simulator;

import java.time.Instant;

/**
 * A period in which exporting was soft- or hard-paused; {@code end} is null while it lasts. Tests use
 * it to check that a backup run paused and resumed exporting, and for how long.
 */
public record ExportingWindow(ExportingState state, Instant start, Instant end) {

  public boolean isOpen() {
    return end == null;
  }
}
