package io.github.c8backup.cluster;

/**
 * A component answered with an error that retrying will not fix (400 misconfiguration, 404
 * repository missing, 500), or a body we cannot read. Carries the HTTP status and an excerpt of
 * the body for an actionable incident message.
 */
public class ComponentRequestRejectedException extends RuntimeException {

  private final String component;
  private final int httpStatus;
  private final String bodyExcerpt;

  public ComponentRequestRejectedException(String component, int httpStatus, String bodyExcerpt, String message) {
    super(message);
    this.component = component;
    this.httpStatus = httpStatus;
    this.bodyExcerpt = bodyExcerpt;
  }

  public String component() {
    return component;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String bodyExcerpt() {
    return bodyExcerpt;
  }
}
