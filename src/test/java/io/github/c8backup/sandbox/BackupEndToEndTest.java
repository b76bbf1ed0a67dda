package io.github.c8backup.sandbox;

import static io.github.c8backup.backup.BackupProcessModel.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.c8backup.sandbox.simulator.ExportingState;
import io.github.c8backup.sandbox.storage.SearchEngineKind;
import io.github.c8backup.run.ClusterRunProcessModel;
import io.github.c8backup.testing.ProcessHistory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The whole product on the sandbox: REAL OpenSearch or Elasticsearch and a REAL S3 store doing the
 * storage work, the Camunda target SIMULATED on top of them, the orchestrator and its BPMN on Zeebe
 * Process Test's engine. Each test takes one backup and checks it in the storage itself.
 */
class BackupEndToEndTest {

  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void takesAScheduledBackupOfAn88ClusterOnOpenSearch() throws Exception {
    // counted from the deployment by the engine: a slow start on a busy machine cannot make it miss
    String schedule = "R1/PT10S";
    try (Sandbox sandbox = Sandbox.start(new Sandbox.Options("8.8.3", SearchEngineKind.OPENSEARCH, schedule, false, Duration.ofSeconds(1)))) {
      // given
      sandbox.simulator().createProcessInstance("order-process");
      ProcessHistory history = sandbox.history();

      // when the timer starts the backup
      long run = history.awaitNewInstance(PROCESS_ID, 0, TIMEOUT);
      history.awaitEnd(run, TIMEOUT);

      // then
      assertThat(history.instances(ClusterRunProcessModel.SCHEDULE_PROCESS_ID)).singleElement().satisfies(timer ->
          assertThat(history.passedElementIds(timer)).startsWith(ClusterRunProcessModel.SCHEDULED_START + "_sandbox"));
      assertThat(history.passedElementIds(run)).startsWith(REQUESTED_START).contains(SOFT_PAUSE + V88, COMPLETED_END);
      assertThat(history.variable(run, "requestedBy")).contains("schedule");
      long backupId = completedBackupId(history, run);
      assertZeebeBackupInS3(sandbox, backupId, 3);
      List<String> snapshots = successfulSnapshots(sandbox, backupId);
      assertThat(snapshots).contains(
          "camunda_optimize_" + backupId + "_8.8.3_part_1_of_2",
          "camunda_optimize_" + backupId + "_8.8.3_part_2_of_2",
          "camunda_zeebe_records_backup_" + backupId);
      assertAllParts(snapshots, "camunda_webapps_" + backupId + "_8.8.3");
      assertExportingRunsAgain(sandbox);
    }
  }

