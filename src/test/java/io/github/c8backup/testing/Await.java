package io.github.c8backup.testing;

import java.time.Duration;

/** Polls a condition until it holds, for tests against processes and servers that answer later. */
public final class Await {

  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  private Await() {}

  /** Polls every {@code interval} until {@code condition} holds; fails naming {@code what} after {@code timeout}. */
  public static void until(String what, Duration timeout, Duration interval, Condition condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(interval.toMillis());
    }
  }
}
