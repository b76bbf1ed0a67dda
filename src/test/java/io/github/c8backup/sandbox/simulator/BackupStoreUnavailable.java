package io.github.c8backup.sandbox.simulator;

/**
 * The Zeebe backup store (S3) could not be read or written: not reachable, or it answered an error.
 * The message names the operation, the key and the store's own error, as Zeebe's failure reasons
 * and 500 answers carry the store exception's message.
 */
final class BackupStoreUnavailable extends RuntimeException {

  BackupStoreUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
