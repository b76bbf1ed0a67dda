package io.github.c8backup.sandbox.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real single-node OpenSearch or Elasticsearch from the minimal "integ-test-zip" distribution,
 * with an {@code fs} snapshot repository registered. Runs on a JDK 17..21 (see {@link Jdks}), as
 * nobody when the sandbox runs as root, with its config, data, logs and repository in its own run
 * folder, all deleted on {@link #close()}.
 *
 * <p>For outage tests it can be {@linkplain #stop() stopped}, which refuses connections on its
 * port, and {@linkplain #restart() started again} on the same port with the same data and snapshot
 * folders: indices, snapshots and the repository registration (persisted cluster state) survive.
 */
public final class SearchEngineProcess implements AutoCloseable {

  private static final Duration READY_DEADLINE = Duration.ofSeconds(120);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern REPOSITORY_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]*");

  private final SearchEngineKind kind;
  private final URI url;
  private final String snapshotRepository;
  private final Path snapshotDirectory;
  private final ManagedProcess process;
  private volatile Map<String, String> repositorySettings = Map.of();
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(1))
      .version(HttpClient.Version.HTTP_1_1)
      .build();

  private SearchEngineProcess(SearchEngineKind kind, URI url, String snapshotRepository,
      Path snapshotDirectory, ManagedProcess process) {
    this.kind = kind;
    this.url = url;
    this.snapshotRepository = snapshotRepository;
    this.snapshotDirectory = snapshotDirectory;
    this.process = process;
  }

  /** Starts the engine and returns once it is ready and {@code snapshotRepository} is registered. */
  public static SearchEngineProcess start(SearchEngineKind kind, String snapshotRepository) {
    if (snapshotRepository == null || !REPOSITORY_NAME.matcher(snapshotRepository).matches()) {
      throw new IllegalArgumentException("Not a usable snapshot repository name: " + snapshotRepository);
    }
    Layout layout = Layout.of(kind);
    Path home = Distributions.extracted(Distributions.file(layout.distributionPrefix(), ".zip"));
    Path javaHome = Jdks.searchEngineJavaHome();
    Path run = SandboxDirectories.newRun(layout.name());
    Path config = run.resolve("config");
    Path data = run.resolve("data");
    Path logs = run.resolve("logs");
    Path tmp = run.resolve("tmp");
    Path repository = run.resolve("snapshots");
    int[] ports = FreePorts.pick(2);
    try {
      prepareFolders(home, config, data, logs, tmp, repository);
      UnprivilegedUser.handOver(run);
    } catch (IOException e) {
      SandboxDirectories.deleteRecursively(run);
      throw new UncheckedIOException("Could not prepare " + run, e);
    } catch (RuntimeException e) {
      SandboxDirectories.deleteRecursively(run);
      throw e;
    }

    List<String> command = new ArrayList<>(UnprivilegedUser.commandPrefix());
    command.add(home.resolve("bin").resolve(layout.name()).toString());
    settings(kind, data, logs, repository, ports).forEach((key, value) -> {
      command.add("-E");
      command.add(key + "=" + value);
    });
    Map<String, String> environment = new HashMap<>();
    environment.put(layout.envPrefix() + "JAVA_HOME", javaHome.toString());
    environment.put(layout.envPrefix() + "PATH_CONF", config.toString());
    environment.put(layout.envPrefix() + "TMPDIR", tmp.toString());
    environment.put(layout.envPrefix() + "JAVA_OPTS", "-Xms512m -Xmx512m");
    // OpenSearch falls back to JAVA_HOME; Elasticsearch only warns that it ignores it
    environment.put("JAVA_HOME", kind == SearchEngineKind.OPENSEARCH ? javaHome.toString() : null);
    environment.put("JAVA_TOOL_OPTIONS", null);

    long started = System.nanoTime();
    ManagedProcess managed = ManagedProcess.start(layout.name(), command, environment, run);
    URI url = URI.create("http://127.0.0.1:" + ports[0]);
    SearchEngineProcess engine = new SearchEngineProcess(kind, url, snapshotRepository, repository, managed);
    try {
      engine.awaitReady(started);
      engine.registerRepository();
      return engine;
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  public SearchEngineKind kind() {
    return kind;
  }

  /** {@code http://127.0.0.1:PORT}, no authentication. */
  public URI url() {
    return url;
  }

  public String snapshotRepository() {
    return snapshotRepository;
  }

  /** The {@code fs} repository's folder ({@code path.repo}); deleted on {@link #close()}. */
  public Path snapshotDirectory() {
    return snapshotDirectory;
  }

  /**
   * Registers the snapshot repository again, same name and location, with extra {@code fs}
   * repository settings, e.g. {@code max_snapshot_bytes_per_sec: 1kb} so that a snapshot runs long
   * enough for a test to stop the engine meanwhile. An empty map restores the defaults.
   * {@link #restart()} keeps these settings.
   */
  public void registerSnapshotRepository(Map<String, String> extraSettings) {
    if (extraSettings.containsKey("location")) {
      throw new IllegalArgumentException("The repository location is fixed: " + snapshotDirectory);
    }
    repositorySettings = Map.copyOf(extraSettings);
    registerRepository();
  }

  /**
   * Registers one more {@code fs} snapshot repository, in {@code folder} below the sandbox's
   * {@code path.repo}: one repository per target cluster, as clusters sharing one search engine
   * each get their own repository (on S3, the same bucket with a {@code base_path} per cluster),
   * so that two clusters' snapshots of the same backup ID cannot collide. The engine creates the
   * folder. Returns the folder. Registered once: {@link #restart()} relies on the persisted
   * cluster state for these.
   */
  public Path registerClusterRepository(String name, String folder) {
    if (name == null || !REPOSITORY_NAME.matcher(name).matches() || !REPOSITORY_NAME.matcher(folder).matches()) {
      throw new IllegalArgumentException("Not a usable snapshot repository name or folder: " + name + ", " + folder);
    }
    Path location = snapshotDirectory.resolve(folder);
    putRepository(name, "\"location\":\"" + jsonEscape(location.toString()) + "\"");
    return location;
  }

  /**
   * Stops the engine; its port refuses connections until {@link #restart()}. Data, snapshots and
   * ports stay. Idempotent. A snapshot running meanwhile is cut off as on a real node that went
   * down; what the engine reports for it after the restart is the engine's own behaviour.
   */
  public void stop() {
    process.stop();
  }

  /**
   * Starts the engine again (stopping it first if it runs) on the same ports with the same data and
   * snapshot folders. Returns once the cluster is yellow or green and the snapshot repository is
   * registered: the registration is in the persisted cluster state, and registered again should
   * it be missing.
   */
  public void restart() {
    long started = System.nanoTime();
    process.restart();
    awaitReady(started);
    if (!repositoryRegistered()) {
      registerRepository();
    }
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /** Stops the engine and deletes its data; the extracted distribution stays cached. */
  @Override
  public void close() {
    process.close();
  }

  /** The launcher process (for Elasticsearch the server JVM is its child). */
  ProcessHandle processHandle() {
    return process.handle();
  }

  @Override
  public String toString() {
    return kind + " at " + url + " (repository " + snapshotRepository + " in " + snapshotDirectory + ")";
  }

  private static void prepareFolders(Path home, Path config, Path data, Path logs, Path tmp, Path repository)
      throws IOException {
    for (Path folder : List.of(data, logs, tmp, repository)) {
      Files.createDirectories(folder);
    }
    // A private config folder: the engines write their keystore into it, and jvm.options
    // names logs/ and data/ relative to the (read-only, shared) distribution home.
    Path source = home.resolve("config");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = config.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    Path jvmOptions = config.resolve("jvm.options");
    String options = Files.readString(jvmOptions)
        .replaceAll("(?<=[=:])logs/", logs + "/")
        .replace("HeapDumpPath=data", "HeapDumpPath=" + data);
    Files.writeString(jvmOptions, options);
  }

  private static Map<String, String> settings(SearchEngineKind kind, Path data, Path logs, Path repository,
      int[] ports) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("cluster.name", "c8-backup-sandbox");
    settings.put("node.name", "sandbox-" + kind.name().toLowerCase());
    settings.put("discovery.type", "single-node");
    settings.put("http.host", "127.0.0.1");
    settings.put("transport.host", "127.0.0.1");
    settings.put("http.port", Integer.toString(ports[0]));
    settings.put("transport.port", Integer.toString(ports[1]));
    settings.put("path.data", data.toString());
    settings.put("path.logs", logs.toString());
    settings.put("path.repo", repository.toString());
    settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
    if (kind == SearchEngineKind.ELASTICSEARCH) {
      // the integ-test zip ships the x-pack-security module, which would otherwise demand TLS and passwords
      settings.put("xpack.security.enabled", "false");
    }
    return settings;
  }

  private void awaitReady(long startedNanos) {
    HttpRequest health = HttpRequest.newBuilder(url.resolve("/_cluster/health?wait_for_status=yellow&timeout=1s"))
        .timeout(REQUEST_TIMEOUT)
        .GET()
        .build();
    long deadline = startedNanos + READY_DEADLINE.toNanos();
    String lastAnswer = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(kind + " stopped before it was ready: " + process.failureDetails());
      }
      try {
        HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        lastAnswer = "HTTP " + response.statusCode() + " " + response.body();
      } catch (IOException e) {
        lastAnswer = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for " + kind, e);
      }
      pause();
    }
    throw new IllegalStateException(kind + " was not ready within " + READY_DEADLINE.toSeconds() + " s (last answer: "
        + lastAnswer + "): " + process.failureDetails());
  }

  private boolean repositoryRegistered() {
    HttpRequest request = HttpRequest.newBuilder(url.resolve("/_snapshot/" + snapshotRepository))
        .timeout(REQUEST_TIMEOUT)
        .GET()
        .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      throw new UncheckedIOException("Reading snapshot repository " + snapshotRepository + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading " + snapshotRepository, e);
    }
  }

  private void registerRepository() {
    StringBuilder settings = new StringBuilder("\"location\":\"" + jsonEscape(snapshotDirectory.toString()) + "\"");
    repositorySettings.forEach((key, value) ->
        settings.append(",\"").append(jsonEscape(key)).append("\":\"").append(jsonEscape(value)).append('"'));
    putRepository(snapshotRepository, settings.toString());
  }

  private void putRepository(String name, String settings) {
    String body = "{\"type\":\"fs\",\"settings\":{" + settings + "}}";
    HttpRequest request = HttpRequest.newBuilder(url.resolve("/_snapshot/" + name))
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body))
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("Registering snapshot repository " + name + " failed: HTTP "
            + response.statusCode() + " " + response.body() + "\n" + process.failureDetails());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Registering snapshot repository " + name + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while registering " + name, e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the search engine", e);
    }
  }

  static String jsonEscape(String value) {
    StringBuilder escaped = new StringBuilder();
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> escaped.append("\\\"");
        case '\\' -> escaped.append("\\\\");
        default -> {
          if (c < 0x20) {
            escaped.append(String.format("\\u%04x", (int) c));
          } else {
            escaped.append(c);
          }
        }
      }
    }
    return escaped.toString();
  }

  /** Where the two distributions differ: script name, env variable prefix, file name. */
  private record Layout(String name, String envPrefix, String distributionPrefix) {
    static Layout of(SearchEngineKind kind) {
      return switch (kind) {
        case OPENSEARCH -> new Layout("opensearch", "OPENSEARCH_", "opensearch-");
        case ELASTICSEARCH -> new Layout("elasticsearch", "ES_", "elasticsearch-");
      };
    }
  }
}
