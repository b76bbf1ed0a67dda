package io.github.c8backup.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.github.c8backup.testing.Await;
import io.github.c8backup.testing.ControlEngine;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.value.TimerRecordValue;
import java.io.File;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image, checked where there is no Docker: the application is started as the image's
 * entrypoint starts it ({@code java <jvmFlags> -cp <runtime classpath> <mainClass>}, all read from
 * pom.xml by {@link JibImage}), in a JVM of its own whose environment holds only the image's
 * variables and the ones a container would be given, and a directory standing in for the mounted
 * {@code /config/}. The control engine is Zeebe Process Test's, which readiness needs: the BPMN is
 * deployed before the application reports ready. What the image adds beyond this (the Temurin 21
 * JRE, user 10001, the files under /app) is checked by building it, see the pom.
 */
class ContainerImageStartTest {

  private static final JibImage IMAGE = JibImage.read(Path.of("pom.xml"));
  /** {@code dependency:build-classpath} writes it (generate-test-resources): Jib's /app/libs, in the same order. */
  private static final Path RUNTIME_CLASSPATH = Path.of("target/runtime-classpath.txt");
  private static final Path CLASSES = Path.of("target/classes");
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2); // about 15 s on an idle machine; 45 s seen under a load of 13 on 2 cores
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Stands in for the directory a user mounts at /config/. */
  @TempDir
  Path config;

  private ControlEngine engine;
  private Process process;
  private Path log;

  @AfterEach
  void stop() throws Exception {
    if (process != null) {
      process.destroy(); // SIGTERM, as `docker stop` sends
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    if (engine != null) {
      engine.close();
    }
    if (log != null) {
      Files.deleteIfExists(log);
    }
  }

  @Test
  void imageRunsAsAnUnprivilegedNumericUserAndReadsAMountedConfigDirectory() {
    // a numeric uid works without an entry in the base image's /etc/passwd; 0 would be root
    assertThat(IMAGE.user()).matches("[1-9][0-9]*:[0-9]+");
    assertThat(IMAGE.environment()).containsEntry("SPRING_CONFIG_ADDITIONAL_LOCATION", "optional:file:/config/");
  }

  @Test
  void startsLiveAndReadyOnTheExposedPortConfiguredOnlyByEnvironmentAndTheMountedDirectory() throws Exception {
    // given: one cluster in the environment, another in the mounted application.yaml, and no SERVER_PORT
    assertThat(IMAGE.ports()).as("exposed ports").hasSize(1);
    int exposed = IMAGE.ports().getFirst();
    assertPortIsFree(exposed);
    Files.writeString(config.resolve("application.yaml"), """
        orchestrator:
          clusters:
            mounted:
              version: "8.8"
              zeebe: { url: "http://zeebe-mounted.invalid:9600" }
              schedule: R/PT24H
        """);
    engine = ControlEngine.start(0);

    // when
    process = start(environment(Map.of("CAMUNDA_CLIENT_GRPCADDRESS", engine.grpcAddress())));

    // then
    awaitReadiness(exposed);
    assertThat(get(exposed, "/actuator/health/liveness")).isEqualTo("200 {\"status\":\"UP\"}");
    assertThat(get(exposed, "/actuator/health/readiness")).isEqualTo("200 {\"status\":\"UP\"}");
    // and the control engine got a schedule for each cluster: both configuration sources were read
    Await.until("a timer start event per scheduled cluster", Duration.ofSeconds(10), Duration.ofMillis(200),
        () -> timerStartEvents().containsAll(List.of("ScheduledBackup_demo", "ScheduledBackup_mounted")));
  }

  @Test
  void stopsWithANonZeroExitCodeAndNamesAVariableItCannotUse() throws Exception {
    // given
    Map<String, String> environment = environment(Map.of("ORCHESTRATOR_CLUSTERS_DEMO_VERSION", "8.5"));

    // when
    process = start(environment);

    // then
    assertThat(process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("exited: " + tail()).isTrue();
    assertThat(process.exitValue()).as(tail()).isNotZero();
    assertThat(Files.readString(log))
        .contains("ORCHESTRATOR_CLUSTERS_DEMO_VERSION")
        .contains("Unsupported Camunda version '8.5'");
  }

  /** The image's own variables, /config/ moved to the stand-in directory, then what a container would set. */
  private Map<String, String> environment(Map<String, String> overrides) {
    Map<String, String> environment = new LinkedHashMap<>();
    IMAGE.environment().forEach((name, value) -> environment.put(name, value.replace("file:/config/", "file:" + config + "/")));
    environment.put("ORCHESTRATOR_CLUSTERS_DEMO_VERSION", "8.8");
    environment.put("ORCHESTRATOR_CLUSTERS_DEMO_ZEEBE_URL", "http://zeebe-demo.invalid:9600");
    environment.put("ORCHESTRATOR_CLUSTERS_DEMO_SCHEDULE", "R/PT10M");
    environment.putAll(overrides);
    return environment;
  }

  private Process start(Map<String, String> environment) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.addAll(IMAGE.jvmFlags());
    command.add("-cp");
    command.add(runtimeClasspath());
    command.add(IMAGE.mainClass());
    log = Files.createTempFile("container-image-start-", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().clear(); // nothing of this JVM's environment leaks into the "container"
    builder.environment().putAll(environment);
    return builder.start();
  }

  /** What Jib puts on the classpath: the classes and resources, then the runtime-scope jars; no test classes or test jars. */
  private static String runtimeClasspath() throws IOException {
    if (!Files.exists(RUNTIME_CLASSPATH)) {
      fail(RUNTIME_CLASSPATH + " is missing: run the test through Maven, whose generate-test-resources phase writes it");
    }
    return Stream.concat(Stream.of(CLASSES.toAbsolutePath().toString()), Stream.of(Files.readString(RUNTIME_CLASSPATH).trim()))
        .reduce((a, b) -> a + File.pathSeparator + b)
        .orElseThrow();
  }

  private static void assertPortIsFree(int port) throws IOException {
    try (ServerSocket ignored = new ServerSocket(port)) {
      // free
    } catch (BindException e) {
      fail("Port " + port + " (the image's) is taken by another process, so the test cannot tell whether the"
          + " application listens there; stop that process (the sandbox of `./mvnw spring-boot:test-run` uses it too)");
    }
  }

  private void awaitReadiness(int port) throws Exception {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("The application exited with " + process.exitValue() + " before it was ready:\n" + tail());
      }
      try {
        if (get(port, "/actuator/health/readiness").startsWith("200 ")) {
          return;
        }
      } catch (ConnectException notListeningYet) {
        // starting
      }
      Thread.sleep(250);
    }
    fail("Not ready on port " + port + " within " + START_TIMEOUT + ":\n" + tail());
  }

  private static String get(int port, String path) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  private Set<String> timerStartEvents() {
    Set<String> elements = new HashSet<>();
    for (Record<TimerRecordValue> timer : engine.records().timerRecords()) {
      elements.add(timer.getValue().getTargetElementId());
    }
    return elements;
  }

  private String tail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
