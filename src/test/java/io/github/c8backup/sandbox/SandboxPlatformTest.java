package io.github.c8backup.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.c8backup.restore.ClusterPlatform.BrokerRestore;
import io.github.c8backup.restore.ClusterPlatform.BrokerRestore.State;
import io.github.c8backup.sandbox.simulator.CamundaTargetSimulator;
import io.github.c8backup.sandbox.simulator.SimulatorSettings;
import io.github.c8backup.sandbox.storage.S3ProxyProcess;
import io.github.c8backup.sandbox.storage.SearchEngineKind;
import io.github.c8backup.sandbox.storage.SearchEngineProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's {@link SandboxPlatform} on a Camunda target simulator over real OpenSearch and a
 * real S3 store: a broker restore runs in the background, reports its progress, and is idempotent.
 */
class SandboxPlatformTest {

  private static final String RUNTIME = "/actuator/backupRuntime";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final AtomicLong BACKUP_IDS = new AtomicLong(System.currentTimeMillis() / 1000);

  private static SearchEngineProcess search;
  private static S3ProxyProcess store;
  private static CamundaTargetSimulator simulator;
  private static SandboxPlatform platform;

  @BeforeAll
  static void startStorageAndSimulator() {
    search = SearchEngineProcess.start(SearchEngineKind.OPENSEARCH, Sandbox.SNAPSHOT_REPOSITORY);
    store = S3ProxyProcess.start(Sandbox.BUCKET);
    simulator = CamundaTargetSimulator.start(SimulatorSettings.builder()
        .camundaVersion("8.8.3")
        .partitions(3)
        .backupDuration(Duration.ofMillis(300))
        .search(search.url(), false, Sandbox.SNAPSHOT_REPOSITORY)
        .s3(store.endpoint(), store.region(), store.accessKey(), store.secretKey(), store.bucket())
        .build());
    platform = (SandboxPlatform) new SandboxPlatformProvider(Sandbox.CLUSTER, simulator).create(Sandbox.CLUSTER, null);
  }

  @AfterEach
  void leaveTheComponentsRunning() {
    platform.startComponents();
  }

