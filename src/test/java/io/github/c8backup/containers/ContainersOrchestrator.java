package io.github.c8backup.containers;

import io.github.c8backup.BackupOrchestratorApplication;
import io.github.c8backup.testing.ControlEngine;
import io.github.c8backup.testing.ProcessHistory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The orchestrator as the Docker end-to-end tests run it: in this JVM, with Zeebe Process Test's
 * in-memory engine as its control engine (as the sandbox does; its record stream is the run
 * history the tests read), configured for one cluster {@value #CLUSTER} the way docker-compose.yml's
 * {@code orchestrator} service is, plus {@code platform.type: testcontainers} so that restores
 * drive the {@link CamundaTargetStack}.
 */
final class ContainersOrchestrator implements AutoCloseable {

  static final String CLUSTER = "demo";

  private final HttpClient http = HttpClient.newHttpClient();
  private final ControlEngine engine;
  private ConfigurableApplicationContext context;

  private ContainersOrchestrator(ControlEngine engine) {
    this.engine = engine;
  }

  static ContainersOrchestrator start(CamundaTargetStack stack) {
    ContainersOrchestrator orchestrator = new ContainersOrchestrator(ControlEngine.start(0));
    try {
      String[] args = properties(stack, orchestrator.engine).entrySet().stream()
          .map(e -> "--" + e.getKey() + "=" + e.getValue())
          .toArray(String[]::new);
      SpringApplication application = new SpringApplication(BackupOrchestratorApplication.class);
      ContainersPlatformProvider platforms = new ContainersPlatformProvider(CLUSTER, stack);
      application.addInitializers(c -> c.getBeanFactory().registerSingleton("containersPlatformProvider", platforms));
      orchestrator.context = application.run(args);
      return orchestrator;
    } catch (RuntimeException | Error e) {
      // the engine's threads are not daemons: a failed start must not leave the JVM hanging
      orchestrator.close();
      throw e;
    }
  }

  /** docker-compose.yml's {@code ORCHESTRATOR_CLUSTERS_DEMO_*}, pointing at the stack, on demand only. */
  static Map<String, Object> properties(CamundaTargetStack stack, ControlEngine engine) {
    String cluster = "orchestrator.clusters." + CLUSTER + ".";
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("camunda.client.grpc-address", engine.grpcAddress());
    p.put("server.port", 0);
    p.put("orchestrator.retry-backoff", "PT1S");
    p.put(cluster + "version", "8.8");
    p.put(cluster + "zeebe.url", stack.zeebeManagement());
    p.put(cluster + "zeebe-rest", stack.gatewayRest());
    p.put(cluster + "webapps.url", stack.zeebeManagement());
    p.put(cluster + "search.url", stack.elasticsearch());
    p.put(cluster + "search.type", "elasticsearch");
    p.put(cluster + "search.snapshot-repository", CamundaTargetStack.SNAPSHOT_REPOSITORY);
    p.put(cluster + "search.records-index-prefix", "zeebe-record");
    p.put(cluster + "search.records-exporter", true);
    p.put(cluster + "timeouts.poll-interval", "PT1S");
    p.put(cluster + "platform.type", ContainersPlatformProvider.TYPE);
    return p;
  }

  ProcessHistory history() {
    return new ProcessHistory(engine.records());
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  HttpResponse<String> post(String path, String json) {
    return send(HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  private URI uri(String path) {
    int port = context.getEnvironment().getProperty("local.server.port", Integer.class, 0);
    return URI.create("http://localhost:" + port + path);
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      if (context != null) {
        context.close();
      }
    } finally {
      engine.close();
    }
  }
}
