package io.github.c8backup.retention;

/** Job types of {@code camunda-retention}. */
public final class RetentionJobTypes {

  public static final String SELECT_EXPIRED_BACKUPS = "retention.select-expired-backups";
  public static final String DELETE_EXPIRED_BACKUP = "retention.delete-expired-backup";

  private RetentionJobTypes() {}
}