  @AfterAll
  static void stopEverything() {
    for (AutoCloseable closeable : new AutoCloseable[] {simulator, store, search}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        // keep closing the rest
      }
    }
  }

  @Test
  void brokerRestoreStartedTwiceRestoresOnceAndProgressesFromNotStartedToCompleted() throws IOException {
    // given
    long kept = simulator.createProcessInstance("order-process");
    long id = takeCompletedBackup();
    long lost = simulator.createProcessInstance("order-process");
    platform.stopComponents();
    platform.stopComponents();
    BrokerRestore beforeStart = platform.brokerRestore(id);

    // when
    platform.startBrokerRestore(id);
    platform.startBrokerRestore(id);
    BrokerRestore justStarted = platform.brokerRestore(id);
    BrokerRestore completed = awaitRestore(id, State.COMPLETED);
    Path marker = simulator.brokerDataDirectory(0).resolve(".restored-from-" + id);
    FileTime restoredAt = Files.getLastModifiedTime(marker);
    platform.startBrokerRestore(id); // the orchestrator retries after it had already succeeded
    BrokerRestore retried = platform.brokerRestore(id);
    FileTime afterRetry = Files.getLastModifiedTime(marker);
    platform.startComponents();
    platform.startComponents();
    var keysAfterRestore = simulator.processInstanceKeys();
    long createdAfterRestore = simulator.createProcessInstance("order-process");
    // a later restore of the same backup is a new restore: starting the brokers ended the first one
    platform.stopComponents();
    platform.startBrokerRestore(id);
    BrokerRestore restoredAgain = awaitRestore(id, State.COMPLETED);
    platform.startComponents();

    // then
    assertThat(beforeStart.state()).isEqualTo(State.NOT_STARTED);
    assertThat(beforeStart.brokers()).singleElement().satisfies(b -> assertThat(b.state()).isEqualTo(State.NOT_STARTED));
    assertThat(justStarted.state()).isIn(State.IN_PROGRESS, State.COMPLETED);
    assertThat(completed.brokers()).singleElement().satisfies(b -> {
      assertThat(b.nodeId()).isZero();
      assertThat(b.detail()).isEqualTo("Successfully restored broker from backup " + id);
    });
    assertThat(completed.failureReason()).isNull();
    // the retry before the start neither wiped nor restored again
    assertThat(afterRetry).isEqualTo(restoredAt);
    assertThat(retried.state()).isEqualTo(State.COMPLETED);
    assertThat(keysAfterRestore).contains(kept).doesNotContain(lost);
    assertThat(restoredAgain.state()).isEqualTo(State.COMPLETED);
    assertThat(platform.componentsStopped()).isFalse();
    assertThat(simulator.processInstanceKeys()).contains(kept).doesNotContain(createdAfterRestore);
  }

  @Test
  void brokerRestoreOfAnUnknownBackupFailsWithTheRestoreApplicationsMessage() {
    // given
    long missing = BACKUP_IDS.addAndGet(1000);
    platform.stopComponents();

    // when
    platform.startBrokerRestore(missing);
    BrokerRestore failed = awaitRestore(missing, State.FAILED);

    // then
    String message = "Expected to restore from backup with id '" + missing + "', but does not exist.";
    assertThat(failed.brokers()).singleElement().satisfies(b -> assertThat(b.detail()).isEqualTo(message));
    assertThat(failed.failureReason()).isEqualTo("node 0: " + message);
  }

  @Test
  void brokerRestoreWhileTheComponentsRunFailsWithoutWipingTheData() {
    // given
    long key = simulator.createProcessInstance("order-process");
    long id = takeCompletedBackup();

    // when
    platform.startBrokerRestore(id);
    BrokerRestore failed = awaitRestore(id, State.FAILED);

    // then
    assertThat(failed.failureReason()).contains("running");
    assertThat(simulator.processInstanceKeys()).contains(key);
    assertThat(simulator.brokerDataDirectory(0).resolve("raft-partition")).isDirectory();
  }

  @Test
  void describeNamesTheDataDirectoryTheBackupInTheStoreAndTheComponents() {
    // when
    var steps = platform.describe(42, 3);

    // then
    assertThat(platform.kind()).isEqualTo("sandbox");
    assertThat(steps).containsExactly(
        "stop simulated brokers, web apps and Optimize (Zeebe management " + simulator.zeebeManagementUrl()
            + ", gateway REST " + simulator.gatewayRestUrl() + ")",
        "wipe data directory " + simulator.dataDirectory().resolve("node-0"),
        "restore node 0 from backup 42 read back from s3://" + Sandbox.BUCKET
            + "/{manifests,contents}/<partition>/42/0/… (3 partitions)",
        "start simulated components");
  }

  // ------------------------------------------------------------------------------------- helpers

  private static BrokerRestore awaitRestore(long backupId, State expected) {
    BrokerRestore[] last = new BrokerRestore[1];
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      last[0] = platform.brokerRestore(backupId);
      return last[0].state() == expected;
    });
    return last[0];
  }

  private static long takeCompletedBackup() {
    long id = BACKUP_IDS.incrementAndGet();
    assertThat(send("POST", RUNTIME, "{\"backupId\":" + id + "}").statusCode()).isEqualTo(202);
    // the backup's own state, not a partition's: a body merely containing "COMPLETED" let the test stop
    // the brokers while partitions were still being backed up (a CI flake)
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
        "COMPLETED".equals(new com.fasterxml.jackson.databind.ObjectMapper().readTree(send("GET", RUNTIME + "/" + id, null).body())
            .path("state").asText()));
    return id;
  }

  private static HttpResponse<String> send(String method, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.zeebeManagementUrl() + path))
        .timeout(Duration.ofSeconds(30));
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