  @Test
  void takesAnOnDemandBackupOfAn86ClusterOnElasticsearch() throws Exception {
    try (Sandbox sandbox = Sandbox.start(new Sandbox.Options("8.6.12", SearchEngineKind.ELASTICSEARCH, null, false, Duration.ofSeconds(1)))) {
      // given
      sandbox.simulator().createProcessInstance("order-process");
      ProcessHistory history = sandbox.history();

      // when the orchestrator's own endpoint is asked for a backup
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
              URI.create("http://localhost:" + sandbox.orchestratorPort() + "/api/clusters/sandbox/backups"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(202);
      long run = history.awaitNewInstance(PROCESS_ID, 0, TIMEOUT);
      history.awaitEnd(run, TIMEOUT);

      // then
      assertThat(history.passedElementIds(run)).startsWith(REQUESTED_START)
          .containsSubsequence(TAKE_OPERATE + V86, TAKE_TASKLIST + V86, TAKE_OPTIMIZE + V86, SOFT_PAUSE + V86, SNAPSHOT_RECORDS + V86, TAKE_ZEEBE + V86, RESUME + V86, COMPLETED_END);
      long backupId = completedBackupId(history, run);
      assertZeebeBackupInS3(sandbox, backupId, 3);
      List<String> snapshots = successfulSnapshots(sandbox, backupId);
      assertAllParts(snapshots, "camunda_operate_" + backupId + "_8.6.12");
      assertAllParts(snapshots, "camunda_tasklist_" + backupId + "_8.6.12");
      assertThat(snapshots).contains("camunda_zeebe_records_backup_" + backupId, "camunda_optimize_" + backupId + "_8.6.12_part_2_of_2");
      assertExportingRunsAgain(sandbox);

      // and the list endpoint asks Zeebe, which knows the backup
      HttpResponse<String> list = http.send(HttpRequest.newBuilder(
          URI.create("http://localhost:" + sandbox.orchestratorPort() + "/api/clusters/sandbox/backups")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(JSON.readTree(list.body()).get(0).get("backupId").asLong()).isEqualTo(backupId);
      assertThat(JSON.readTree(list.body()).get(0).get("state").asText()).isEqualTo("COMPLETED");
    }
  }

  @Test
  void rollsBackAFailedZeebeBackupOf89OnOpenSearchAndLeavesNothingBehind() throws Exception {
    try (Sandbox sandbox = Sandbox.start(new Sandbox.Options("8.9.1", SearchEngineKind.OPENSEARCH, null, false, Duration.ofSeconds(1)))) {
      // given the simulated brokers will fail this backup
      long backupId = Instant.now().getEpochSecond() + 1000;
      sandbox.simulator().faults().failZeebeBackup(backupId);
      ProcessHistory history = sandbox.history();

      // when
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
              URI.create("http://localhost:" + sandbox.orchestratorPort() + "/api/clusters/sandbox/backups"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"backupId\": " + backupId + "}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(202);
      long run = history.awaitNewInstance(PROCESS_ID, 0, TIMEOUT);
      history.awaitEnd(run, TIMEOUT);

      // then the run says why it failed
      assertThat(history.passedElementIds(run)).containsSubsequence(TAKE_ZEEBE + V88, BACKUP_FAILED, RESUME_AFTER_FAILURE, REMOVE_PARTIAL, FAILED_END)
          .doesNotContain(COMPLETED_END);
      assertThat(history.variable(run, "outcome")).contains("FAILED");
      assertThat(String.valueOf(history.variable(run, "failureReason").orElseThrow())).contains("Zeebe backup " + backupId + " is FAILED");
      // and the cluster is as we found it: exporting runs, no snapshot of this ID is left, Zeebe's store holds no content
      assertThat(sandbox.simulator().exportingState()).isEqualTo(ExportingState.RUNNING);
      JsonNode all = get(sandbox.search().url() + "/_snapshot/" + Sandbox.SNAPSHOT_REPOSITORY + "/_all");
      List<String> left = new ArrayList<>();
      all.get("snapshots").forEach(snapshot -> {
        if (snapshot.get("snapshot").asText().contains("_" + backupId)) {
          left.add(snapshot.get("snapshot").asText());
        }
      });
      assertThat(left).as("snapshots of the failed backup").isEmpty();
      try (S3Client s3 = sandbox.s3Client()) {
        assertThat(s3.listObjectsV2(r -> r.bucket(Sandbox.BUCKET).prefix("contents/")).contents())
            .as("Zeebe backup contents in S3").noneMatch(o -> o.key().contains("/" + backupId + "/"));
      }
      assertExportingRunsAgain(sandbox);
    }
  }

  private static long completedBackupId(ProcessHistory history, long run) {
    assertThat(history.variable(run, "outcome")).as("outcome; failureReason=%s", history.variable(run, "failureReason")).contains("COMPLETED");
    assertThat(((Number) history.variable(run, "exportingPausedMillis").orElseThrow()).longValue()).isPositive();
    return ((Number) history.variable(run, "backupId").orElseThrow()).longValue();
  }

  private static void assertZeebeBackupInS3(Sandbox sandbox, long backupId, int partitions) throws Exception {
    try (S3Client s3 = sandbox.s3Client()) {
      for (int partition = 1; partition <= partitions; partition++) {
        String key = "manifests/" + partition + "/" + backupId + "/0/manifest.json";
        ResponseBytes<GetObjectResponse> manifest = s3.getObjectAsBytes(r -> r.bucket(Sandbox.BUCKET).key(key));
        assertThat(JSON.readTree(manifest.asByteArray()).get("state").asText()).as(key).isEqualTo("COMPLETED");
        int prefix = partition;
        assertThat(s3.listObjectsV2(r -> r.bucket(Sandbox.BUCKET).prefix("contents/" + prefix + "/" + backupId + "/")).contents())
            .as("content objects of partition %d", partition).isNotEmpty();
      }
    }
  }

  /** Names of the snapshots of this backup that the search engine itself reports as SUCCESS. */
  private List<String> successfulSnapshots(Sandbox sandbox, long backupId) throws Exception {
    JsonNode all = get(sandbox.search().url() + "/_snapshot/" + Sandbox.SNAPSHOT_REPOSITORY + "/_all");
    List<String> names = new ArrayList<>();
    for (JsonNode snapshot : all.get("snapshots")) {
      String name = snapshot.get("snapshot").asText();
      if (name.contains("_" + backupId)) {
        assertThat(snapshot.get("state").asText()).as(name).isEqualTo("SUCCESS");
        names.add(name);
      }
    }
    return names;
  }

  private static void assertAllParts(List<String> snapshots, String prefix) {
    Pattern part = Pattern.compile(Pattern.quote(prefix) + "_part_(\\d+)_of_(\\d+)");
    List<String> parts = snapshots.stream().filter(s -> part.matcher(s).matches()).toList();
    assertThat(parts).as("parts of %s in %s", prefix, snapshots).isNotEmpty();
    var matcher = part.matcher(parts.get(0));
    assertThat(matcher.matches()).isTrue();
    int total = Integer.parseInt(matcher.group(2));
    for (int n = 1; n <= total; n++) {
      assertThat(parts).contains(prefix + "_part_" + n + "_of_" + total);
    }
    assertThat(parts).hasSize(total);
  }

  private void assertExportingRunsAgain(Sandbox sandbox) throws Exception {
    assertThat(sandbox.simulator().exportingState()).isEqualTo(ExportingState.RUNNING);
    long after = sandbox.simulator().createProcessInstance("order-process");
    JsonNode hits = post(sandbox.search().url() + "/zeebe-record*/_search",
        Map.of("query", Map.of("term", Map.of("processInstanceKey", after))));
    assertThat(hits.get("hits").get("hits").size()).as("records of instance %d in zeebe-record*", after).isPositive();
  }

  private JsonNode get(String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private JsonNode post(String url, Object body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("POST %s: %s", url, r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
