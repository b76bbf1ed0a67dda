package io.github.c8backup.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where a component's Spring Boot management API answers: {@code url} is scheme, host and port
 * (Zeebe and the web applications 9600, Optimize 8092), {@code contextPath} the servlet context
 * path if one is set ({@code management.server.servlet.context-path}, Helm {@code contextPath};
 * Optimize ignores it), {@code basePath} the actuator base path.
 */
public record ManagementEndpoint(
    @NotNull URI url,
    @DefaultValue("") String contextPath,
    @DefaultValue("/actuator") String basePath,
    @Valid Credentials credentials) {

  /** Absolute URI of an actuator endpoint, e.g. {@code endpoint("backupRuntime/17")}. */
  public URI endpoint(String relative) {
    String base = url.toString().replaceAll("/+$", "");
    return URI.create(base + normalise(contextPath) + normalise(basePath) + "/" + relative.replaceAll("^/+", ""));
  }

  private static String normalise(String segment) {
    if (segment == null || segment.isBlank() || segment.equals("/")) {
      return "";
    }
    String s = segment.trim().replaceAll("/+$", "");
    return s.startsWith("/") ? s : "/" + s;
  }
}
