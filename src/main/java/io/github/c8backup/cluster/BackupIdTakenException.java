package io.github.c8backup.cluster;

/**
 * The component refused the backup ID: Zeebe 409 (an equal or higher ID exists), Optimize 409,
 * web applications 400 "A backup with ID [..] already exists".
 */
public class BackupIdTakenException extends RuntimeException {

  private final String component;
  private final long backupId;

  public BackupIdTakenException(String component, long backupId, String message) {
    super(message);
    this.component = component;
    this.backupId = backupId;
  }

  public String component() {
    return component;
  }

  public long backupId() {
    return backupId;
  }
}
