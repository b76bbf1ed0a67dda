package io.github.c8backup.containers;

import static io.github.c8backup.backup.BackupProcessModel.COMPLETED_END;
import static io.github.c8backup.backup.BackupProcessModel.OPTIMIZE_SKIPPED;
import static io.github.c8backup.backup.BackupProcessModel.PROCESS_ID;
import static io.github.c8backup.backup.BackupProcessModel.REQUESTED_START;
import static io.github.c8backup.backup.BackupProcessModel.RESUME;
import static io.github.c8backup.backup.BackupProcessModel.SNAPSHOT_RECORDS;
import static io.github.c8backup.backup.BackupProcessModel.SOFT_PAUSE;
import static io.github.c8backup.backup.BackupProcessModel.TAKE_WEBAPPS;
import static io.github.c8backup.backup.BackupProcessModel.TAKE_ZEEBE;
import static io.github.c8backup.backup.BackupProcessModel.V88;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.client.CamundaClient;
import io.github.c8backup.testing.ProcessHistory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The sandbox's backup scenario against the REAL camunda/camunda 8.8 image with Elasticsearch and
 * an S3 store (docker-compose.yml's target): the orchestrator takes an on-demand backup, and Zeebe,
 * the web applications, Elasticsearch and the S3 store each confirm it on their own terms;
 * exporting runs again afterwards.
 */
@DockerTest
class ContainersBackupEndToEndTest {

  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration EXPORT_TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static CamundaTargetStack stack;
  private static ContainersOrchestrator orchestrator;
  private static TargetSearch search;

  @BeforeAll
  static void start() {
    stack = CamundaTargetStack.start();
    orchestrator = ContainersOrchestrator.start(stack);
    search = new TargetSearch(stack);
  }

  @AfterAll
  static void stop() {
    if (orchestrator != null) {
      orchestrator.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void takesAnOnDemandBackupThatZeebeTheWebAppsElasticsearchAndS3AllHold() throws Exception {
    // given an instance that the web apps' indices already show
    try (CamundaClient camunda = stack.camundaClient()) {
      WaitingProcess.deploy(camunda);
      long instance = WaitingProcess.start(camunda);
      Eventually.holds("instance " + instance + " in secondary storage", EXPORT_TIMEOUT,
          () -> WaitingProcess.visible(camunda).containsKey(instance));
    }
    ProcessHistory history = orchestrator.history();

    // when the orchestrator's endpoint is asked for a backup
    assertThat(orchestrator.post("/api/clusters/" + ContainersOrchestrator.CLUSTER + "/backups", "{}").statusCode()).isEqualTo(202);
    long run = history.awaitNewInstance(PROCESS_ID, 0, RUN_TIMEOUT);
    history.awaitEnd(run, RUN_TIMEOUT);

    // then the run took the 8.8 path to its end
    assertThat(history.variable(run, "outcome"))
        .as("failureReason=%s, incidents=%s", history.variable(run, "failureReason"), history.incidents(run))
        .contains("COMPLETED");
    assertThat(history.passedElementIds(run)).startsWith(REQUESTED_START)
        .containsSubsequence(SOFT_PAUSE + V88, TAKE_WEBAPPS + V88, SNAPSHOT_RECORDS + V88, TAKE_ZEEBE + V88, RESUME + V88, COMPLETED_END)
        .contains(OPTIMIZE_SKIPPED + V88);
    long backupId = ((Number) history.variable(run, "backupId").orElseThrow()).longValue();

    // and each component holds it
    JsonNode zeebe = management("backupRuntime/" + backupId);
    assertThat(zeebe.get("state").asText()).as("Zeebe: %s", zeebe).isEqualTo("COMPLETED");
    assertThat(zeebe.get("details")).as("Zeebe partitions: %s", zeebe).isNotEmpty()
        .allSatisfy(partition -> assertThat(partition.get("state").asText()).isEqualTo("COMPLETED"));
    JsonNode webapps = management("backupHistory/" + backupId);
    assertThat(webapps.get("state").asText()).as("web apps: %s", webapps).isEqualTo("COMPLETED");
    Map<String, String> snapshots = search.snapshots();
    assertThat(snapshots).containsEntry("camunda_zeebe_records_backup_" + backupId, "SUCCESS");
    assertEveryWebappsPartSucceeded(snapshots, backupId);
    assertZeebeManifestCompletedInS3(backupId, zeebe.get("details").size());

    // and exporting runs again: a new instance reaches the exporter's indices and the web apps' indices
    try (CamundaClient camunda = stack.camundaClient()) {
      long after = WaitingProcess.start(camunda);
      Eventually.holds("records of instance " + after + " in zeebe-record*", EXPORT_TIMEOUT,
          () -> search.exportedRecordsOf(after) > 0);
      Eventually.holds("instance " + after + " in secondary storage", EXPORT_TIMEOUT,
          () -> WaitingProcess.visible(camunda).containsKey(after));
    }

    // and the orchestrator's list, which asks Zeebe, shows it
    JsonNode list = TargetSearch.read(orchestrator.get("/api/clusters/" + ContainersOrchestrator.CLUSTER + "/backups"), "backup list");
    assertThat(list.get(0).get("backupId").asLong()).isEqualTo(backupId);
    assertThat(list.get(0).get("state").asText()).isEqualTo("COMPLETED");
  }

  private static JsonNode management(String endpoint) {
    URI uri = URI.create(stack.zeebeManagement() + "/actuator/" + endpoint);
    return TargetSearch.read(stack.send(HttpRequest.newBuilder(uri).GET().build()), "GET " + uri);
  }

  /** {@code camunda_webapps_<id>_<version>_part_<n>_of_<m>}: m varies with the indices present, so every n up to m. */
  private static void assertEveryWebappsPartSucceeded(Map<String, String> snapshots, long backupId) {
    Pattern part = Pattern.compile("camunda_webapps_" + backupId + "_[^_]+_part_(\\d+)_of_(\\d+)");
    List<String> parts = snapshots.keySet().stream().filter(name -> part.matcher(name).matches()).toList();
    assertThat(parts).as("web apps snapshots of %d among %s", backupId, snapshots.keySet()).isNotEmpty();
    Matcher first = part.matcher(parts.getFirst());
    assertThat(first.matches()).isTrue();
    int total = Integer.parseInt(first.group(2));
    assertThat(parts).hasSize(total);
    for (String name : parts) {
      assertThat(snapshots.get(name)).as(name).isEqualTo("SUCCESS");
    }
  }

  /**
   * Zeebe's S3 store writes one manifest per partition and node, at
   * {@code [manifests/]<partition>/<backupId>/<node>/manifest.json} (newer versions add the
   * {@code manifests/} folder), with {@code "statusCode": "completed"} once done.
   */
  private static void assertZeebeManifestCompletedInS3(long backupId, int partitions) throws Exception {
    Pattern manifest = Pattern.compile("(manifests/)?(\\d+)/" + backupId + "/(\\d+)/manifest\\.json");
    try (S3Client s3 = stack.s3Client()) {
      List<String> keys = s3.listObjectsV2Paginator(r -> r.bucket(CamundaTargetStack.BUCKET)).contents().stream()
          .map(S3Object::key)
          .filter(key -> manifest.matcher(key).matches())
          .toList();
      assertThat(keys).as("manifests of backup %d in s3://%s", backupId, CamundaTargetStack.BUCKET).hasSize(partitions);
      for (String key : keys) {
        byte[] body = s3.getObjectAsBytes(r -> r.bucket(CamundaTargetStack.BUCKET).key(key)).asByteArray();
        assertThat(JSON.readTree(body).path("statusCode").asText())
            .as(key).isEqualToIgnoringCase("completed");
      }
    }
  }
}
