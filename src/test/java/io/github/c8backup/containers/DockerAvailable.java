package io.github.c8backup.containers;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Enables {@link DockerTest} classes where Testcontainers finds a Docker engine and disables them
 * elsewhere with "Docker is not available: ..." as the reason, which Surefire writes into the
 * test's report. Where the Docker tests are the point of the run (the CI job {@code docker-e2e}
 * sets {@value #REQUIRED}{@code =true}), a missing engine fails the class instead: a job that
 * skipped everything would otherwise pass.
 */
final class DockerAvailable implements ExecutionCondition {

  static final String REQUIRED = "DOCKER_TESTS_REQUIRED";

  private static ConditionEvaluationResult result;

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    ConditionEvaluationResult evaluated = evaluate();
    if (evaluated.isDisabled() && Boolean.parseBoolean(System.getenv(REQUIRED))) {
      throw new IllegalStateException(REQUIRED + " is true, but " + evaluated.getReason().orElse("Docker is not available"));
    }
    return evaluated;
  }

  /** Asks once per JVM: Testcontainers itself refuses to look again after a failed attempt. */
  private static synchronized ConditionEvaluationResult evaluate() {
    if (result == null) {
      result = probe();
      result.getReason().ifPresent(reason -> System.err.println("[" + DockerTest.TAG + "] " + reason));
    }
    return result;
  }

  private static ConditionEvaluationResult probe() {
    try {
      DockerClientFactory docker = DockerClientFactory.instance();
      docker.client();
      return ConditionEvaluationResult.enabled("Docker is available (API " + docker.getActiveApiVersion() + ")");
    } catch (RuntimeException e) {
      return ConditionEvaluationResult.disabled("Docker is not available: " + e.getMessage() + " [" + whereLooked() + "]");
    }
  }

  /** Testcontainers logs each strategy's failure; this says in one line where a user would look. */
  private static String whereLooked() {
    String dockerHost = System.getenv("DOCKER_HOST");
    if (dockerHost != null && !dockerHost.isBlank()) {
      return "DOCKER_HOST=" + dockerHost;
    }
    Path socket = Path.of("/var/run/docker.sock");
    return "DOCKER_HOST unset, " + socket + (Files.exists(socket) ? " exists but no engine answered" : " does not exist");
  }
}
