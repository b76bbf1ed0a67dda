package io.github.c8backup.sandbox;

import io.github.c8backup.BackupOrchestratorApplication;
import io.github.c8backup.config.PostgresSettings;
import io.github.c8backup.sandbox.simulator.CamundaTargetSimulator;
import io.github.c8backup.sandbox.simulator.SimulatorSettings;
import io.github.c8backup.sandbox.storage.PostgresProcess;
import io.github.c8backup.sandbox.storage.S3ProxyProcess;
import io.github.c8backup.sandbox.storage.SearchEngineKind;
import io.github.c8backup.sandbox.storage.SearchEngineProcess;
import io.github.c8backup.testing.ControlEngine;
import io.github.c8backup.testing.ProcessHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The local sandbox: REAL S3 store (S3Proxy) and REAL OpenSearch/Elasticsearch, the SIMULATED
 * Camunda target cluster on top of them, Zeebe Process Test's engine as the control engine, and
 * the orchestrator itself, connected to the engine and the simulator through ordinary
 * configuration. Everything stops on {@link #close()}.
 *
 * <p>With {@link Options#rdbms(String, String, boolean, Duration, Duration)} the target is an 8.9
 * cluster whose secondary storage is a REAL PostgreSQL ({@link #postgres()}) instead of a search
 * engine, which is then not started: the simulated brokers export into that database and back
 * themselves up continuously into S3 on a schedule of their own, and the orchestrator's cluster is
 * configured with {@code secondary-storage: rdbms} and the database's native backups.
 */
public final class Sandbox implements AutoCloseable {

  public static final String CLUSTER = "sandbox";
  public static final String SNAPSHOT_REPOSITORY = "camunda-backups";
  public static final String BUCKET = "zeebe-backups";
  /** The RDBMS target's database, in the sandbox's own PostgreSQL server. */
  public static final String DATABASE = "camunda";

  /**
   * @param camundaVersion the simulated target's version, e.g. "8.8.3"
   * @param searchEngine the secondary storage of an ES/OS target; ignored (none started) with {@code rdbms}
   * @param schedule the cluster's backup schedule in the orchestrator, null for on demand only
   * @param realPorts the documented ports (9600, 8080, 8092, orchestrator 8088, engine 26500) instead of free ones
   * @param rdbms null for an ES/OS target; otherwise an 8.9 target with RDBMS secondary storage
   */
  public record Options(String camundaVersion, SearchEngineKind searchEngine, String schedule, boolean realPorts,
      Duration backupDuration, Rdbms rdbms) {

    /** An ES/OS target. */
    public Options(String camundaVersion, SearchEngineKind searchEngine, String schedule, boolean realPorts, Duration backupDuration) {
      this(camundaVersion, searchEngine, schedule, realPorts, backupDuration, null);
    }

    /**
     * An 8.9 target with a real PostgreSQL as secondary storage and no search engine; its brokers
     * back up continuously every {@code zeebeBackupSchedule} (Zeebe's own {@code backup.schedule}).
     */
    public static Options rdbms(String camundaVersion, String schedule, boolean realPorts, Duration backupDuration,
        Duration zeebeBackupSchedule) {
      return rdbms(camundaVersion, schedule, realPorts, backupDuration, zeebeBackupSchedule, null);
    }

    /** As above, and the brokers delete their own backups older than {@code zeebeRetentionWindow} (reference 6.4, 9). */
    public static Options rdbms(String camundaVersion, String schedule, boolean realPorts, Duration backupDuration,
        Duration zeebeBackupSchedule, Duration zeebeRetentionWindow) {
      return new Options(camundaVersion, null, schedule, realPorts, backupDuration, new Rdbms(zeebeBackupSchedule, zeebeRetentionWindow));
    }
  }

  /**
   * @param zeebeBackupSchedule the brokers' continuous backup schedule, e.g. PT5S
   * @param zeebeRetentionWindow the brokers' {@code backup.retention.window}, or null for none
   */
  public record Rdbms(Duration zeebeBackupSchedule, Duration zeebeRetentionWindow) {}

  private final List<AutoCloseable> started = new ArrayList<>();
  private final Options options;
  private final Map<String, Object> overrides;
  private S3ProxyProcess s3;
  private SearchEngineProcess search;
  private PostgresProcess postgres;
  private Path secrets;
  private CamundaTargetSimulator simulator;
  private ControlEngine engine;
  private ConfigurableApplicationContext orchestrator;

  private Sandbox(Options options, Map<String, Object> overrides) {
    this.options = options;
    this.overrides = overrides;
  }

  public static Sandbox start(Options options) {
    return start(options, Map.of());
  }

  /**
   * @param overrides orchestrator properties on top of the sandbox's own; keys below
   *     {@code orchestrator.clusters.sandbox.} may be given as {@code cluster.<rest>}
   */
  public static Sandbox start(Options options, Map<String, Object> overrides) {
    Sandbox sandbox = new Sandbox(options, overrides);
    try {
      sandbox.startAll();
      return sandbox;
    } catch (RuntimeException | Error e) {
      sandbox.close();
      throw e;
    }
  }

  private void startAll() {
    s3 = track(S3ProxyProcess.start(BUCKET));
    SimulatorSettings.Builder settings = SimulatorSettings.builder()
        .camundaVersion(options.camundaVersion())
        .partitions(3)
        .backupDuration(options.backupDuration())
        .s3(s3.endpoint(), s3.region(), s3.accessKey(), s3.secretKey(), BUCKET);
    if (options.rdbms() == null) {
      search = track(SearchEngineProcess.start(options.searchEngine(), SNAPSHOT_REPOSITORY));
      settings.optimizeEnabled(true)
          .recordsExporterEnabled(true)
          .search(search.url(), options.searchEngine() == SearchEngineKind.ELASTICSEARCH, SNAPSHOT_REPOSITORY);
    } else {
      // Optimize and a zeebe-record exporter would need a search engine again (reference 4); this target has neither
      postgres = track(PostgresProcess.start(DATABASE));
      secrets = createSecretsDirectory();
      started.add(() -> deleteRecursively(secrets));
      settings.optimizeEnabled(false)
          .recordsExporterEnabled(false)
          .rdbms(postgres.jdbcUrl(), postgres.username(), postgres.password())
          .continuousBackups(true)
          .backupSchedule(options.rdbms().zeebeBackupSchedule())
          .retentionWindow(options.rdbms().zeebeRetentionWindow());
    }
    if (options.realPorts()) {
      settings.realPorts();
    }
    try {
      dataDirectory = java.nio.file.Files.createTempDirectory("sandbox-broker-data-");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    settings.dataDirectory(dataDirectory);
    simulator = CamundaTargetSimulator.start(settings.build());
    started.add(() -> simulator.close());
    started.add(1, () -> deleteRecursively(dataDirectory));
    engine = track(ControlEngine.start(options.realPorts() ? 26500 : 0));
    startOrchestrator();
  }

  /**
   * Restarts the simulated target on the same ports, data directory and storage with changed
   * settings, as an operator would upgrade or reconfigure the cluster; the orchestrator does not
   * notice anything but the cluster's answers.
   */
  public void restartTarget(java.util.function.UnaryOperator<SimulatorSettings.Builder> change) {
    SimulatorSettings current = simulator.settings();
    SimulatorSettings.Builder builder = current.toBuilder()
        .zeebeManagementPort(simulator.zeebeManagementUrl().getPort())
        .gatewayRestPort(simulator.gatewayRestUrl().getPort());
    if (current.optimizeEnabled()) {
      builder.optimizePort(simulator.optimizeUrl().getPort());
    }
    if (!current.combinedWebapps()) {
      builder.operatePort(simulator.operateUrl().getPort()).tasklistPort(simulator.tasklistUrl().getPort());
    }
    simulator.close();
    simulator = CamundaTargetSimulator.start(change.apply(builder).build());
  }

  private Path dataDirectory;

  /** A folder only this user can read, for the database password file (as a mounted Kubernetes secret would be). */
  private static Path createSecretsDirectory() {
    try {
      return Files.createTempDirectory("sandbox-secrets-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path directory) throws java.io.IOException {
    if (directory == null || !java.nio.file.Files.exists(directory)) {
      return;
    }
    try (var paths = java.nio.file.Files.walk(directory)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.deleteIfExists(path);
      }
    }
  }

  /** Stops the orchestrator and starts a new one on the same control engine, as after a crash and restart. */
  public void restartOrchestrator() {
    stopOrchestrator();
    startOrchestrator();
  }

  /** Closes the orchestrator's Spring context: its workers stop, jobs they hold stay with the engine. */
  public void stopOrchestrator() {
    orchestrator.close();
    started.remove(closeOrchestrator);
  }

  /** Starts a new orchestrator on the same control engine and target, after {@link #stopOrchestrator()}. */
  public void startOrchestratorAgain() {
    startOrchestrator();
  }

  private AutoCloseable closeOrchestrator;

  private void startOrchestrator() {
    // Command-line arguments: the highest precedence, above application.yaml, as an operator's overrides would be.
    String[] args = orchestratorProperties().entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    SpringApplication application = new SpringApplication(BackupOrchestratorApplication.class);
    // platform.type=sandbox: restores stop, wipe, restore and start the simulated brokers through this provider
    SandboxPlatformProvider platforms = new SandboxPlatformProvider(CLUSTER, this::simulator, this::postgres);
    application.addInitializers(context -> context.getBeanFactory().registerSingleton("sandboxPlatformProvider", platforms));
    orchestrator = application.run(args);
    ConfigurableApplicationContext context = orchestrator;
    closeOrchestrator = context::close;
    started.add(closeOrchestrator);
  }

  /** The orchestrator's configuration for this sandbox, as an operator would write it. */
  Map<String, Object> orchestratorProperties() {
    String prefix = "orchestrator.clusters." + CLUSTER + ".";
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("camunda.client.grpc-address", engine.grpcAddress());
    p.put("server.port", options.realPorts() ? 8088 : 0);
    p.put("orchestrator.retry-backoff", "PT1S");
    // a job taken by an orchestrator that died is offered again after this
    p.put("camunda.client.worker.defaults.timeout", "PT15S");
    p.put(prefix + "zeebe.url", simulator.zeebeManagementUrl().toString());
    p.put(prefix + "zeebe-rest", simulator.gatewayRestUrl().toString());
    if (postgres != null) {
      // the web apps' data is in the database, whose native backup covers it; Optimize is not deployed
      p.put(prefix + "secondary-storage", "rdbms");
      putDatabase(p, prefix + "database.postgres.");
    } else {
      if (simulator.settings().combinedWebapps()) {
        p.put(prefix + "webapps.url", simulator.zeebeManagementUrl().toString());
      } else {
        p.put(prefix + "operate.url", simulator.operateUrl().toString());
        p.put(prefix + "tasklist.url", simulator.tasklistUrl().toString());
      }
      p.put(prefix + "optimize.url", simulator.optimizeUrl().toString());
      p.put(prefix + "search.url", search.url().toString());
      p.put(prefix + "search.snapshot-repository", SNAPSHOT_REPOSITORY);
    }
    if (options.schedule() != null) {
      p.put(prefix + "schedule", options.schedule());
    }
    p.put(prefix + "timeouts.poll-interval", "PT1S");
    p.put(prefix + "platform.type", SandboxPlatformProvider.TYPE);
    overrides.forEach((key, value) -> p.put(key.startsWith("cluster.") ? prefix + key.substring("cluster.".length()) : key, value));
    return p;
  }

  /**
   * The database settings from {@link PostgresProcess#settings()}; the password goes into a private
   * file named by {@code password-file}, so it is in neither the orchestrator's properties nor its
   * command line.
   */
  private void putDatabase(Map<String, Object> p, String prefix) {
    PostgresSettings database = postgres.settings();
    Path passwordFile = secrets.resolve("postgres-password");
    try {
      Files.writeString(passwordFile, database.password() + "\n");
      Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the database password file " + passwordFile, e);
    }
    p.put(prefix + "host", database.host());
    p.put(prefix + "port", database.port());
    p.put(prefix + "database", database.database());
    p.put(prefix + "username", database.username());
    p.put(prefix + "password-file", passwordFile.toString());
    if (database.binDirectory() != null) {
      p.put(prefix + "bin-directory", database.binDirectory().toString());
    }
    p.put(prefix + "backup-directory", database.backupDirectory().toString());
    p.put(prefix + "wal-archive-directory", database.walArchiveDirectory().toString());
  }

  private <T extends AutoCloseable> T track(T closeable) {
    started.add(closeable);
    return closeable;
  }

  public CamundaTargetSimulator simulator() {
    return simulator;
  }

  /** The search engine; null on an RDBMS sandbox. */
  public SearchEngineProcess search() {
    return search;
  }

  /** The target's REAL PostgreSQL (its secondary storage); null unless the sandbox was started with {@link Options#rdbms}. */
  public PostgresProcess postgres() {
    return postgres;
  }

  public S3ProxyProcess s3() {
    return s3;
  }

  public ControlEngine engine() {
    return engine;
  }

  public ProcessHistory history() {
    return new ProcessHistory(engine.records());
  }

  public ConfigurableApplicationContext orchestrator() {
    return orchestrator;
  }

  public int orchestratorPort() {
    return orchestrator.getEnvironment().getProperty("local.server.port", Integer.class, 0);
  }

  /** An S3 client on the sandbox's store; S3Proxy 2.6 needs checksums only when required (gaul/s3proxy#795). */
  public S3Client s3Client() {
    return S3Client.builder()
        .endpointOverride(s3.endpoint())
        .forcePathStyle(true)
        .region(Region.of(s3.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        System.err.println("[sandbox] stopping " + started.get(i) + " failed: " + e.getMessage());
      }
    }
    started.clear();
  }
}
