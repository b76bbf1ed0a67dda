package io.github.c8backup.sandbox;

import io.github.c8backup.testing.Await;

import static io.github.c8backup.backup.BackupProcessModel.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.c8backup.database.PostgresBackups;
import io.github.c8backup.testing.ProcessHistory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The RDBMS path of {@code camunda-backup} (8.9) on the sandbox: a REAL PostgreSQL as the target's
 * secondary storage, backed up with {@code pg_basebackup} by the orchestrator; the simulated brokers
 * export into it and back themselves up continuously into the REAL S3 store every few seconds.
 * Each test requests a backup through the orchestrator's endpoint and checks the result in the
 * storage itself.
 *
 * <p>One sandbox serves every test. The range gap runs last: Zeebe keeps a broken range until
 * retention deletes the backups before the gap, so every later backup would see it too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RdbmsBackupEndToEndTest {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final Duration ZEEBE_SCHEDULE = Duration.ofSeconds(5);
  private static final int PARTITIONS = 3;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private Sandbox sandbox;

  @BeforeAll
  void startSandbox() {
    sandbox = Sandbox.start(Sandbox.Options.rdbms("8.9.1", null, false, Duration.ofSeconds(1), ZEEBE_SCHEDULE));
  }

  @AfterAll
  void stopSandbox() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  @Order(1)
  void backsUpTheDatabaseThenZeebeWithAGeneratedIdAndOneRangeCoversEveryPartition() throws Exception {
    // given instances exported into PostgreSQL, and Zeebe's own schedule running
    for (int i = 0; i < 5; i++) {
      sandbox.simulator().createProcessInstance("order-process");
    }
    await("a scheduled Zeebe backup", () -> !zeebeState().path("backupStates").isEmpty());

    // when
    long run = requestBackup();
    history().awaitEnd(run, TIMEOUT);

    // then the run took the RDBMS path, database first, without pausing anything
    assertThat(history().variable(run, "outcome")).as("failureReason=%s", history().variable(run, "failureReason")).contains("COMPLETED");
    assertThat(history().passedElementIds(run))
        .containsSubsequence(CHECK_CONTINUOUS, BACKUP_DATABASE, TAKE_ZEEBE_GENERATED, VERIFY_COVERAGE, COMPLETED_END)
        .doesNotContain(SOFT_PAUSE + V86, SOFT_PAUSE + V88, TAKE_BACKUP, REMOVE_PARTIAL_DATABASE_BACKUP);
    assertThat(String.valueOf(history().variable(run, "continuousBackups").orElseThrow())).contains("warnings=[]");

    // the database backup is real and passes pg_verifybackup
    String label = databaseBackupLabel(run);
    assertThat(label).isEqualTo("camunda-" + Sandbox.CLUSTER + "-" + run + "-" + history().variable(run, "startedAt").orElseThrow());
    assertThat(sandbox.postgres().backupDirectory().resolve(label)).isDirectory();
    assertThat(new PostgresBackups(sandbox.postgres().settings()).verify(label).passed()).isTrue();

    // the Zeebe backup with the generated ID is COMPLETED on every partition in S3
    long backupId = ((Number) history().variable(run, "backupId").orElseThrow()).longValue();
    assertZeebeBackupCompletedInS3(backupId);

    // one range per partition, reaching this backup
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> ranges = (List<Map<String, Object>>) history().variable(run, "backupRanges").orElseThrow();
    Set<Integer> covered = new TreeSet<>();
    for (Map<String, Object> range : ranges) {
      covered.add(((Number) range.get("partitionId")).intValue());
      assertThat(((Number) ((Map<?, ?>) range.get("to")).get("checkpointId")).longValue()).as("end of %s", range).isGreaterThanOrEqualTo(backupId);
    }
    assertThat(covered).containsExactly(1, 2, 3);
    assertThat(ranges).hasSize(PARTITIONS);

    // and no secret became a variable (Operate shows variables to everyone)
    assertThat(history().variables(run).toString())
        .doesNotContain(sandbox.postgres().password(), sandbox.s3().secretKey());
  }

  @Test
  @Order(2)
  void brokersWithoutContinuousBackupsFailTheRunWithZeebesReasonAndItsDatabaseBackupIsRemoved() throws Exception {
    // given the brokers restarted with continuous backups (and so the schedule) off
    sandbox.restartTarget(settings -> settings.continuousBackups(false).backupSchedule(null));
    try {
      // when
      long run = requestBackup();
      history().awaitEnd(run, TIMEOUT);

      // then Zeebe's 400 reason is the run's, and the database backup taken before it is gone
      assertThat(history().variable(run, "outcome")).contains("FAILED");
      assertThat(history().passedElementIds(run))
          .containsSubsequence(BACKUP_DATABASE, RDBMS_BACKUP_FAILED, REMOVE_PARTIAL_DATABASE_BACKUP, RDBMS_FAILED_END)
          .doesNotContain(COMPLETED_END, COVERAGE_GAP_END);
      assertThat(String.valueOf(history().variable(run, "failureReason").orElseThrow()))
          .contains("Take Zeebe backup (generated ID)", "HTTP 400", "A backupId must be provided and it must be > 0");
      assertThat(history().incidents(run)).isEmpty();
      String label = "camunda-" + Sandbox.CLUSTER + "-" + run + "-" + history().variable(run, "startedAt").orElseThrow();
      assertThat(history().variable(run, "removedParts")).hasValue(List.of("database:" + label));
      assertThat(backupFolders()).as("base backups left").noneMatch(name -> name.contains("camunda-" + Sandbox.CLUSTER + "-" + run));
    } finally {
      sandbox.restartTarget(settings -> settings.continuousBackups(true).backupSchedule(ZEEBE_SCHEDULE));
    }
  }

  @Test
  @Order(3)
  void aRangeGapCompletesTheBackupButRaisesTheGapNamingEveryPartition() throws Exception {
    // given a gap in Zeebe's log after a backup, taken into the backups by a scheduled backup after it
    await("a scheduled Zeebe backup", () -> !zeebeState().path("ranges").isEmpty());
    int rangesBefore = zeebeState().path("ranges").size();
    sandbox.simulator().faults().breakBackupRange();
    await("a scheduled backup after the gap", () -> zeebeState().path("ranges").size() > rangesBefore);

    // when
    long run = requestBackup();
    history().awaitEnd(run, TIMEOUT);

    // then the backups stay and the gap is raised at its own end
    assertThat(history().variable(run, "outcome")).as("failureReason=%s", history().variable(run, "failureReason")).contains("COMPLETED_WITH_GAP");
    // (the verification ends by raising the gap as a BPMN error, so it counts as terminated, not passed)
    assertThat(history().steps(run).stream().map(ProcessHistory.Step::elementId)).contains(VERIFY_COVERAGE);
    assertThat(history().passedElementIds(run))
        .containsSubsequence(BACKUP_DATABASE, TAKE_ZEEBE_GENERATED, COVERAGE_GAP, COVERAGE_GAP_END)
        .doesNotContain(COMPLETED_END, REMOVE_PARTIAL_DATABASE_BACKUP);
    assertThat(String.valueOf(history().variable(run, "coverageProblems").orElseThrow()))
        .contains("partition 1 has 2 backup ranges", "partition 2 has 2 backup ranges", "partition 3 has 2 backup ranges");
    String label = databaseBackupLabel(run);
    assertThat(new PostgresBackups(sandbox.postgres().settings()).verify(label).passed()).isTrue();
    assertZeebeBackupCompletedInS3(((Number) history().variable(run, "backupId").orElseThrow()).longValue());
  }

  // ---------------------------------------------------------------------------------------------

  private ProcessHistory history() {
    return sandbox.history();
  }

  private long requestBackup() throws Exception {
    int known = history().instances(PROCESS_ID).size();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://localhost:" + sandbox.orchestratorPort() + "/api/clusters/" + Sandbox.CLUSTER + "/backups"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return history().awaitNewInstance(PROCESS_ID, known, TIMEOUT);
  }

  private String databaseBackupLabel(long run) {
    Map<?, ?> databaseBackup = (Map<?, ?>) history().variable(run, "databaseBackup").orElseThrow();
    assertThat(databaseBackup.get("verified")).isEqualTo(true);
    return String.valueOf(databaseBackup.get("label"));
  }

  /** Zeebe's {@code backupRuntime/state}, asked from the simulated brokers directly. */
  private JsonNode zeebeState() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
        URI.create(sandbox.simulator().zeebeManagementUrl() + "/actuator/backupRuntime/state")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private void assertZeebeBackupCompletedInS3(long backupId) throws Exception {
    try (S3Client s3 = sandbox.s3Client()) {
      for (int partition = 1; partition <= PARTITIONS; partition++) {
        String key = "manifests/" + partition + "/" + backupId + "/0/manifest.json";
        byte[] manifest = s3.getObjectAsBytes(r -> r.bucket(Sandbox.BUCKET).key(key)).asByteArray();
        assertThat(JSON.readTree(manifest).get("state").asText()).as(key).isEqualTo("COMPLETED");
      }
    }
  }

  /** Every entry of the backup folder, hidden partial ones included. */
  private List<String> backupFolders() throws Exception {
    Path folder = sandbox.postgres().backupDirectory();
    if (!Files.exists(folder)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.map(path -> path.getFileName().toString()).toList();
    }
  }

  private void await(String what, Await.Condition condition) throws Exception {
    Await.until(what, TIMEOUT, Duration.ofMillis(200), condition);
  }
}
