package io.github.c8backup.containers;

import io.github.c8backup.testing.Await;
import java.time.Duration;

/**
 * {@link Await} for a real cluster: a condition that throws has not held yet, because Camunda's
 * APIs answer with errors for a while after a start or a restore. A timeout reports the last error.
 */
final class Eventually {

  private static final Duration POLL = Duration.ofSeconds(1);

  private Eventually() {}

  static void holds(String what, Duration timeout, Await.Condition condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        if (condition.holds()) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        AssertionError timedOut = new AssertionError("timed out after " + timeout + " waiting for " + what
            + (last == null ? "" : "; last error: " + last));
        if (last != null) {
          timedOut.initCause(last);
        }
        throw timedOut;
      }
      Thread.sleep(POLL.toMillis());
    }
  }
}
