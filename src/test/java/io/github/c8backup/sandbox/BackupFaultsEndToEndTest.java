package io.github.c8backup.sandbox;

import static io.github.c8backup.backup.BackupProcessModel.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.client.CamundaClient;
import io.github.c8backup.backup.ExportingWatchdogModel;
import io.github.c8backup.sandbox.simulator.Component;
import io.github.c8backup.sandbox.simulator.ExportingState;
import io.github.c8backup.sandbox.storage.SearchEngineKind;
import io.github.c8backup.testing.Await;
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
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 5's faults on the sandbox, each injected for real: the S3 store and OpenSearch are
 * stopped and started again, the simulated management API refuses connections or hangs, the
 * orchestrator's Spring context is closed mid-backup, the backup instance is cancelled while
 * exporting is paused. Each test asserts what the orchestrator guarantees: exporting runs
 * afterwards, nothing of the failed backup is left in S3 or in the snapshot repository, the run
 * says why it failed, and the next backup succeeds. One sandbox serves every test; each leaves it
 * as it found it, which is the point.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupFaultsEndToEndTest {

  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private Sandbox sandbox;
  private long lastId;

  @BeforeAll
  void startSandbox() {
    sandbox = Sandbox.start(
        new Sandbox.Options("8.8.3", SearchEngineKind.OPENSEARCH, null, false, Duration.ofSeconds(2)),
        Map.of(
            "orchestrator.retry-backoff", "PT2S",
            "camunda.client.worker.defaults.timeout", "PT10S",
            "cluster.timeouts.zeebe-deadline", "PT40S",
            "cluster.timeouts.records-snapshot-deadline", "PT90S",
            "cluster.timeouts.webapps-deadline", "PT90S",
            "cluster.timeouts.pause-bound", "PT5M",
            "cluster.timeouts.watchdog-check-interval", "PT2S"));
  }

  @AfterAll
  void stopSandbox() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  /**
   * A run a test leaves behind (it failed, or the control engine stalled a job's retry backoff, as
   * Zeebe Process Test was seen to do once) would keep the cluster busy, and every later test's
   * request would be skipped: cancel it, so one failure stays one failure. The cancellation
   * starts the watchdog's cleanup, which resumes exporting.
   */
  @AfterEach
  void clearFaultsAndLeftoverRuns() throws Exception {
    sandbox.simulator().faults().clear();
    boolean cancelled = false;
    for (long run : history().instances("camunda-cluster-run")) {
      if (!history().isEnded(run)) {
        sandbox.orchestrator().getBean(CamundaClient.class).newCancelInstanceCommand(run).send().join();
        cancelled = true;
      }
    }
    if (cancelled) {
      await("exporting running after the left-over run was cancelled", () -> sandbox.simulator().exportingState() == ExportingState.RUNNING);
    }
  }

  @Test
  void s3StoreStoppedDuringTheZeebeBackup() throws Exception {
    // given a backup waiting for its Zeebe part
    long id = nextId();
    long run = requestBackup(id);
    awaitActivated(run, CHECK_ZEEBE + V88);

    // when the S3 store stops while the brokers write the backup, and comes back later
    sandbox.s3().stop();
    Thread.sleep(6_000);
    sandbox.s3().restart();
    history().awaitEnd(run, TIMEOUT);

    // then
    assertFailedAndLeftAsFound(run, id, "Zeebe");
    assertNextBackupSucceeds();
  }

  @Test
  void openSearchStoppedDuringTheRecordsSnapshot() throws Exception {
    // given about a megabyte of exported records and snapshots throttled to 50 kB/s, so the records
    // snapshot runs for about 20 s while the web app snapshots (empty indices) pass at once
    String bulkIndex = "zeebe-record_faults-test_8.8.3_2026-01-01";
    indexFillerRecords(bulkIndex, 5_000);
    sandbox.search().registerSnapshotRepository(Map.of("max_snapshot_bytes_per_sec", "50kb"));
    long id = nextId();
    long run = requestBackup(id);
    awaitActivated(run, CHECK_RECORDS + V88);
    assertThat(snapshotState("camunda_zeebe_records_backup_" + id)).as("records snapshot when OpenSearch stops").isEqualTo("IN_PROGRESS");

    // when
    sandbox.search().stop();
    Thread.sleep(3_000);
    sandbox.search().restart();
    history().awaitEnd(run, TIMEOUT);
    removeSnapshotThrottle();

    // then
    assertFailedAndLeftAsFound(run, id, "records snapshot");
    http.send(HttpRequest.newBuilder(URI.create(sandbox.search().url() + "/" + bulkIndex)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertNextBackupSucceeds();
  }

  @Test
  void managementApiUnreachableRightAfterThePause() throws Exception {
    // given
    long id = nextId();
    long run = requestBackup(id);
    await("exporting soft-paused", () -> sandbox.simulator().exportingState() == ExportingState.SOFT_PAUSED);

    // when Zeebe's management port (which also serves the web apps' backups on 8.8) refuses connections for a while
    sandbox.simulator().faults().refuseConnections(Component.ZEEBE);
    Thread.sleep(12_000);
    assertThat(sandbox.simulator().exportingState()).as("still paused while unreachable").isEqualTo(ExportingState.SOFT_PAUSED);
    sandbox.simulator().faults().acceptConnections(Component.ZEEBE);
    history().awaitEnd(run, TIMEOUT);

    // then
    assertFailedAndLeftAsFound(run, id, "Gave up after the last retry");
    assertNextBackupSucceeds();
  }

  @Test
  void orchestratorStoppedMidBackupAndStartedAgainFinishesTheBackup() throws Exception {
    // given a backup with exporting paused, waiting for Zeebe
    long id = nextId();
    long run = requestBackup(id);
    awaitActivated(run, WAIT_ZEEBE + V88);

    // when the orchestrator dies (its Spring context closes) and comes back against the same control engine
    sandbox.stopOrchestrator();
    Thread.sleep(5_000);
    assertThat(sandbox.simulator().exportingState()).as("nobody resumes while the workers are gone").isEqualTo(ExportingState.SOFT_PAUSED);
    sandbox.startOrchestratorAgain();
    history().awaitEnd(run, TIMEOUT);

    // then the run carries on where it was: one backup, complete, exporting running
    assertThat(history().variable(run, "outcome")).as("failureReason=%s", history().variable(run, "failureReason")).contains("COMPLETED");
    assertThat(((Number) history().variable(run, "backupId").orElseThrow()).longValue()).isEqualTo(id);
    assertThat(sandbox.simulator().exportingState()).isEqualTo(ExportingState.RUNNING);
    assertThat(snapshotsOf(id)).contains("camunda_zeebe_records_backup_" + id);
    assertThat(s3KeysOf(id)).anyMatch(key -> key.startsWith("contents/"));
    assertNextBackupSucceeds();
  }

  @Test
  void backupInstanceCancelledWhileExportingIsPaused() throws Exception {
    // given a backup whose Zeebe part never completes, so exporting stays paused
    long id = nextId();
    sandbox.simulator().faults().stallZeebeBackup(id);
    int watchdogs = history().instances(ExportingWatchdogModel.PROCESS_ID).size();
    long run = requestBackup(id);
    long watchdog = history().awaitNewInstance(ExportingWatchdogModel.PROCESS_ID, watchdogs, TIMEOUT);
    awaitActivated(run, CHECK_ZEEBE + V88);

    // when an operator cancels the run in Operate (its camunda-cluster-run instance: Zeebe refuses to
    // cancel a called instance alone, and cancelling the run terminates the backup it called)
    long clusterRun = history().parentOf(run);
    assertThat(clusterRun).isPositive();
    sandbox.orchestrator().getBean(CamundaClient.class).newCancelInstanceCommand(clusterRun).send().join();
    history().awaitEnd(watchdog, TIMEOUT);

    // then the watchdog resumed exporting long before its bound, removed the incomplete backup and says why
    assertThat(history().passedElementIds(watchdog)).contains(ExportingWatchdogModel.RESUME_ABANDONED, ExportingWatchdogModel.ABANDONED_END);
    assertThat(String.valueOf(history().variable(watchdog, "watchdogReason").orElseThrow())).contains("ended while exporting was soft-paused");
    assertThat(String.valueOf(history().variable(watchdog, "abandonedBackup").orElseThrow())).contains("removed");
    assertLeftAsFound(id);
    assertNextBackupSucceeds();
  }

  @Test
  void aStatusCheckThatHangsIsCutOffByTheDeadline() throws Exception {
    // given Zeebe's status answers hang (each call gives up after the request timeout, 10 s)
    long id = nextId();
    sandbox.simulator().faults().delayResponses(Component.ZEEBE, "GET", "backupRuntime/" + id, Duration.ofMinutes(10));
    long run = requestBackup(id);

    // when
    history().awaitEnd(run, TIMEOUT);

    // then the deadline of the wait (40 s) ended it, not the retries
    assertThat(history().passedElementIds(run)).contains(ZEEBE_DEADLINE + V88);
    assertFailedAndLeftAsFound(run, id, "did not complete within PT40S");
    sandbox.simulator().faults().clear();
    assertNextBackupSucceeds();
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * An ID in step with the clock, like the orchestrator's own choice (epoch seconds): Zeebe refuses
   * any ID not above the highest it ever took, and a removed backup is no longer listed, so an ID
   * ahead of the clock would make the next automatic one fail with 409.
   */
  private long nextId() {
    lastId = Math.max(lastId + 1, Instant.now().getEpochSecond());
    return lastId;
  }

  private ProcessHistory history() {
    return sandbox.history();
  }

  private long requestBackup(Long id) throws Exception {
    int known = history().instances(PROCESS_ID).size();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://localhost:" + sandbox.orchestratorPort() + "/api/clusters/" + Sandbox.CLUSTER + "/backups"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(id == null ? "{}" : "{\"backupId\": " + id + "}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return history().awaitNewInstance(PROCESS_ID, known, TIMEOUT);
  }

  private void awaitActivated(long run, String elementId) throws Exception {
    await(elementId + " reached", () -> history().steps(run).stream().anyMatch(step -> step.elementId().equals(elementId)));
  }

  private void await(String what, BooleanSupplier condition) throws Exception {
    Await.until(what, TIMEOUT, Duration.ofMillis(100), condition::getAsBoolean);
  }

  private void assertFailedAndLeftAsFound(long run, long id, String reason) throws Exception {
    assertThat(history().variable(run, "outcome")).as("outcome").contains("FAILED");
    assertThat(history().passedElementIds(run)).contains(FAILED_END).doesNotContain(COMPLETED_END);
    assertThat(String.valueOf(history().variable(run, "failureReason").orElseThrow())).as("failureReason").contains(reason);
    assertThat(history().incidents(run)).isEmpty();
    assertLeftAsFound(id);
  }

  /** Exporting runs, and neither the snapshot repository nor the S3 store holds anything of backup {@code id}. */
  private void assertLeftAsFound(long id) throws Exception {
    assertThat(sandbox.simulator().exportingState()).isEqualTo(ExportingState.RUNNING);
    assertThat(snapshotsOf(id)).as("snapshots of backup %d", id).isEmpty();
    assertThat(s3KeysOf(id)).as("S3 objects of backup %d", id).isEmpty();
  }

  private void assertNextBackupSucceeds() throws Exception {
    long run = requestBackup(null);
    history().awaitEnd(run, TIMEOUT);
    assertThat(history().variable(run, "outcome")).as("next backup; failureReason=%s", history().variable(run, "failureReason")).contains("COMPLETED");
    long id = ((Number) history().variable(run, "backupId").orElseThrow()).longValue();
    assertThat(s3KeysOf(id)).anyMatch(key -> key.startsWith("contents/"));
    assertThat(snapshotsOf(id)).contains("camunda_zeebe_records_backup_" + id);
    assertThat(sandbox.simulator().exportingState()).isEqualTo(ExportingState.RUNNING);
  }

  private List<String> snapshotsOf(long id) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
        URI.create(sandbox.search().url() + "/_snapshot/" + Sandbox.SNAPSHOT_REPOSITORY + "/_all")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    for (JsonNode snapshot : JSON.readTree(response.body()).path("snapshots")) {
      String name = snapshot.path("snapshot").asText();
      if (name.contains("_" + id)) {
        names.add(name);
      }
    }
    return names;
  }

  /**
   * Back to unthrottled snapshots for the next backup. OpenSearch refuses to change a repository
   * while it is in use (a snapshot being deleted by the rollback, say), so this tries for a while.
   */
  private void removeSnapshotThrottle() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        sandbox.search().registerSnapshotRepository(Map.of());
        return;
      } catch (IllegalStateException e) {
        if (!String.valueOf(e.getMessage()).contains("currently used") || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  /** {@code count} documents of about 200 bytes each in {@code index}, which the records snapshot covers. */
  private void indexFillerRecords(String index, int count) throws Exception {
    StringBuilder bulk = new StringBuilder();
    for (int i = 0; i < count; i++) {
      bulk.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"").append(i).append("\"}}\n");
      bulk.append("{\"position\":").append(i).append(",\"filler\":\"").append(randomText()).append("\"}\n");
    }
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(sandbox.search().url() + "/_bulk?refresh=true"))
        .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(bulk.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).path("errors").asBoolean()).as("bulk errors").isFalse();
  }

  /** About 290 characters of random UUIDs: stored fields compress, so the filler must not repeat itself. */
  private static String randomText() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      text.append(java.util.UUID.randomUUID());
    }
    return text.toString();
  }

  private String snapshotState(String name) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
        URI.create(sandbox.search().url() + "/_snapshot/" + Sandbox.SNAPSHOT_REPOSITORY + "/" + name)).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body()).path("snapshots").path(0).path("state").asText(response.body());
  }

  private List<String> s3KeysOf(long id) {
    try (S3Client s3 = sandbox.s3Client()) {
      return s3.listObjectsV2Paginator(r -> r.bucket(Sandbox.BUCKET)).contents().stream()
          .map(o -> o.key())
          .filter(key -> key.contains("/" + id + "/") && !key.endsWith("/"))
          .toList();
    }
  }
}
