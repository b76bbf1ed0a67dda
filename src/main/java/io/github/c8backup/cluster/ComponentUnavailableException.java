package io.github.c8backup.cluster;

/**
 * A transient fault talking to a component: connection refused or reset, timeout, HTTP 502, 503
 * or 504. The caller may retry later; clients never retry by themselves.
 */
public class ComponentUnavailableException extends RuntimeException {

  private final String component;
  private final int httpStatus;

  public ComponentUnavailableException(String component, int httpStatus, String message, Throwable cause) {
    super(message, cause);
    this.component = component;
    this.httpStatus = httpStatus;
  }

  public String component() {
    return component;
  }

  /** The HTTP status, or 0 when no response came back (connection refused, timeout). */
  public int httpStatus() {
    return httpStatus;
  }
}
