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
 *
 * <p>With {@link Options#withClusters(String...)} naming two or more clusters, one simulated target
 * runs per cluster, all sharing the one S3 store and the one search engine as separate clusters
 * of a real installation would, and the orchestrator is configured with each as
 * {@code orchestrator.clusters.<name>}. Nothing of two clusters can collide: each has its own S3
 * base path in the shared bucket (Zeebe's {@code s3.basePath} = the cluster's name), its own
 * index prefix (the cluster's name: {@code <name>-operate-...}, {@code <name>-zeebe-record_...}) and
 * its own snapshot repository ({@code camunda-backups-<name>}, an {@code fs} repository in its own
 * folder; on S3 it would be the shared bucket with {@code base_path} = the cluster's name), because
 * the web apps', Optimize's and the records snapshots are named by backup ID alone and two clusters
 * taking the same ID in the same second would otherwise claim the same names (reference 8: a
 * {@code basePath} per cluster when sharing a bucket). A single cluster keeps the plain layout
 * (no prefix, no base path, repository {@value #SNAPSHOT_REPOSITORY}). Only the first cluster gets
 * the documented ports and {@code platform.type: sandbox} (restores); the others use free ports
 * and the default manual platform.
 */
public final class Sandbox implements AutoCloseable {

  public static final String CLUSTER = "sandbox";
  public static final String SNAPSHOT_REPOSITORY = "camunda-backups";
  public static final String BUCKET = "zeebe-backups";
  /** The RDBMS target's database, in the sandbox's own PostgreSQL server. */
  public static final String DATABASE = "camunda";
  private static final java.util.regex.Pattern CLUSTER_NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_]*");

  /**
   * @param camundaVersion the simulated target's version, e.g. "8.8.3"
   * @param searchEngine the secondary storage of an ES/OS target; ignored (none started) with {@code rdbms}
   * @param schedule the cluster's backup schedule in the orchestrator, null for on demand only
   * @param realPorts the documented ports (9600, 8080, 8092, orchestrator 8088, engine 26500) instead of free ones
   * @param rdbms null for an ES/OS target; otherwise an 8.9 target with RDBMS secondary storage
   */
  public record Options(String camundaVersion, SearchEngineKind searchEngine, String schedule, boolean realPorts,
      Duration backupDuration, Rdbms rdbms, List<String> clusters) {

    public Options {
      clusters = clusters == null || clusters.isEmpty() ? List.of(CLUSTER) : List.copyOf(clusters);
      for (String cluster : clusters) {
        if (!CLUSTER_NAME.matcher(cluster).matches()) {
          // the name is also the cluster's index prefix, base path and repository folder
          throw new IllegalArgumentException("A sandbox cluster's name must match " + CLUSTER_NAME + ", got '" + cluster + "'");
        }
      }
      if (clusters.size() != clusters.stream().distinct().count()) {
        throw new IllegalArgumentException("Cluster names must be distinct: " + clusters);
      }
      if (rdbms != null && clusters.size() > 1) {
        throw new IllegalArgumentException("Several clusters are supported on ES/OS targets only, not with rdbms");
      }
    }

    /** An ES/OS target. */
    public Options(String camundaVersion, SearchEngineKind searchEngine, String schedule, boolean realPorts, Duration backupDuration) {
      this(camundaVersion, searchEngine, schedule, realPorts, backupDuration, null, null);
    }

    /** The same options with one simulated target per name (see the class comment), each on the same schedule. */
    public Options withClusters(String... names) {
      return new Options(camundaVersion, searchEngine, schedule, realPorts, backupDuration, rdbms, List.of(names));
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
      return new Options(camundaVersion, null, schedule, realPorts, backupDuration, new Rdbms(zeebeBackupSchedule, zeebeRetentionWindow), null);
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
  /** Every cluster's simulator in the order of {@link Options#clusters()}; the first is {@link #simulator}. */
  private final Map<String, CamundaTargetSimulator> simulators = new LinkedHashMap<>();
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
   *     {@code orchestrator.clusters.<name>.} may be given as {@code cluster.<rest>}, which sets
   *     them for every cluster
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
    startTargets(settings);
    engine = track(ControlEngine.start(options.realPorts() ? 26500 : 0));
    startOrchestrator();
  }

  /**
   * One simulator per cluster on the shared storage; the first gets the real ports when asked for.
   * They start one after another: each creates its indices at startup (seconds per cluster), and
   * starting them side by side, even two at a time, made OpenSearch time index creations out on
   * the loaded 2-core machine.
   */
  private void startTargets(SimulatorSettings.Builder shared) {
    List<SimulatorSettings> all = new ArrayList<>();
    for (String cluster : options.clusters()) {
      SimulatorSettings.Builder settings = shared.build().toBuilder();
      if (isolated()) {
        String repository = snapshotRepository(cluster);
        search.registerClusterRepository(repository, cluster);
        settings.snapshotRepository(repository).s3BasePath(cluster).indexPrefix(cluster);
      }
      if (options.realPorts() && cluster.equals(options.clusters().getFirst())) {
        settings.realPorts();
      }
      Path data;
      try {
        data = Files.createTempDirectory("sandbox-broker-data-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      started.add(1, () -> deleteRecursively(data)); // after the simulator has closed
      all.add(settings.dataDirectory(data).build());
    }
    for (int i = 0; i < all.size(); i++) {
      String cluster = options.clusters().get(i);
      simulators.put(cluster, CamundaTargetSimulator.start(all.get(i)));
      started.add(() -> simulators.get(cluster).close());
    }
    simulator = simulators.get(options.clusters().getFirst());
    dataDirectory = all.getFirst().dataDirectory();
  }

  /** Several clusters share the storage, so each gets its own prefix, base path and repository. */
  private boolean isolated() {
    return options.clusters().size() > 1;
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
    simulators.put(options.clusters().getFirst(), simulator);
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
    SandboxPlatformProvider platforms = new SandboxPlatformProvider(options.clusters().getFirst(), this::simulator, this::postgres);
    application.addInitializers(context -> context.getBeanFactory().registerSingleton("sandboxPlatformProvider", platforms));
    orchestrator = application.run(args);
    ConfigurableApplicationContext context = orchestrator;
    closeOrchestrator = context::close;
    started.add(closeOrchestrator);
  }

  /** The orchestrator's configuration for this sandbox, as an operator would write it. */
  Map<String, Object> orchestratorProperties() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("camunda.client.grpc-address", engine.grpcAddress());
    p.put("server.port", options.realPorts() ? 8088 : 0);
    p.put("orchestrator.retry-backoff", "PT1S");
    // a job taken by an orchestrator that died is offered again after this
    p.put("camunda.client.worker.defaults.timeout", "PT15S");
    for (String cluster : options.clusters()) {
      putCluster(p, cluster);
    }
    return p;
  }

  private void putCluster(Map<String, Object> p, String cluster) {
    String prefix = "orchestrator.clusters." + cluster + ".";
    CamundaTargetSimulator target = simulators.get(cluster);
    p.put(prefix + "zeebe.url", target.zeebeManagementUrl().toString());
    p.put(prefix + "zeebe-rest", target.gatewayRestUrl().toString());
    if (postgres != null) {
      // the web apps' data is in the database, whose native backup covers it; Optimize is not deployed
      p.put(prefix + "secondary-storage", "rdbms");
      putDatabase(p, prefix + "database.postgres.");
    } else {
      if (target.settings().combinedWebapps()) {
        p.put(prefix + "webapps.url", target.zeebeManagementUrl().toString());
      } else {
        p.put(prefix + "operate.url", target.operateUrl().toString());
        p.put(prefix + "tasklist.url", target.tasklistUrl().toString());
      }
      p.put(prefix + "optimize.url", target.optimizeUrl().toString());
      p.put(prefix + "search.url", search.url().toString());
      p.put(prefix + "search.snapshot-repository", target.settings().snapshotRepository());
      if (isolated()) {
        p.put(prefix + "search.records-index-prefix", target.settings().recordsIndexPrefix());
      }
    }
    if (options.schedule() != null) {
      p.put(prefix + "schedule", options.schedule());
    }
    p.put(prefix + "timeouts.poll-interval", "PT1S");
    if (cluster.equals(options.clusters().getFirst())) {
      p.put(prefix + "platform.type", SandboxPlatformProvider.TYPE);
    }
    overrides.forEach((key, value) -> {
      if (key.startsWith("cluster.")) {
        p.put(prefix + key.substring("cluster.".length()), value);
      } else {
        p.put(key, value);
      }
    });
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

  /** The first (with one cluster: the only) cluster's simulator. */
  public CamundaTargetSimulator simulator() {
    return simulator;
  }

  /** The names of the orchestrator's clusters, one simulated target each, in the order given. */
  public List<String> clusters() {
    return options.clusters();
  }

  public CamundaTargetSimulator simulator(String cluster) {
    CamundaTargetSimulator target = simulators.get(cluster);
    if (target == null) {
      throw new IllegalArgumentException("No sandbox cluster '" + cluster + "', only " + simulators.keySet());
    }
    return target;
  }

  /** The snapshot repository of a cluster's web apps, Optimize and records snapshots. */
  public String snapshotRepository(String cluster) {
    return isolated() ? SNAPSHOT_REPOSITORY + "-" + cluster : SNAPSHOT_REPOSITORY;
  }

  /** A cluster's Zeebe {@code s3.basePath} in the shared bucket, "" for none. */
  public String s3BasePath(String cluster) {
    return simulator(cluster).settings().s3BasePath();
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
