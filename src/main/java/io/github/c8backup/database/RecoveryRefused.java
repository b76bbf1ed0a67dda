package io.github.c8backup.database;

/**
 * A recovery was not started because it could not succeed as asked: the target lies outside the
 * recoverable window, there is nothing to recover from, or the target folder is not empty. Nothing
 * was written. The message names the nearest valid points when the target was the problem.
 */
public class RecoveryRefused extends RuntimeException {

  public RecoveryRefused(String message) {
    super(message);
  }
}
