package io.github.c8backup.cluster;

/**
 * State of a web applications (Operate, Tasklist, combined webapps) or Optimize backup, as the
 * component reports it. Optimize's documented {@code COMPLETE} is read as {@link #COMPLETED}
 * (reference section 4); a 404 is {@link #DOES_NOT_EXIST}.
 */
public enum ComponentBackupState {
  COMPLETED,
  IN_PROGRESS,
  FAILED,
  INCOMPATIBLE,
  INCOMPLETE,
  DOES_NOT_EXIST;

  public boolean isTerminalFailure() {
    return this == FAILED || this == INCOMPATIBLE;
  }
}
