package io.github.c8backup.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.camunda.client.CamundaClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.SocatContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.LogUtils;
import org.testcontainers.utility.ResourceReaper;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The target cluster of docker-compose.yml on Testcontainers: REAL {@code camunda/camunda} 8.8
 * (Zeebe, Operate, Tasklist) with Elasticsearch as secondary storage and S3Proxy as Zeebe's backup
 * store, configured as the compose file's {@code camunda-target}, {@code elasticsearch-target} and
 * {@code s3} services ({@code ContainersMatchComposeTest} keeps the two equal). The snapshot
 * repository and the bucket exist before Camunda starts.
 *
 * <p>Camunda's broker data lives in a named Docker volume, so a restore can do what an operator
 * does with Compose: stop the container ({@link #stopCamunda()}), run the Zeebe restore
 * application on a new, empty volume ({@link #startRestoreApp(long)}), start Camunda on it. Each
 * start is a new container; everything outside the Docker network therefore reaches Camunda
 * through a socat proxy whose host ports stay the same ({@link #zeebeManagement()},
 * {@link #gatewayRest()}, {@link #gatewayGrpc()}). Container logs go to {@code target/docker-logs/}.
 *
 * <p>Camunda's images are under Camunda's own licence terms; they are pulled from Docker Hub by
 * whoever runs these tests, never bundled.
 */
public final class CamundaTargetStack implements TargetContainers, AutoCloseable {

  /** docker-compose.yml's defaults of {@code CAMUNDA_VERSION}, {@code ELASTIC_VERSION} and {@code S3PROXY_VERSION}. */
  public static final String CAMUNDA_IMAGE = "camunda/camunda:8.8.36";
  public static final String ELASTICSEARCH_IMAGE = "docker.elastic.co/elasticsearch/elasticsearch:8.17.10";
  public static final String S3PROXY_IMAGE = "andrewgaul/s3proxy:4.0.0";

  /** The compose services' names as network aliases, so the environment below reads as in docker-compose.yml. */
  public static final String CAMUNDA_HOST = "camunda-target";
  public static final String ELASTICSEARCH_HOST = "elasticsearch-target";
  public static final String S3_HOST = "s3";

  public static final String SNAPSHOT_REPOSITORY = "camunda-backups";
  public static final String BUCKET = "zeebe-backups";
  public static final String DATA_PATH = "/usr/local/camunda/data";
  public static final String SNAPSHOTS_PATH = "/usr/share/elasticsearch/snapshots";
  /** The Zeebe restore application in the 8.8 image (reference 7.3). */
  public static final String RESTORE_BINARY = "/usr/local/camunda/bin/restore";

  static final String S3_ACCESS_KEY = "demo-access-key";
  static final String S3_SECRET_KEY = "demo-secret-key-change-me";
  static final String S3_REGION = "us-east-1";
  static final int REST_PORT = 8080;
  static final int GRPC_PORT = 26500;
  static final int MANAGEMENT_PORT = 9600;
  static final int ELASTICSEARCH_PORT = 9200;
  static final int S3_PORT = 80;

  private static final Duration CAMUNDA_READY = Duration.ofMinutes(5);

  /** docker-compose.yml's {@code camunda-target} environment with its defaults. */
  public static Map<String, String> camundaEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SPRING_PROFILES_ACTIVE", "broker,operate,tasklist,identity,consolidated-auth");
    env.put("JAVA_TOOL_OPTIONS", "-Xms512m -Xmx768m");
    env.put("CAMUNDA_SECURITY_AUTHENTICATION_METHOD", "basic");
    env.put("CAMUNDA_SECURITY_AUTHENTICATION_UNPROTECTEDAPI", "true");
    env.put("CAMUNDA_SECURITY_AUTHORIZATIONS_ENABLED", "false");
    env.put("CAMUNDA_SECURITY_INITIALIZATION_USERS_0_USERNAME", "demo");
    env.put("CAMUNDA_SECURITY_INITIALIZATION_USERS_0_PASSWORD", "demo");
    env.put("CAMUNDA_SECURITY_INITIALIZATION_USERS_0_NAME", "Demo");
    env.put("CAMUNDA_SECURITY_INITIALIZATION_USERS_0_EMAIL", "demo@example.com");
    env.put("CAMUNDA_DATA_SECONDARYSTORAGE_TYPE", "elasticsearch");
    env.put("CAMUNDA_DATA_SECONDARYSTORAGE_ELASTICSEARCH_URL", "http://" + ELASTICSEARCH_HOST + ":" + ELASTICSEARCH_PORT);
    env.put("CAMUNDA_DATA_BACKUP_REPOSITORYNAME", SNAPSHOT_REPOSITORY);
    env.put("CAMUNDA_DATA_BACKUP_STORE", "S3");
    env.put("CAMUNDA_DATA_BACKUP_S3_BUCKETNAME", BUCKET);
    env.put("CAMUNDA_DATA_BACKUP_S3_ENDPOINT", "http://" + S3_HOST + ":" + S3_PORT);
    env.put("CAMUNDA_DATA_BACKUP_S3_REGION", S3_REGION);
    env.put("CAMUNDA_DATA_BACKUP_S3_FORCEPATHSTYLEACCESS", "true");
    env.put("CAMUNDA_DATA_BACKUP_S3_ACCESSKEY", S3_ACCESS_KEY);
    env.put("CAMUNDA_DATA_BACKUP_S3_SECRETKEY", S3_SECRET_KEY);
    env.put("ZEEBE_BROKER_EXPORTERS_ELASTICSEARCH_CLASSNAME", "io.camunda.zeebe.exporter.ElasticsearchExporter");
    env.put("ZEEBE_BROKER_EXPORTERS_ELASTICSEARCH_ARGS_URL", "http://" + ELASTICSEARCH_HOST + ":" + ELASTICSEARCH_PORT);
    env.put("ZEEBE_BROKER_EXPORTERS_ELASTICSEARCH_ARGS_INDEX_PREFIX", "zeebe-record");
    env.put("ZEEBE_BROKER_EXPORTERS_ELASTICSEARCH_ARGS_BULK_SIZE", "1");
    return env;
  }

  /**
   * The restore application's environment: the broker's, so it finds the same backup store, data
   * directory and partition count (reference 7.3), under the profile {@code restore} alone.
   */
  public static Map<String, String> restoreEnvironment() {
    Map<String, String> env = camundaEnvironment();
    env.put("SPRING_PROFILES_ACTIVE", "restore");
    return env;
  }

  /** docker-compose.yml's {@code elasticsearch-target} environment. */
  public static Map<String, String> elasticsearchEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("discovery.type", "single-node");
    env.put("xpack.security.enabled", "false");
    env.put("cluster.routing.allocation.disk.threshold_enabled", "false");
    env.put("path.repo", SNAPSHOTS_PATH);
    env.put("ES_JAVA_OPTS", "-Xms512m -Xmx512m");
    return env;
  }

  /** docker-compose.yml's {@code s3} environment. */
  public static Map<String, String> s3Environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("S3PROXY_ENDPOINT", "http://0.0.0.0:" + S3_PORT);
    env.put("S3PROXY_AUTHORIZATION", "aws-v2-or-v4");
    env.put("S3PROXY_IDENTITY", S3_ACCESS_KEY);
    env.put("S3PROXY_CREDENTIAL", S3_SECRET_KEY);
    env.put("JCLOUDS_PROVIDER", "filesystem-nio2");
    env.put("JCLOUDS_FILESYSTEM_BASEDIR", "/data");
    return env;
  }

  private final HttpClient http = HttpClient.newHttpClient();
  private final ContainerLogFiles logs = new ContainerLogFiles();
  private final List<String> volumes = new ArrayList<>();
  private final List<String> oneShotContainers = new ArrayList<>();
  private final ExecutorService starter = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "camunda-target-start");
    thread.setDaemon(true);
    return thread;
  });
  private Network network;
  private GenericContainer<?> elasticsearch;
  private GenericContainer<?> s3;
  private SocatContainer proxy;
  private GenericContainer<?> camunda;
  private String camundaVolume;
  private int camundaStarts;

  private CamundaTargetStack() {}

  /** Starts everything and returns once Camunda is ready; closes what it started when that fails. */
  public static CamundaTargetStack start() {
    CamundaTargetStack stack = new CamundaTargetStack();
    try {
      stack.startAll();
      return stack;
    } catch (RuntimeException | Error e) {
      stack.close();
      throw e;
    }
  }

  private void startAll() {
    network = Network.newNetwork();
    elasticsearch = new GenericContainer<>(DockerImageName.parse(ELASTICSEARCH_IMAGE))
        .withNetwork(network)
        .withNetworkAliases(ELASTICSEARCH_HOST)
        .withEnv(elasticsearchEnvironment())
        // docker-compose.yml gives the snapshots a volume and a one-shot service to chown it for
        // uid 1000; a world-writable tmpfs needs neither, and outlives every Camunda container
        .withTmpFs(Map.of(SNAPSHOTS_PATH, "rw,mode=1777"))
        .withExposedPorts(ELASTICSEARCH_PORT)
        .waitingFor(Wait.forHttp("/_cluster/health?wait_for_status=yellow&timeout=5s").forPort(ELASTICSEARCH_PORT)
            .forStatusCode(200).withStartupTimeout(Duration.ofMinutes(3)))
        .withLogConsumer(logs.consumer(ELASTICSEARCH_HOST));
    s3 = new GenericContainer<>(DockerImageName.parse(S3PROXY_IMAGE))
        .withNetwork(network)
        .withNetworkAliases(S3_HOST)
        .withEnv(s3Environment())
        .withExposedPorts(S3_PORT)
        // any answer means it listens; without credentials that answer is 403
        .waitingFor(Wait.forHttp("/").forPort(S3_PORT).forStatusCodeMatching(status -> status < 500)
            .withStartupTimeout(Duration.ofMinutes(2)))
        .withLogConsumer(logs.consumer(S3_HOST));
    proxy = new SocatContainer()
        .withNetwork(network)
        .withTarget(REST_PORT, CAMUNDA_HOST)
        .withTarget(GRPC_PORT, CAMUNDA_HOST)
        .withTarget(MANAGEMENT_PORT, CAMUNDA_HOST);
    Startables.deepStart(elasticsearch, s3, proxy).join();
    registerSnapshotRepository();
    createBucket();
    startCamunda(newDataVolume());
  }

  /** As docker-compose.yml's {@code elasticsearch-target-repository}; the web apps back up into it. */
  private void registerSnapshotRepository() {
    String body = "{\"type\": \"fs\", \"settings\": {\"location\": \"" + SNAPSHOTS_PATH + "/" + SNAPSHOT_REPOSITORY + "\"}}";
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(elasticsearch() + "/_snapshot/" + SNAPSHOT_REPOSITORY))
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("Registering snapshot repository " + SNAPSHOT_REPOSITORY + " failed: "
          + response.statusCode() + " " + response.body());
    }
  }

  /** As docker-compose.yml's {@code s3-bucket}: Zeebe needs the bucket to exist. */
  private void createBucket() {
    try (S3Client client = s3Client()) {
      client.createBucket(request -> request.bucket(BUCKET));
    }
  }

  /** Starts Camunda on {@code dataVolume} and returns once its management port reports ready. */
  public void startCamunda(String dataVolume) {
    GenericContainer<?> container;
    synchronized (this) {
      container = newCamundaContainer(dataVolume);
    }
    container.start();
  }

  /**
   * Starts Camunda on {@code dataVolume} and returns at once, as a platform does: whoever started
   * it watches the cluster's health, not the container. A start that fails is in the log files.
   */
  @Override
  public void startCamundaInBackground(String dataVolume) {
    GenericContainer<?> container;
    synchronized (this) {
      container = newCamundaContainer(dataVolume);
    }
    starter.submit(() -> {
      try {
        container.start();
      } catch (RuntimeException e) {
        System.err.println("[" + CAMUNDA_HOST + "] start on volume " + dataVolume + " failed: " + e);
      }
    });
  }

  private GenericContainer<?> newCamundaContainer(String dataVolume) {
    if (camunda != null) {
      throw new IllegalStateException(CAMUNDA_HOST + " is running (" + camunda.getContainerId() + "): stop it first");
    }
    camundaStarts++;
    camundaVolume = dataVolume;
    camunda = new GenericContainer<>(DockerImageName.parse(CAMUNDA_IMAGE))
        .withNetwork(network)
        .withNetworkAliases(CAMUNDA_HOST)
        .withEnv(camundaEnvironment())
        // mapped for the readiness check only; clients go through the proxy, whose ports outlive this container
        .withExposedPorts(REST_PORT, GRPC_PORT, MANAGEMENT_PORT)
        .withCreateContainerCmdModifier(command -> command.getHostConfig().withBinds(new Bind(dataVolume, new Volume(DATA_PATH))))
        .waitingFor(Wait.forHttp("/actuator/health/readiness").forPort(MANAGEMENT_PORT).forStatusCode(200)
            .withStartupTimeout(CAMUNDA_READY))
        .withLogConsumer(logs.consumer(CAMUNDA_HOST + "-" + camundaStarts));
    return camunda;
  }

  /**
   * Stops and removes the Camunda container; its data volume stays, as a scaled-down
   * StatefulSet's claims do. Nothing happens when none runs.
   */
  @Override
  public synchronized void stopCamunda() {
    if (camunda != null) {
      camunda.stop();
      camunda = null;
    }
  }

  /** True while a Camunda container exists (starting, running or failed), false after {@link #stopCamunda()}. */
  @Override
  public synchronized boolean camundaExists() {
    return camunda != null;
  }

  /** The running Camunda container's ID, or null. */
  public synchronized String camundaContainerId() {
    return camunda == null ? null : camunda.getContainerId();
  }

  /** The volume the current (or last) Camunda container keeps its broker data in. */
  @Override
  public synchronized String camundaDataVolume() {
    return camundaVolume;
  }

  /** A new, empty named volume for broker data; Ryuk removes it with the test JVM's other resources. */
  public synchronized String newDataVolume() {
    String name = "c8backup-camunda-data-" + UUID.randomUUID().toString().substring(0, 8);
    docker().createVolumeCmd().withName(name).withLabels(labels()).exec();
    volumes.add(name);
    return name;
  }

  /**
   * Runs {@value #RESTORE_BINARY} {@code --backupId=<id>} in the Camunda image, configured like the
   * broker, on a new empty data volume, and returns without waiting. Camunda must be stopped.
   */
  @Override
  public synchronized RestoreApp startRestoreApp(long backupId) {
    if (camunda != null) {
      throw new IllegalStateException(CAMUNDA_HOST + " is running: the restore application needs the broker stopped");
    }
    String volume = newDataVolume();
    DockerClient docker = docker();
    String id = docker.createContainerCmd(CAMUNDA_IMAGE)
        .withName("c8backup-restore-" + backupId + "-" + UUID.randomUUID().toString().substring(0, 8))
        .withLabels(labels())
        .withEnv(restoreEnvironment().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
        // the image's entrypoint starts Camunda; the restore is a separate program in the same distribution
        .withEntrypoint(RESTORE_BINARY, "--backupId=" + backupId)
        .withHostConfig(HostConfig.newHostConfig()
            .withNetworkMode(network.getId())
            .withBinds(new Bind(volume, new Volume(DATA_PATH))))
        .exec()
        .getId();
    oneShotContainers.add(id);
    docker.startContainerCmd(id).exec();
    return new RestoreApp(backupId, id, volume);
  }

  /** Whether the restore application still runs, else its exit code; its output either way. */
  @Override
  public RestoreAppState restoreAppState(RestoreApp app) {
    InspectContainerResponse.ContainerState state = docker().inspectContainerCmd(app.containerId()).exec().getState();
    String output = LogUtils.getOutput(docker(), app.containerId());
    logs.write("restore-" + app.backupId() + "-" + app.containerId().substring(0, 12), output);
    boolean running = Boolean.TRUE.equals(state.getRunning()) || "created".equals(state.getStatus());
    Long exitCode = state.getExitCodeLong();
    return new RestoreAppState(running, exitCode == null ? -1 : exitCode, output);
  }

  /** The proxy's address of Camunda's management API (Zeebe backups, web apps backups, exporting). */
  public URI zeebeManagement() {
    return proxied(MANAGEMENT_PORT);
  }

  /** The proxy's address of Camunda's REST API ({@code /v2/...}). */
  public URI gatewayRest() {
    return proxied(REST_PORT);
  }

  /** The proxy's address of Camunda's gRPC gateway. */
  public URI gatewayGrpc() {
    return proxied(GRPC_PORT);
  }

  private URI proxied(int port) {
    return URI.create("http://" + proxy.getHost() + ":" + proxy.getMappedPort(port));
  }

  public URI elasticsearch() {
    return URI.create("http://" + elasticsearch.getHost() + ":" + elasticsearch.getMappedPort(ELASTICSEARCH_PORT));
  }

  public URI s3Endpoint() {
    return URI.create("http://" + s3.getHost() + ":" + s3.getMappedPort(S3_PORT));
  }

  /** A Camunda client on the target (not the control engine), without credentials: the API is unprotected. */
  public CamundaClient camundaClient() {
    return CamundaClient.newClientBuilder()
        .applyEnvironmentVariableOverrides(false)
        .restAddress(gatewayRest())
        .grpcAddress(gatewayGrpc())
        .preferRestOverGrpc(true)
        .defaultRequestTimeout(Duration.ofSeconds(30))
        .build();
  }

  /** An S3 client on the backup store; S3Proxy wants checksums only where the API requires them (gaul/s3proxy#795). */
  public S3Client s3Client() {
    return S3Client.builder()
        .endpointOverride(s3Endpoint())
        .forcePathStyle(true)
        .region(Region.of(S3_REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3_ACCESS_KEY, S3_SECRET_KEY)))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static DockerClient docker() {
    return DockerClientFactory.instance().client();
  }

  /** Testcontainers' session labels: Ryuk removes what carries them when the JVM ends, even after a crash. */
  private static Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>(DockerClientFactory.DEFAULT_LABELS);
    labels.putAll(ResourceReaper.instance().getLabels());
    return labels;
  }

  @Override
  public void close() {
    starter.shutdownNow();
    List<Runnable> steps = new ArrayList<>();
    steps.add(this::stopCamunda);
    for (String id : oneShotContainers) {
      steps.add(() -> docker().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec());
    }
    for (GenericContainer<?> container : new GenericContainer<?>[] {proxy, s3, elasticsearch}) {
      if (container != null) {
        steps.add(container::stop);
      }
    }
    for (String volume : volumes) {
      steps.add(() -> docker().removeVolumeCmd(volume).exec());
    }
    if (network != null) {
      steps.add(network::close);
    }
    for (Runnable step : steps) {
      try {
        step.run();
      } catch (RuntimeException e) {
        // Ryuk removes what is left when the JVM ends
        System.err.println("[containers] cleanup step failed: " + e.getMessage());
      }
    }
  }
}
