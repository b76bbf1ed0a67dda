package io.github.c8backup.sandbox.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.github.c8backup.sandbox.storage.S3ProxyProcess;
import io.github.c8backup.sandbox.storage.SearchEngineKind;
import io.github.c8backup.sandbox.storage.SearchEngineProcess;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The simulated brokers' data directories and the simulated Zeebe restore application against real
 * OpenSearch and a real S3 store (S3Proxy): stop, wipe, restore from a backup read back from S3,
 * start, and the instances are those the backup captured (reference 7.3).
 */
class SimulatedBrokerRestoreTest {

  private static final String REPOSITORY = "camunda-backups";
  private static final String BUCKET = "zeebe-backups";
  private static final String BASE_PATH = "restore-88";
  private static final String RUNTIME = "/actuator/backupRuntime";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final AtomicLong BACKUP_IDS = new AtomicLong(System.currentTimeMillis() / 1000);

  private static SearchEngineProcess search;
  private static S3ProxyProcess store;
  private static S3Client s3;
  private static CamundaTargetSimulator simulator;

  @BeforeAll
  static void startStorageAndSimulator() {
    search = SearchEngineProcess.start(SearchEngineKind.OPENSEARCH, REPOSITORY);
    store = S3ProxyProcess.start(BUCKET);
    s3 = S3Client.builder()
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .endpointOverride(store.endpoint())
        .forcePathStyle(true)
        .region(Region.of(store.region()))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(store.accessKey(), store.secretKey())))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
    simulator = CamundaTargetSimulator.start(settings(3).build());
  }

  @AfterEach
  void leaveTheSimulatorRunning() {
    simulator.faults().clear();
    simulator.startBrokers();
  }

  @AfterAll
  static void stopEverything() {
    for (AutoCloseable closeable : new AutoCloseable[] {simulator, s3, store, search}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        // keep closing the rest
      }
    }
  }

  private static SimulatorSettings.Builder settings(int partitions) {
    return SimulatorSettings.builder()
        .camundaVersion("8.8.3")
        .partitions(partitions)
        .optimizeEnabled(true)
        .recordsExporterEnabled(true)
        .backupDuration(Duration.ofMillis(300))
        .search(search.url(), false, REPOSITORY)
        .s3(store.endpoint(), store.region(), store.accessKey(), store.secretKey(), store.bucket())
        .s3BasePath(BASE_PATH);
  }

  @Test
  void restoredBrokerHasTheInstancesOfTheBackupAndNotThoseCreatedAfterIt() throws IOException {
    // given
    List<Long> before = createInstances(4);
    long id = takeCompletedBackup();
    List<Long> after = createInstances(4);
    simulator.stopBrokers();
    Map<Path, String> stateBefore = files(simulator.brokerDataDirectory(0));

    // when
    Throwable intoNonEmpty = catchRestore(id);
    Map<Path, String> stateAfterRefusal = files(simulator.brokerDataDirectory(0));
    simulator.wipeBrokerData(0);
    long restoreStarted = System.nanoTime();
    List<String> log = simulator.restoreBroker(0, id);
    long restoreMillis = (System.nanoTime() - restoreStarted) / 1_000_000;
    long startStarted = System.nanoTime();
    simulator.startBrokers();
    long startMillis = (System.nanoTime() - startStarted) / 1_000_000;

    // then
    assertThat(intoNonEmpty).isInstanceOf(BrokerRestoreFailed.class).hasMessage("Brokers's data directory "
        + simulator.brokerDataDirectory(0) + " is not empty. Aborting restore to avoid overwriting data. "
        + "Please restart with a clean directory.");
    assertThat(stateAfterRefusal).isEqualTo(stateBefore).isNotEmpty();
    assertThat(log).hasSize(4);
    for (int partition = 1; partition <= 3; partition++) {
      assertThat(log.get(partition - 1)).startsWith("Successfully restored partition " + partition + " from backup " + id + ".");
    }
    assertThat(log.getLast()).isEqualTo("Successfully restored broker from backup " + id);
    assertThat(simulator.processInstanceKeys()).containsAll(before).doesNotContainAnyElementsOf(after);
    assertThat(call("GET", simulator.gatewayRestUrl(), "/v2/topology", null).status()).isEqualTo(200);
    assertThat(call("GET", simulator.zeebeManagementUrl(), RUNTIME + "/" + id, null).json().path("state").asText())
        .isEqualTo("COMPLETED");
    assertThat(call("GET", simulator.optimizeUrl(), "/actuator/backups", null).status()).isEqualTo(200);
    assertThat(simulator.exportingState()).isEqualTo(ExportingState.RUNNING);
    String processId = "after-restore-" + id;
    long fresh = simulator.createProcessInstance(processId);
    assertThat(simulator.hasProcessInstance(fresh)).isTrue();
    assertThat(countRecords(processId)).isEqualTo(2);
    System.out.printf("[restore-timing] restoreBroker %d ms, startBrokers %d ms%n", restoreMillis, startMillis);
  }

  @Test
  void stoppedComponentsRefuseConnectionsAndComeBackOnTheSamePortsWithTheirState() {
    // given
    List<Long> keys = createInstances(2);
    List<URI> urls = List.of(simulator.zeebeManagementUrl(), simulator.gatewayRestUrl(), simulator.optimizeUrl());

    // when
    long stopStarted = System.nanoTime();
    simulator.stopBrokers();
    long stopMillis = (System.nanoTime() - stopStarted) / 1_000_000;
    boolean runningWhileStopped = simulator.brokersRunning();
    List<Boolean> refused = urls.stream().map(SimulatedBrokerRestoreTest::refusesConnections).toList();
    simulator.startBrokers();

    // then
    assertThat(runningWhileStopped).isFalse();
    assertThat(refused).containsOnly(true);
    assertThat(simulator.brokersRunning()).isTrue();
    assertThat(List.of(simulator.zeebeManagementUrl(), simulator.gatewayRestUrl(), simulator.optimizeUrl())).isEqualTo(urls);
    assertThat(urls).noneMatch(SimulatedBrokerRestoreTest::refusesConnections);
    assertThat(simulator.processInstanceKeys()).containsAll(keys);
    assertThat(simulator.brokerDataDirectory(0).resolve("raft-partition/partitions/1/" + BrokerDataDirectory.STATE_FILE))
        .exists();
    System.out.printf("[restore-timing] stopBrokers %d ms%n", stopMillis);
  }

  @Test
  void aSimulatorStartedOnAnExistingDataDirectoryResumesItsState() throws IOException {
    // given
    Path dataDirectory = Files.createTempDirectory("simulator-data-");
    try {
      long key;
      try (CamundaTargetSimulator first = CamundaTargetSimulator.start(settings(3).dataDirectory(dataDirectory).build())) {
        key = first.createProcessInstance("order-process");
      }

      // when
      try (CamundaTargetSimulator second = CamundaTargetSimulator.start(settings(3).dataDirectory(dataDirectory).build())) {

        // then
        assertThat(second.processInstanceKeys()).containsExactly(key);
        assertThat(dataDirectory.resolve("node-0")).isDirectory();
      }
    } finally {
      BrokerDataDirectory.deleteRecursively(dataDirectory);
    }
  }

  @Test
  void restoreRefusesWhileTheBrokersRun() {
    // when
    Throwable refused = catchRestore(takeCompletedBackup());

    // then
    assertThat(refused).isInstanceOf(BrokerRestoreFailed.class).hasMessageContaining("is running");
    assertThat(simulator.brokersRunning()).isTrue();
  }

  @Test
  void restoringABackupIdThatDoesNotExistFailsAndLeavesTheDataDirectoryEmpty() throws IOException {
    // given
    long missing = BACKUP_IDS.addAndGet(1000);
    simulator.stopBrokers();
    simulator.wipeBrokerData(0);

    // when
    Throwable failure = catchRestore(missing);

    // then
    assertThat(failure).isInstanceOf(BrokerRestoreFailed.class)
        .hasMessage("Expected to restore from backup with id '" + missing + "', but does not exist.");
    assertThat(files(simulator.brokerDataDirectory(0))).isEmpty();
  }

  @Test
  void restoringABackupWithAMissingPartitionManifestFails() throws IOException {
    // given
    long id = takeCompletedBackup();
    s3.deleteObject(r -> r.bucket(BUCKET).key(BASE_PATH + "/manifests/2/" + id + "/0/manifest.json"));
    simulator.stopBrokers();
    simulator.wipeBrokerData(0);

    // when
    Throwable failure = catchRestore(id);

    // then
    assertThat(failure).isInstanceOf(BrokerRestoreFailed.class)
        .hasMessage("Expected to restore from backup with id '" + id + "', but does not exist.");
    assertThat(files(simulator.brokerDataDirectory(0))).isEmpty();
  }

  @Test
  void restoringABackupThatIsNotCompletedFails() {
    // given
    long id = BACKUP_IDS.incrementAndGet();
    simulator.faults().stallZeebeBackup(id);
    call("POST", simulator.zeebeManagementUrl(), RUNTIME, "{\"backupId\":" + id + "}");
    simulator.stopBrokers();
    simulator.wipeBrokerData(0);

    // when
    Throwable failure = catchRestore(id);

    // then
    assertThat(failure).isInstanceOf(BrokerRestoreFailed.class)
        .hasMessage("Expected to restore from completed backup with id '" + id + "', but was in state 'IN_PROGRESS'");
  }

  @Test
  void aClusterConfiguredWithAnotherPartitionCountRefusesTheBackup() {
    // given
    long id = takeCompletedBackup();
    try (CamundaTargetSimulator twoPartitions = CamundaTargetSimulator.start(settings(2).build())) {
      twoPartitions.stopBrokers();
      twoPartitions.wipeBrokerData(0);

      // when
      Throwable failure = catchThrowable(() -> twoPartitions.restoreBroker(0, id));

      // then
      assertThat(failure).isInstanceOf(BrokerRestoreFailed.class)
          .hasMessage("Expected backup to have 2 partitions, but has 3");
    }
  }

  // ------------------------------------------------------------------------------------- helpers

  private record Reply(int status, JsonNode json) {}

  private static List<Long> createInstances(int count) {
    List<Long> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String body = "{\"processDefinitionId\":\"order-process\",\"variables\":{\"n\":" + i + "}}";
      keys.add(call("POST", simulator.gatewayRestUrl(), "/v2/process-instances", body).json().path("processInstanceKey").asLong());
    }
    return keys;
  }

  private static long takeCompletedBackup() {
    long id = BACKUP_IDS.incrementAndGet();
    Reply taken = call("POST", simulator.zeebeManagementUrl(), RUNTIME, "{\"backupId\":" + id + "}");
    assertThat(taken.status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
        call("GET", simulator.zeebeManagementUrl(), RUNTIME + "/" + id, null).json().path("state").asText().equals("COMPLETED"));
    return id;
  }

  private static Throwable catchRestore(long backupId) {
    return catchThrowable(() -> simulator.restoreBroker(0, backupId));
  }

  private static Throwable catchThrowable(Runnable action) {
    try {
      action.run();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  private static boolean refusesConnections(URI url) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 1000);
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every file below {@code root} with its content, to see that nothing changed. */
  private static Map<Path, String> files(Path root) throws IOException {
    Map<Path, String> files = new TreeMap<>();
    if (!Files.exists(root)) {
      return files;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(file), Files.readString(file));
      }
    }
    return files;
  }

  private static long countRecords(String processId) {
    String query = "{\"query\":{\"term\":{\"value.bpmnProcessId.keyword\":\"" + processId + "\"}}}";
    return call("POST", search.url(), "/zeebe-record*/_count", query).json().path("count").asLong();
  }

  private static Reply call(String method, URI base, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    try {
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = response.body().isBlank() ? MissingNode.getInstance() : JSON.readTree(response.body());
      return new Reply(response.statusCode(), json);
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + base + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
