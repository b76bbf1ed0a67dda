package io.github.c8backup.sandbox.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.github.c8backup.sandbox.storage.S3ProxyProcess;
import io.github.c8backup.sandbox.storage.SearchEngineKind;
import io.github.c8backup.sandbox.storage.SearchEngineProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The Camunda target simulator against real OpenSearch and a real S3 store (S3Proxy), called with
 * plain HTTP like any client would. One 8.6 and one 8.8 simulator are shared by the tests; every
 * test takes fresh, increasing backup IDs. Tests that take the S3 store away use a store of their
 * own ({@code outageStore}) and simulators of their own on it.
 */
class CamundaTargetSimulatorTest {

  private static final String REPOSITORY = "camunda-backups";
  private static final String BUCKET = "zeebe-backups";
  private static final String CONTEXT_PATH = "/example";
  private static final Duration BACKUP_DURATION = Duration.ofMillis(300);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final AtomicLong BACKUP_IDS = new AtomicLong(System.currentTimeMillis() / 1000);

  private static SearchEngineProcess search;
  private static S3ProxyProcess store;
  private static S3ProxyProcess outageStore;
  private static S3Client s3;
  private static CamundaTargetSimulator v86;
  private static CamundaTargetSimulator v88;
  private static String v86BasePath;
  private static String v88BasePath;

  @BeforeAll
  static void startStorageAndSimulators() {
    search = SearchEngineProcess.start(SearchEngineKind.OPENSEARCH, REPOSITORY);
    store = S3ProxyProcess.start(BUCKET);
    outageStore = S3ProxyProcess.start(BUCKET);
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
    v86BasePath = "cluster-86";
    v86 = CamundaTargetSimulator.start(settings("8.6.12").s3BasePath(v86BasePath).build());
    v88BasePath = "cluster-88";
    v88 = CamundaTargetSimulator.start(settings("8.8.3").s3BasePath(v88BasePath)
        .contextPath(CONTEXT_PATH).optimizeEnabled(true).recordsExporterEnabled(true).build());
  }

