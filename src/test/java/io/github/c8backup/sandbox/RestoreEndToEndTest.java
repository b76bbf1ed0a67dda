package io.github.c8backup.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.c8backup.backup.BackupProcessModel;
import io.github.c8backup.restore.RestoreProcessModel;
import io.github.c8backup.sandbox.simulator.ExportingState;
import io.github.c8backup.sandbox.storage.SearchEngineKind;
import io.github.c8backup.testing.ProcessHistory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Restores on the sandbox: REAL OpenSearch and S3 store, SIMULATED brokers and web apps whose
 * state lives in data directories and real indices. One backup is taken at the start; the bad
 * requests run first and must leave the target exactly as it was; the last test wipes the target
 * and restores it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreEndToEndTest {

  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String CAMUNDA_INDICES = "operate-*,tasklist-*,camunda-*,optimize-*,zeebe-record*";

  private static Sandbox sandbox;
  private static ProcessHistory history;
  private static List<Long> before;
  private static long backupId;
  private static Map<String, Long> countsAtBackup;

  @BeforeAll
  static void takeABackupOfInstancesA() throws Exception {
    sandbox = Sandbox.start(new Sandbox.Options("8.8.3", SearchEngineKind.OPENSEARCH, null, false, Duration.ofMillis(300)));
    history = sandbox.history();
    before = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      before.add(sandbox.simulator().createProcessInstance("order-process"));
    }
    post("/api/clusters/sandbox/backups", "{}");
    long run = history.awaitNewInstance(BackupProcessModel.PROCESS_ID, 0, TIMEOUT);
    history.awaitEnd(run, TIMEOUT);
    assertThat(history.variable(run, "outcome")).as("backup: %s", history.variable(run, "failureReason")).contains("COMPLETED");
    backupId = ((Number) history.variable(run, "backupId").orElseThrow()).longValue();
    countsAtBackup = documentCounts();
  }

  @AfterAll
  static void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  /** What a restore must not change before it is allowed to: every Camunda index with its documents, the broker state. */
  private record Fingerprint(Map<String, Long> indices, List<Long> instances, boolean running) {}

  private static Fingerprint fingerprint() throws Exception {
    return new Fingerprint(documentCounts(), sandbox.simulator().processInstanceKeys(), sandbox.simulator().brokersRunning());
  }

  private long refusedRestore(String body) throws Exception {
    int known = history.instances(RestoreProcessModel.PROCESS_ID).size();
    HttpResponse<String> response = post("/api/clusters/sandbox/restores", body);
    assertThat(response.statusCode()).isEqualTo(202);
    long run = history.awaitNewInstance(RestoreProcessModel.PROCESS_ID, known, TIMEOUT);
    history.awaitEnd(run, TIMEOUT);
    assertThat(history.passedElementIds(run)).doesNotContain(RestoreProcessModel.STOP, RestoreProcessModel.DELETE_INDICES);
    return run;
  }

  @Test
  @Order(1)
  void refusesAnUnknownBackupIdAndTouchesNothing() throws Exception {
    Fingerprint untouched = fingerprint();

    long run = refusedRestore("{\"backupId\": " + (backupId + 999) + ", \"preApproved\": true}");

    assertThat(history.passedElementIds(run)).contains(RestoreProcessModel.PREFLIGHT_FAILED_END);
    assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow())).contains("Zeebe has no backup " + (backupId + 999));
    assertThat(fingerprint()).isEqualTo(untouched);
  }

  @Test
  @Order(2)
  void refusesAMalformedIdAndAnUnknownClusterAndTouchesNothing() throws Exception {
    Fingerprint untouched = fingerprint();

    long run = refusedRestore("{\"backupId\": \"12x\", \"preApproved\": true}");
    HttpResponse<String> unknown = post("/api/clusters/elsewhere/restores", "{\"backupId\": \"latest\", \"preApproved\": true}");

    assertThat(history.passedElementIds(run)).contains(RestoreProcessModel.REFUSED_END);
    assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow())).contains("'12x' is malformed");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("Unknown cluster 'elsewhere'");
    assertThat(fingerprint()).isEqualTo(untouched);
  }

  @Test
  @Order(3)
  void refusesABackupWithAMissingWebappsPartAndTouchesNothing() throws Exception {
    // given a second backup, then one of its web apps snapshots disappears from the repository
    long broken = takeAnotherBackup();
    String part = sandbox.simulator().snapshotName("webapps", broken, 2);
    delete(sandbox.search().url() + "/_snapshot/" + Sandbox.SNAPSHOT_REPOSITORY + "/" + part);
    Fingerprint untouched = fingerprint();

    long run = refusedRestore("{\"backupId\": " + broken + ", \"preApproved\": true}");

    assertThat(history.passedElementIds(run)).contains(RestoreProcessModel.PREFLIGHT_FAILED_END);
    assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow())).contains("Web apps");
    assertThat(fingerprint()).isEqualTo(untouched);
  }

  @Test
  @Order(4)
  void refusesABackupWhoseZeebePartIsMissingAndTouchesNothing() throws Exception {
    // given a third backup whose partition 2 manifest is gone from the store
    long broken = takeAnotherBackup();
    try (S3Client s3 = sandbox.s3Client()) {
      String key = "manifests/2/" + broken + "/0/manifest.json";
      s3.deleteObject(r -> r.bucket(Sandbox.BUCKET).key(key));
    }
    Fingerprint untouched = fingerprint();

    long run = refusedRestore("{\"backupId\": " + broken + ", \"preApproved\": true}");

    assertThat(history.passedElementIds(run)).contains(RestoreProcessModel.PREFLIGHT_FAILED_END);
    assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow())).contains("Zeebe backup " + broken);
    assertThat(fingerprint()).isEqualTo(untouched);
  }

  @Test
  @Order(5)
  void refusesABackupOfAnotherCamundaVersionAndTouchesNothing() throws Exception {
    // given the target was upgraded to 8.8.4 after the backup (same storage, same data)
    sandbox.restartTarget(settings -> settings.camundaVersion("8.8.4"));
    try {
      Fingerprint untouched = fingerprint();

      long run = refusedRestore("{\"backupId\": " + backupId + ", \"preApproved\": true}");

      assertThat(history.passedElementIds(run)).contains(RestoreProcessModel.PREFLIGHT_FAILED_END);
      assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow()))
          .contains("taken with Camunda 8.8.3 but the cluster runs 8.8.4");
      assertThat(fingerprint()).isEqualTo(untouched);
    } finally {
      sandbox.restartTarget(settings -> settings.camundaVersion("8.8.3"));
    }
  }

  @Test
  @Order(6)
  void refusesABackupWithAnotherPartitionCountAndTouchesNothing() throws Exception {
    // given the target now runs 4 partitions
    sandbox.restartTarget(settings -> settings.partitions(4));
    try {
      Fingerprint untouched = fingerprint();

      long run = refusedRestore("{\"backupId\": " + backupId + ", \"preApproved\": true}");

      assertThat(history.passedElementIds(run)).contains(RestoreProcessModel.PREFLIGHT_FAILED_END);
      assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow())).contains("has 3 partitions but the cluster has 4");
      assertThat(fingerprint()).isEqualTo(untouched);
    } finally {
      sandbox.restartTarget(settings -> settings.partitions(3));
    }
  }

  @Test
  @Order(10)
  void restoresLatestCompleteBackupOverAWipedTarget() throws Exception {
    // given instances B after the backup, then the target is wiped: broker data and Camunda indices
    List<Long> after = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      after.add(sandbox.simulator().createProcessInstance("order-process"));
    }
    sandbox.simulator().stopBrokers();
    for (int node : sandbox.simulator().brokerNodeIds()) {
      sandbox.simulator().wipeBrokerData(node);
    }
    for (String index : documentCounts().keySet()) {
      delete(sandbox.search().url() + "/" + index);
    }
    sandbox.simulator().startBrokers();
    assertThat(sandbox.simulator().processInstanceKeys()).doesNotContainAnyElementsOf(before);

    // when "latest" is restored: the broken backups of the earlier tests are not complete, so it is the first one
    int known = history.instances(RestoreProcessModel.PROCESS_ID).size();
    assertThat(post("/api/clusters/sandbox/restores", "{\"backupId\": \"latest\", \"preApproved\": true}").statusCode()).isEqualTo(202);
    long run = history.awaitNewInstance(RestoreProcessModel.PROCESS_ID, known, TIMEOUT);
    history.awaitEnd(run, TIMEOUT);

    // then
    assertThat(history.variable(run, "outcome")).as("passed %s, incidents %s", history.passedElementIds(run), history.incidents(run)).contains("RESTORED");
    assertThat(((Number) history.variable(run, "backupId").orElseThrow()).longValue()).isEqualTo(backupId);
    assertThat(history.passedElementIds(run)).containsSubsequence(RestoreProcessModel.STOP, RestoreProcessModel.DELETE_INDICES,
        RestoreProcessModel.RESTORE_SNAPSHOTS, RestoreProcessModel.START_BROKER_RESTORE, RestoreProcessModel.START,
        RestoreProcessModel.CHECK_HEALTH, RestoreProcessModel.VERIFY, RestoreProcessModel.RESTORED_END);
    assertThat(sandbox.simulator().processInstanceKeys()).containsAll(before).doesNotContainAnyElementsOf(after);
    Map<String, Long> restored = documentCounts();
    assertThat(restored).as("index contents after the restore equal those at backup time").containsAllEntriesOf(countsAtBackup);
    assertThat(sandbox.simulator().exportingState()).isEqualTo(ExportingState.RUNNING);
    long exported = sandbox.simulator().createProcessInstance("order-process");
    JsonNode hits = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(sandbox.search().url() + "/zeebe-record*/_search"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"query\":{\"term\":{\"processInstanceKey\":" + exported + "}}}")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    assertThat(hits.get("hits").get("hits").size()).as("a new instance is exported after the restore").isPositive();
  }

  @Test
  @Order(20)
  void continuesARestoreAfterTheOrchestratorRestarts() throws Exception {
    // given an instance created after the first restore, and a second restore of the same backup under way
    long later = sandbox.simulator().createProcessInstance("order-process");
    int known = history.instances(RestoreProcessModel.PROCESS_ID).size();
    post("/api/clusters/sandbox/restores", "{\"backupId\": " + backupId + ", \"preApproved\": true}");
    long run = history.awaitNewInstance(RestoreProcessModel.PROCESS_ID, known, TIMEOUT);
    long deadline = System.currentTimeMillis() + TIMEOUT.toMillis();
    while (!history.passedElementIds(run).contains(RestoreProcessModel.DELETE_INDICES)) {
      assertThat(System.currentTimeMillis()).as("restore reached index deletion").isLessThan(deadline);
      Thread.sleep(50);
    }

    // when the orchestrator goes away mid-restore and a new one starts on the same control engine
    sandbox.restartOrchestrator();
    history.awaitEnd(run, TIMEOUT);

    // then the new one finished it from the engine's state
    assertThat(history.variable(run, "outcome")).as("passed %s, incidents %s", history.passedElementIds(run), history.incidents(run)).contains("RESTORED");
    assertThat(sandbox.simulator().processInstanceKeys()).containsAll(before).doesNotContain(later);
    assertThat(documentCounts()).containsAllEntriesOf(countsAtBackup);
  }

  private static long takeAnotherBackup() throws Exception {
    int known = history.instances(BackupProcessModel.PROCESS_ID).size();
    post("/api/clusters/sandbox/backups", "{}");
    long run = history.awaitNewInstance(BackupProcessModel.PROCESS_ID, known, TIMEOUT);
    history.awaitEnd(run, TIMEOUT);
    assertThat(history.variable(run, "outcome")).contains("COMPLETED");
    return ((Number) history.variable(run, "backupId").orElseThrow()).longValue();
  }

  private static Map<String, Long> documentCounts() throws Exception {
    HTTP.send(HttpRequest.newBuilder(URI.create(sandbox.search().url() + "/" + CAMUNDA_INDICES + "/_refresh"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(sandbox.search().url()
        + "/_cat/indices/" + CAMUNDA_INDICES + "?format=json&h=index,docs.count&expand_wildcards=open")).build(), HttpResponse.BodyHandlers.ofString());
    Map<String, Long> counts = new TreeMap<>();
    for (JsonNode index : JSON.readTree(response.body())) {
      counts.put(index.get("index").asText(), index.get("docs.count").asLong());
    }
    return counts;
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + sandbox.orchestratorPort() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void delete(String url) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("DELETE %s: %s", url, response.body()).isEqualTo(200);
  }
}
