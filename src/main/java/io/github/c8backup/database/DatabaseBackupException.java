package io.github.c8backup.database;

/**
 * A database backup tool failed or could not be run: the message says which one and quotes its
 * output. Retrying may help when the cause was transient (the server restarting, say).
 */
public class DatabaseBackupException extends RuntimeException {

  public DatabaseBackupException(String message) {
    super(message);
  }

  public DatabaseBackupException(String message, Throwable cause) {
    super(message, cause);
  }
}