  @AfterAll
  static void stopEverything() {
    for (AutoCloseable closeable : new AutoCloseable[] {v86, v88, s3, store, outageStore, search}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        // keep closing the rest
      }
    }
  }

  private static SimulatorSettings.Builder settings(String version) {
    return SimulatorSettings.builder()
        .camundaVersion(version)
        .backupDuration(BACKUP_DURATION)
        .search(search.url(), false, REPOSITORY)
        .s3(store.endpoint(), store.region(), store.accessKey(), store.secretKey(), store.bucket());
  }

  // ------------------------------------------------------------------------------------- 8.6

  @Test
  void operateAndTasklistBackupsOf86AreRealSnapshotsWithTheExactNamesAndComplete() {
    // given
    long id = BACKUP_IDS.incrementAndGet();
    String body = "{\"backupId\":" + id + "}";

    // when
    Reply operate = call("POST", v86.operateUrl(), "/actuator/backups", body);
    Reply tasklist = call("POST", v86.tasklistUrl(), "/actuator/backups", body);

    // then
    assertThat(operate.status()).isEqualTo(200);
    assertThat(tasklist.status()).isEqualTo(200);
    List<String> operateNames = partNames("operate", id, "8.6.12", 6);
    List<String> tasklistNames = partNames("tasklist", id, "8.6.12", 6);
    assertThat(texts(operate.json().path("scheduledSnapshots"))).containsExactlyElementsOf(operateNames);
    assertThat(texts(tasklist.json().path("scheduledSnapshots"))).containsExactlyElementsOf(tasklistNames);
    awaitState(v86.operateUrl(), "/actuator/backups/" + id, "COMPLETED");
    awaitState(v86.tasklistUrl(), "/actuator/backups/" + id, "COMPLETED");
    assertThat(successfulSnapshots("camunda_operate_" + id + "_*")).containsExactlyInAnyOrderElementsOf(operateNames);
    assertThat(successfulSnapshots("camunda_tasklist_" + id + "_*")).containsExactlyInAnyOrderElementsOf(tasklistNames);
    JsonNode details = call("GET", v86.operateUrl(), "/actuator/backups/" + id, null).json().path("details");
    assertThat(details).hasSize(6);
    assertThat(details.get(0).path("state").asText()).isEqualTo("SUCCESS");
  }

  @Test
  void secondOperateBackupWhileOneRunsAndDuplicateIdAreRejectedWith400() {
    // given
    long id = BACKUP_IDS.incrementAndGet();
    call("POST", v86.operateUrl(), "/actuator/backups", "{\"backupId\":" + id + "}");

    // when
    Reply whileRunning = call("POST", v86.operateUrl(), "/actuator/backups", "{\"backupId\":" + (id + 1000) + "}");
    awaitState(v86.operateUrl(), "/actuator/backups/" + id, "COMPLETED");
    Reply duplicate = call("POST", v86.operateUrl(), "/actuator/backups", "{\"backupId\":" + id + "}");

    // then
    assertThat(whileRunning.status()).isEqualTo(400);
    assertThat(whileRunning.json().path("message").asText()).isEqualTo("Another backup is running at the moment");
    assertThat(duplicate.status()).isEqualTo(400);
    assertThat(duplicate.json().path("message").asText())
        .startsWith("A backup with ID [" + id + "] already exists. Found snapshots: [camunda_operate_" + id);
  }

  @Test
  void zeebeBackupOf86GoesInProgressThenCompletedWithOneManifestPerPartitionInS3() {
    // given
    long id = BACKUP_IDS.incrementAndGet();
    v86.createProcessInstance("order-process");

    // when
    Reply taken = call("POST", v86.zeebeManagementUrl(), "/actuator/backups", "{\"backupId\":" + id + "}");
    Reply right = call("GET", v86.zeebeManagementUrl(), "/actuator/backups/" + id, null);

    // then
    assertThat(taken.status()).isEqualTo(202);
    assertThat(taken.json().path("message").asText()).isEqualTo(
        "A backup with id " + id + " has been scheduled. Use GET actuator/backups/" + id + " to monitor the status.");
    assertThat(right.json().path("state").asText()).isEqualTo("IN_PROGRESS");
    JsonNode completed = awaitState(v86.zeebeManagementUrl(), "/actuator/backups/" + id, "COMPLETED");
    assertThat(completed.path("details")).hasSize(3);
    assertThat(completed.path("details").get(0).path("checkpointPosition").asLong()).isPositive();
    assertThat(completed.path("details").get(0).path("brokerVersion").asText()).isEqualTo("8.6.12");
    List<String> keys = keys(v86BasePath + "/manifests/");
    assertThat(keys).filteredOn(key -> key.contains("/" + id + "/")).containsExactlyInAnyOrder(
        v86BasePath + "/manifests/1/" + id + "/0/manifest.json",
        v86BasePath + "/manifests/2/" + id + "/0/manifest.json",
        v86BasePath + "/manifests/3/" + id + "/0/manifest.json");
    assertThat(keys(v86BasePath + "/contents/1/" + id + "/0/snapshot/")).isNotEmpty();
  }

  @Test
  void zeebeRejectsAnEqualOrLowerBackupIdWith409EvenAfterDeletion() {
    // given
    long id = BACKUP_IDS.addAndGet(2);
    call("POST", v86.zeebeManagementUrl(), "/actuator/backups", "{\"backupId\":" + id + "}");
    awaitState(v86.zeebeManagementUrl(), "/actuator/backups/" + id, "COMPLETED");
    Reply deleted = call("DELETE", v86.zeebeManagementUrl(), "/actuator/backups/" + id, null);

    // when
    Reply equal = call("POST", v86.zeebeManagementUrl(), "/actuator/backups", "{\"backupId\":" + id + "}");
    Reply lower = call("POST", v86.zeebeManagementUrl(), "/actuator/backups", "{\"backupId\":" + (id - 1) + "}");
    Reply missing = call("POST", v86.zeebeManagementUrl(), "/actuator/backups", "{}");

    // then
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(call("GET", v86.zeebeManagementUrl(), "/actuator/backups/" + id, null).status()).isEqualTo(404);
    assertThat(equal.status()).isEqualTo(409);
    assertThat(lower.status()).isEqualTo(409);
    assertThat(lower.json().path("message").asText()).startsWith("Requested backup has ID " + (id - 1) + ". The latest backup has ID ");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().path("message").asText()).isEqualTo("A backupId must be provided and it must be > 0");
  }

  @Test
  void exportingPauseAnswersHttp200WithTheRealStatus204InTheBodyAndRefusesHardAfterSoft() {
    // given
    URI zeebe = v86.zeebeManagementUrl();

    // when
    Reply soft = call("POST", zeebe, "/actuator/exporting/pause?soft=true", "");
    ExportingState whileSoft = v86.exportingState();
    Reply hardAfterSoft = call("POST", zeebe, "/actuator/exporting/pause", "");
    Reply resume = call("POST", zeebe, "/actuator/exporting/resume", "");

    // then
    assertThat(soft.status()).isEqualTo(200);
    assertThat(soft.json().path("status").asInt()).isEqualTo(204);
    assertThat(soft.json().path("body").isNull()).isTrue();
    assertThat(whileSoft).isEqualTo(ExportingState.SOFT_PAUSED);
    assertThat(hardAfterSoft.status()).isEqualTo(200);
    assertThat(hardAfterSoft.json().path("status").asInt()).isEqualTo(500);
    assertThat(resume.json().path("status").asInt()).isEqualTo(204);
    assertThat(v86.exportingState()).isEqualTo(ExportingState.RUNNING);
    assertThat(v86.pausedWindows().getLast().state()).isEqualTo(ExportingState.SOFT_PAUSED);
    assertThat(v86.pausedWindows().getLast().isOpen()).isFalse();
  }

  @Test
  void aSimulatorRestartedOnTheSameBucketStillKnowsItsZeebeBackupsAndTheirIds() {
    // given
    long id = BACKUP_IDS.incrementAndGet();
    call("POST", v86.zeebeManagementUrl(), "/actuator/backups", "{\"backupId\":" + id + "}");
    awaitState(v86.zeebeManagementUrl(), "/actuator/backups/" + id, "COMPLETED");

    // when
    try (CamundaTargetSimulator restarted = CamundaTargetSimulator.start(settings("8.6.12").s3BasePath(v86BasePath).build())) {
      Reply known = call("GET", restarted.zeebeManagementUrl(), "/actuator/backups/" + id, null);
      Reply reused = call("POST", restarted.zeebeManagementUrl(), "/actuator/backups", "{\"backupId\":" + id + "}");

      // then
      assertThat(known.json().path("state").asText()).isEqualTo("COMPLETED");
      assertThat(reused.status()).isEqualTo(409);
    }
  }

  @Test
  void injectedFaultsFailOrStallZeebeBackupsFailExportingAndMakeComponentsUnavailable() {
    // given
    long failing = BACKUP_IDS.incrementAndGet();
    long stalled = BACKUP_IDS.incrementAndGet();
    SimulatorFaults faults = v86.faults();
    faults.failZeebeBackup(failing);
    faults.stallZeebeBackup(stalled);
    faults.failNextExportingCall(500);
    faults.makeUnavailable(Component.OPERATE, 503);
    try {
      // when
      call("POST", v86.zeebeManagementUrl(), "/actuator/backups", "{\"backupId\":" + failing + "}");
      call("POST", v86.zeebeManagementUrl(), "/actuator/backups", "{\"backupId\":" + stalled + "}");
      Reply exporting = call("POST", v86.zeebeManagementUrl(), "/actuator/exporting/pause?soft=true", "");
      Reply operate = call("GET", v86.operateUrl(), "/actuator/backups", null);

      // then
      JsonNode failed = awaitState(v86.zeebeManagementUrl(), "/actuator/backups/" + failing, "FAILED");
      assertThat(failed.path("failureReason").asText()).contains("fault injection");
      await().during(BACKUP_DURATION.multipliedBy(3)).atMost(BACKUP_DURATION.multipliedBy(5)).until(() ->
          call("GET", v86.zeebeManagementUrl(), "/actuator/backups/" + stalled, null).json().path("state").asText().equals("IN_PROGRESS"));
      assertThat(exporting.status()).isEqualTo(200);
      assertThat(exporting.json().path("status").asInt()).isEqualTo(500);
      assertThat(v86.exportingState()).isEqualTo(ExportingState.RUNNING);
      assertThat(operate.status()).isEqualTo(503);
    } finally {
      faults.clear();
    }
  }

  // ------------------------------------------------------------------------------------- 8.8

  @Test
  void backupHistoryOf88TakesCamundaWebappsSnapshotsUnderTheContextPathAndBackupsIs404() {
    // given
    long id = BACKUP_IDS.incrementAndGet();

    // when
    Reply taken = call("POST", v88.zeebeManagementUrl(), CONTEXT_PATH + "/actuator/backupHistory", "{\"backupId\":" + id + "}");
    Reply oldPath = call("GET", v88.zeebeManagementUrl(), CONTEXT_PATH + "/actuator/backups", null);
    Reply withoutContextPath = call("GET", v88.zeebeManagementUrl(), "/actuator/backupHistory", null);

    // then
    assertThat(taken.status()).isEqualTo(200);
    List<String> names = partNames("webapps", id, "8.8.3", 6);
    assertThat(texts(taken.json().path("scheduledSnapshots"))).containsExactlyElementsOf(names);
    assertThat(oldPath.status()).isEqualTo(404);
    assertThat(withoutContextPath.status()).isEqualTo(404);
    awaitState(v88.zeebeManagementUrl(), CONTEXT_PATH + "/actuator/backupHistory/" + id, "COMPLETED");
    assertThat(successfulSnapshots("camunda_webapps_" + id + "_*")).containsExactlyInAnyOrderElementsOf(names);
  }

  @Test
  void backupRuntimeOf88TakesZeebeBackupsAndListsThemByPrefix() {
    // given
    long id = BACKUP_IDS.incrementAndGet();
    String base = CONTEXT_PATH + "/actuator/backupRuntime";

    // when
    Reply taken = call("POST", v88.zeebeManagementUrl(), base, "{\"backupId\":" + id + "}");
    JsonNode completed = awaitState(v88.zeebeManagementUrl(), base + "/" + id, "COMPLETED");
    Reply byPrefix = call("GET", v88.zeebeManagementUrl(), base + "/" + String.valueOf(id).substring(0, 4) + "*", null);
    Reply all = call("GET", v88.zeebeManagementUrl(), base, null);

    // then
    assertThat(taken.status()).isEqualTo(202);
    assertThat(completed.path("details")).hasSize(3);
    assertThat(texts(byPrefix.json(), "backupId")).contains(String.valueOf(id));
    List<Long> listed = texts(all.json(), "backupId").stream().map(Long::parseLong).toList();
    assertThat(listed).contains(id).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(keys(v88BasePath + "/manifests/")).filteredOn(key -> key.contains("/" + id + "/")).hasSize(3);
  }

  @Test
  void optimizeTakesItsTwoSnapshotsWithoutTheContextPathAndCompletes() {
    // given
    long id = BACKUP_IDS.incrementAndGet();

    // when
    Reply taken = call("POST", v88.optimizeUrl(), "/actuator/backups", "{\"backupId\":" + id + "}");
    JsonNode completed = awaitState(v88.optimizeUrl(), "/actuator/backups/" + id, "COMPLETED");
    Reply duplicate = call("POST", v88.optimizeUrl(), "/actuator/backups", "{\"backupId\":" + id + "}");
    Reply unknown = call("GET", v88.optimizeUrl(), "/actuator/backups/1", null);

    // then
    assertThat(taken.status()).isEqualTo(202);
    assertThat(taken.json().path("message").asText()).isEqualTo(
        "Backup creation for ID " + id + " has been scheduled. Use the GET API to monitor completion of backup process");
    List<String> names = partNames("optimize", id, "8.8.3", 2);
    assertThat(texts(completed.path("details"), "snapshotName")).containsExactlyElementsOf(names);
    assertThat(successfulSnapshots("camunda_optimize_" + id + "_*")).containsExactlyInAnyOrderElementsOf(names);
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.json().path("errorCode").asText()).isEqualTo("conflict");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().path("errorMessage").asText()).isEqualTo("No Optimize backup with ID [1] could be found.");
  }

  @Test
  void recordsAreExportedWhileRunningNotWhileHardPausedAndTheBacklogArrivesOnResume() {
    // given
    URI zeebe = v88.zeebeManagementUrl();
    String instance = "{\"processDefinitionId\":\"order-process\",\"variables\":{\"orderId\":\"A-1\"}}";
    long running = call("POST", v88.gatewayRestUrl(), "/v2/process-instances", instance).json().path("processInstanceKey").asLong();
    int partition = (int) (running >> 51);
    assertThat(countRecords(running)).isEqualTo(2);

    // when
    call("POST", zeebe, CONTEXT_PATH + "/actuator/exporting/pause", "");
    long paused;
    long exportedWhilePaused;
    long countWhilePaused;
    try {
      paused = call("POST", v88.gatewayRestUrl(), "/v2/process-instances", instance).json().path("processInstanceKey").asLong();
      exportedWhilePaused = v88.exportedPosition((int) (paused >> 51));
      countWhilePaused = countRecords(paused);
    } finally {
      call("POST", zeebe, CONTEXT_PATH + "/actuator/exporting/resume", "");
    }

    // then
    assertThat(partition).isBetween(1, 3);
    assertThat(countWhilePaused).isZero();
    assertThat(exportedWhilePaused).isLessThan(v88.position((int) (paused >> 51)));
    assertThat(countRecords(paused)).isEqualTo(2);
    assertThat(v88.exportedPosition((int) (paused >> 51))).isEqualTo(v88.position((int) (paused >> 51)));
    assertThat(v88.pausedWindows().getLast().state()).isEqualTo(ExportingState.PAUSED);
  }

  @Test
  void topologyOf88ListsOneLeaderPerPartition() {
    // when
    Reply topology = call("GET", v88.gatewayRestUrl(), "/v2/topology", null);

    // then
    assertThat(topology.status()).isEqualTo(200);
    assertThat(topology.json().path("partitionsCount").asInt()).isEqualTo(3);
    assertThat(topology.json().path("gatewayVersion").asText()).isEqualTo("8.8.3");
    assertThat(texts(topology.json().path("brokers").get(0).path("partitions"), "role")).containsOnly("leader");
  }

  @Test
  void softPauseKeepsExportingRecordsButFreezesTheAcknowledgedPosition() {
    // given
    URI zeebe = v88.zeebeManagementUrl();
    call("POST", zeebe, CONTEXT_PATH + "/actuator/exporting/pause?soft=true", "");
    long key;
    int partition;
    long exportedWhileSoftPaused;
    try {
      // when
      key = v88.createProcessInstance("order-process");
      partition = (int) (key >> 51);
      exportedWhileSoftPaused = v88.exportedPosition(partition);
    } finally {
      call("POST", zeebe, CONTEXT_PATH + "/actuator/exporting/resume", "");
    }

    // then
    assertThat(countRecords(key)).isEqualTo(2);
    assertThat(exportedWhileSoftPaused).isLessThan(v88.position(partition));
    assertThat(v88.exportedPosition(partition)).isEqualTo(v88.position(partition));
  }

  // ------------------------------------------------------------------------------------- 8.9

  @Test
  void zeebeOf89AnswersTheIdReportsRuntimeStateAndKeepsDeletedBackupsAsTombstones() {
    // given
    long id = BACKUP_IDS.incrementAndGet();
    String base = "/actuator/backupRuntime";
    try (CamundaTargetSimulator v89 = CamundaTargetSimulator.start(settings("8.9.1").s3BasePath("cluster-89").build())) {
      URI zeebe = v89.zeebeManagementUrl();

      // when
      Reply taken = call("POST", zeebe, base, "{\"backupId\":" + id + "}");
      awaitState(zeebe, base + "/" + id, "COMPLETED");
      Reply state = call("GET", zeebe, base + "/state", null);
      Reply deleted = call("DELETE", zeebe, base + "/" + id, null);
      Reply afterDelete = call("GET", zeebe, base + "/" + id, null);
      Reply reused = call("POST", zeebe, base, "{\"backupId\":" + id + "}");

      // then
      assertThat(taken.status()).isEqualTo(202);
      assertThat(taken.json().path("backupId").asLong()).isEqualTo(id);
      assertThat(state.json().path("checkpointStates")).hasSize(3);
      assertThat(state.json().path("backupStates")).hasSize(3);
      // ranges are tracked only with continuous backups (reference 9), which this ES/OS cluster does not run
      assertThat(state.json().path("ranges")).isEmpty();
      assertThat(state.json().path("backupStates").get(0).path("checkpointId").asLong()).isEqualTo(id);
      assertThat(deleted.status()).isEqualTo(204);
      assertThat(afterDelete.json().path("state").asText()).isEqualTo("DELETED");
      assertThat(keys("cluster-89/contents/1/" + id + "/")).isEmpty();
      assertThat(reused.status()).isEqualTo(409);
    }
  }

  // ------------------------------------------------------------------------------------- request faults

  @Test
  void failedRequestsAnswerTheInjectedStatusWithASpringErrorBodyAndTakeNoBackup() {
    // given
    long id = BACKUP_IDS.incrementAndGet();
    String base = CONTEXT_PATH + "/actuator/backupRuntime";
    SimulatorFaults faults = v88.faults();
    faults.failRequests(Component.ZEEBE, "POST", "/actuator/backupRuntime", 503);
    Reply failed;
    Reply status;
    List<String> manifests;
    try {
      // when
      failed = call("POST", v88.zeebeManagementUrl(), base, "{\"backupId\":" + id + "}");
      status = call("GET", v88.zeebeManagementUrl(), base + "/" + id, null);
      manifests = keys(v88BasePath + "/manifests/");
    } finally {
      faults.clear();
    }
    Reply afterClear = call("POST", v88.zeebeManagementUrl(), base, "{\"backupId\":" + id + "}");

    // then
    assertThat(failed.status()).isEqualTo(503);
    assertThat(failed.json().path("status").asInt()).isEqualTo(503);
    assertThat(failed.json().path("error").asText()).isEqualTo("Service Unavailable");
    assertThat(failed.json().path("path").asText()).isEqualTo(base);
    assertThat(status.status()).as("a GET does not match the POST fault").isEqualTo(404);
    assertThat(manifests).noneMatch(key -> key.contains("/" + id + "/"));
    assertThat(afterClear.status()).as("the ID was not taken").isEqualTo(202);
  }

  @Test
  void webappsFaultsOf88HitBackupHistoryButNotZeebeOnTheSharedPort() {
    // given
    SimulatorFaults faults = v88.faults();
    faults.failRequests(Component.WEBAPPS, null, null, 502);
    try {
      // when
      Reply history = call("GET", v88.zeebeManagementUrl(), CONTEXT_PATH + "/actuator/backupHistory", null);
      Reply runtime = call("GET", v88.zeebeManagementUrl(), CONTEXT_PATH + "/actuator/backupRuntime", null);

      // then
      assertThat(history.status()).isEqualTo(502);
      assertThat(history.json().path("error").asText()).isEqualTo("Bad Gateway");
      assertThat(runtime.status()).isEqualTo(200);
    } finally {
      faults.clear();
    }
  }

  @Test
  void aDelayedBackupRequestChangesNothingUntilItsDelayEndsAndIsThenProcessed() throws Exception {
    // given
    long id = BACKUP_IDS.incrementAndGet();
    Duration delay = Duration.ofSeconds(2);
    SimulatorFaults faults = v86.faults();
    faults.delayResponses(Component.ZEEBE, "POST", "/actuator/backups", delay);
    try {
      // when
      long started = System.nanoTime();
      CompletableFuture<Reply> taking = callAsync("POST", v86.zeebeManagementUrl(), "/actuator/backups", "{\"backupId\":" + id + "}");

      // then: still hanging, and no manifest written, until shortly before the delay ends
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofMillis(1800)).pollInterval(Duration.ofMillis(100)).until(() ->
          !taking.isDone() && keys(v86BasePath + "/manifests/").stream().noneMatch(key -> key.contains("/" + id + "/")));
      Reply taken = taking.get(10, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(delay);
      assertThat(taken.status()).isEqualTo(202);
      assertThat(keys(v86BasePath + "/manifests/")).filteredOn(key -> key.contains("/" + id + "/")).hasSize(3);
    } finally {
      faults.clear();
    }
  }

  @Test
  void requestsHangingInADelayKeepNoOtherRequestWaiting() {
    // given: more hanging requests than the simulator has routing threads (8)
    SimulatorFaults faults = v86.faults();
    faults.delayResponses(Component.ZEEBE, "GET", "/actuator/backups/", Duration.ofHours(1));
    try {
      List<CompletableFuture<Reply>> hanging = IntStream.range(0, 12)
          .mapToObj(i -> callAsync("GET", v86.zeebeManagementUrl(), "/actuator/backups/" + (i + 1), null))
          .toList();
      await().atMost(Duration.ofSeconds(10)).until(() -> faults.heldRequests() == 12);

      // when
      long started = System.nanoTime();
      Reply list = call("GET", v86.zeebeManagementUrl(), "/actuator/backups", null);
      Reply health = call("GET", v86.zeebeManagementUrl(), "/actuator/health", null);
      Reply operate = call("GET", v86.operateUrl(), "/actuator/backups", null);
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      // then
      assertThat(list.status()).isEqualTo(200);
      assertThat(health.status()).isEqualTo(200);
      assertThat(operate.status()).isEqualTo(200);
      assertThat(took).isLessThan(Duration.ofSeconds(5));
      assertThat(hanging).noneMatch(CompletableFuture::isDone);
    } finally {
      faults.clear();
    }
  }

  @Test
  void clearReleasesHangingRequestsAtOnceWith503AndUnprocessed() throws Exception {
    // given
    long id = BACKUP_IDS.incrementAndGet();
    SimulatorFaults faults = v86.faults();
    faults.delayResponses(Component.ZEEBE, "POST", null, Duration.ofHours(1));
    CompletableFuture<Reply> hanging = callAsync("POST", v86.zeebeManagementUrl(), "/actuator/backups", "{\"backupId\":" + id + "}");
    await().atMost(Duration.ofSeconds(10)).until(() -> faults.heldRequests() == 1);

    // when
    faults.clear();
    Reply released = hanging.get(5, TimeUnit.SECONDS);
    Reply takenAfterwards = call("POST", v86.zeebeManagementUrl(), "/actuator/backups", "{\"backupId\":" + id + "}");

    // then
    assertThat(released.status()).isEqualTo(503);
    assertThat(released.json().path("message").asText()).contains("not processed");
    assertThat(takenAfterwards.status()).as("the released request took no backup").isEqualTo(202);
  }

  @Test
  void closingTheSimulatorDropsHangingRequestsAtOnce() {
    // given
    CamundaTargetSimulator simulator = CamundaTargetSimulator.start(settings("8.6.12").s3BasePath("cluster-86-hang").build());
    simulator.faults().delayResponses(Component.OPERATE, null, null, Duration.ofHours(1));
    CompletableFuture<Reply> hanging = callAsync("GET", simulator.operateUrl(), "/actuator/backups", null);
    await().atMost(Duration.ofSeconds(10)).until(() -> simulator.faults().heldRequests() == 1);

    // when
    long started = System.nanoTime();
    simulator.close();

    // then
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThatThrownBy(() -> hanging.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasRootCauseInstanceOf(IOException.class);
  }

  @Test
  void aRefusedComponentRefusesConnectionsUntilItAcceptsThemAgainOnTheSamePort() {
    // given
    URI operate = v86.operateUrl();
    SimulatorFaults faults = v86.faults();
    try {
      // when
      faults.refuseConnections(Component.OPERATE);
      Throwable refused = newConnectionFailure(operate);
      Reply tasklist = call("GET", v86.tasklistUrl(), "/actuator/backups", null);
      faults.acceptConnections(Component.OPERATE);
      Reply again = call("GET", operate, "/actuator/backups", null);

      // then
      assertThat(refused).isInstanceOf(ConnectException.class);
      assertThat(tasklist.status()).isEqualTo(200);
      assertThat(again.status()).isEqualTo(200);
      assertThat(v86.operateUrl()).isEqualTo(operate);
    } finally {
      faults.clear();
    }
  }

  @Test
  void refusingWebappsOf88ClosesZeebesManagementPortWhichTheyShareUntilClear() {
    // given
    SimulatorFaults faults = v88.faults();
    try {
      // when
      faults.refuseConnections(Component.WEBAPPS);
      Throwable zeebe = newConnectionFailure(v88.zeebeManagementUrl());
      Reply gateway = call("GET", v88.gatewayRestUrl(), "/v2/topology", null);
      Throwable operate = catchThrowable(() -> faults.refuseConnections(Component.OPERATE));
      faults.clear();
      Reply afterClear = call("GET", v88.zeebeManagementUrl(), CONTEXT_PATH + "/actuator/backupHistory", null);

      // then
      assertThat(zeebe).isInstanceOf(ConnectException.class);
      assertThat(gateway.status()).isEqualTo(200);
      assertThat(operate).isInstanceOf(IllegalArgumentException.class);
      assertThat(afterClear.status()).isEqualTo(200);
    } finally {
      faults.clear();
    }
  }

  // ------------------------------------------------------------------------------------- S3 store outage

  @Test
  void whileTheStoreIsDownZeebeAnswers500ForStatusListDeleteAndTakeAndChangesNothing() {
    // given
    long id = BACKUP_IDS.incrementAndGet();
    long next = BACKUP_IDS.incrementAndGet();
    String base = "/actuator/backupRuntime";
    try (CamundaTargetSimulator zeebe = CamundaTargetSimulator.start(outageSettings("8.8.3", "outage-88", BACKUP_DURATION))) {
      URI url = zeebe.zeebeManagementUrl();
      call("POST", url, base, "{\"backupId\":" + id + "}");
      awaitState(url, base + "/" + id, "COMPLETED");
      long positionBefore = zeebe.position(1);
      Reply status;
      Reply list;
      Reply deleted;
      Reply taken;

      // when
      outageStore.stop();
      try {
        status = call("GET", url, base + "/" + id, null);
        list = call("GET", url, base, null);
        deleted = call("DELETE", url, base + "/" + id, null);
        taken = call("POST", url, base, "{\"backupId\":" + next + "}");
      } finally {
        outageStore.restart();
      }

      // then
      assertThat(status.status()).isEqualTo(500);
      assertThat(status.json().path("message").asText()).startsWith("S3 backup store " + outageStore.endpoint());
      assertThat(list.status()).isEqualTo(500);
      assertThat(deleted.status()).isEqualTo(500);
      assertThat(taken.status()).isEqualTo(500);
      assertThat(zeebe.position(1)).as("no checkpoint taken").isEqualTo(positionBefore);
      assertThat(call("GET", url, base + "/" + id, null).json().path("state").asText()).isEqualTo("COMPLETED");
      assertThat(call("POST", url, base, "{\"backupId\":" + next + "}").status()).isEqualTo(202);
    }
  }

  @Test
  void aBackupWhoseStoreIsDownWhenItCompletesStaysInProgressInTheStoreForGood() {
    // given
    long id = BACKUP_IDS.incrementAndGet();
    Duration backupDuration = Duration.ofSeconds(2);
    try (CamundaTargetSimulator zeebe = CamundaTargetSimulator.start(outageSettings("8.6.12", "outage-86", backupDuration))) {
      URI url = zeebe.zeebeManagementUrl();
      long started = System.nanoTime();
      Reply taken = call("POST", url, "/actuator/backups", "{\"backupId\":" + id + "}");

      // when
      outageStore.stop();
      Reply whileDown;
      try {
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("store down before the backup completes")
            .isLessThan(backupDuration);
        await().atMost(Duration.ofSeconds(30)).until(() -> zeebe.zeebeBackupCompletionAttempted(id));
        whileDown = call("GET", url, "/actuator/backups/" + id, null);
      } finally {
        outageStore.restart();
      }

      // then
      assertThat(taken.status()).isEqualTo(202);
      assertThat(whileDown.status()).isEqualTo(500);
      await().during(backupDuration).atMost(backupDuration.multipliedBy(2)).until(() ->
          call("GET", url, "/actuator/backups/" + id, null).json().path("state").asText().equals("IN_PROGRESS"));
    }
  }

  @Test
  void aBackupWhoseContentsTheStoreRejectsIsMarkedFailedWithTheStoreErrorAsReason() throws IOException {
    // given: a file where partition 1's content folder belongs makes S3Proxy fail that upload
    long id = BACKUP_IDS.incrementAndGet();
    String basePath = "rejecting-86";
    Path inTheWay = outageStore.storageDirectory().resolve(BUCKET).resolve(basePath + "/contents/1/" + id);
    Files.createDirectories(inTheWay.getParent());
    Files.writeString(inTheWay, "not a folder");
    try (CamundaTargetSimulator zeebe = CamundaTargetSimulator.start(outageSettings("8.6.12", basePath, BACKUP_DURATION))) {
      // when
      call("POST", zeebe.zeebeManagementUrl(), "/actuator/backups", "{\"backupId\":" + id + "}");

      // then
      awaitState(zeebe.zeebeManagementUrl(), "/actuator/backups/" + id, "FAILED");
      // FAILED shows as soon as partition 1 fails; the other partitions finish their uploads after it
      JsonNode[] decided = new JsonNode[1];
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
        decided[0] = call("GET", zeebe.zeebeManagementUrl(), "/actuator/backups/" + id, null).json();
        return !texts(decided[0].path("details"), "state").contains("IN_PROGRESS");
      });
      JsonNode failed = decided[0];
      assertThat(failed.path("failureReason").asText())
          .startsWith("S3 backup store " + outageStore.endpoint())
          .contains("could not write " + basePath + "/contents/1/" + id + "/0/");
      assertThat(texts(failed.path("details"), "state")).containsExactly("FAILED", "COMPLETED", "COMPLETED");
    }
  }

  // ------------------------------------------------------------------------------------- helpers

  private static SimulatorSettings outageSettings(String version, String basePath, Duration backupDuration) {
    return SimulatorSettings.builder()
        .camundaVersion(version)
        .backupDuration(backupDuration)
        .search(search.url(), false, REPOSITORY)
        .s3(outageStore.endpoint(), outageStore.region(), outageStore.accessKey(), outageStore.secretKey(),
            outageStore.bucket())
        .s3BasePath(basePath)
        .build();
  }

  /**
   * What a GET on a new connection throws, or null. A fresh client: the shared one may hold an idle
   * connection that the closed port dropped, which fails with ClosedChannelException instead.
   */
  private static Throwable newConnectionFailure(URI base) {
    try (HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      fresh.send(HttpRequest.newBuilder(base.resolve("/actuator/health")).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      return null;
    } catch (IOException e) {
      return e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static CompletableFuture<Reply> callAsync(String method, URI base, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
      try {
        return new Reply(response.statusCode(), response.body().isBlank() ? MissingNode.getInstance() : JSON.readTree(response.body()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private record Reply(int status, JsonNode json) {}

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

  /** Polls a GET until the body's state is {@code expected}; returns that body. */
  private static JsonNode awaitState(URI base, String path, String expected) {
    JsonNode[] last = new JsonNode[1];
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
      last[0] = call("GET", base, path, null).json();
      return expected.equals(last[0].path("state").asText());
    });
    return last[0];
  }

  private static List<String> partNames(String app, long id, String version, int parts) {
    return IntStream.rangeClosed(1, parts)
        .mapToObj(n -> "camunda_" + app + "_" + id + "_" + version + "_part_" + n + "_of_" + parts)
        .toList();
  }

  /** Names of the SUCCESS snapshots matching the pattern, read from the search engine itself. */
  private static List<String> successfulSnapshots(String pattern) {
    JsonNode snapshots = call("GET", search.url(), "/_snapshot/" + REPOSITORY + "/" + pattern, null).json().path("snapshots");
    List<String> names = new ArrayList<>();
    snapshots.forEach(s -> {
      if (s.path("state").asText().equals("SUCCESS")) {
        names.add(s.path("snapshot").asText());
      }
    });
    return names;
  }

  private static long countRecords(long processInstanceKey) {
    String query = "{\"query\":{\"term\":{\"processInstanceKey\":" + processInstanceKey + "}}}";
    Reply reply = call("POST", search.url(), "/zeebe-record*/_count", query);
    return reply.json().path("count").asLong();
  }

  private static List<String> keys(String prefix) {
    return s3.listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(prefix)).contents().stream()
        .map(S3Object::key).filter(key -> !key.endsWith("/")).toList();
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.path(field).asText()));
    return texts;
  }
}
