package io.github.c8backup.sandbox;

import io.github.c8backup.testing.Await;

import static io.github.c8backup.restore.RestoreProcessModel.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.c8backup.backup.BackupProcessModel;
import io.github.c8backup.testing.ProcessHistory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The point-in-time restore of {@code camunda-restore} (8.9, reference 7.5) end to end on the RDBMS
 * sandbox: a REAL PostgreSQL recovered from a real {@code pg_basebackup} and its real WAL archive,
 * the simulated brokers restored from their continuous backups in the REAL S3 store, everything
 * requested through the orchestrator's endpoint and followed in the control engine. What a restore
 * leaves is checked where it lives: the brokers' own state and the database's rows.
 *
 * <p>One sandbox serves every test. A base backup is taken first through the orchestrator (the
 * database's recoverable window starts at its end). The range gap runs last: Zeebe keeps a broken
 * range until retention deletes the backups before the gap.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RdbmsRestoreEndToEndTest {

  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final Duration ZEEBE_SCHEDULE = Duration.ofSeconds(3);
  /** Distance between T and any commit on either side, so the recovery cannot catch a neighbour. */
  private static final Duration QUIET = Duration.ofMillis(1500);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LATE_PROCESS = "late-process";

  private final HttpClient http = HttpClient.newHttpClient();
  private Sandbox sandbox;

  @BeforeAll
  void startSandboxAndTakeABaseBackup() throws Exception {
    long started = System.nanoTime();
    sandbox = Sandbox.start(Sandbox.Options.rdbms("8.9.1", null, false, Duration.ofSeconds(1), ZEEBE_SCHEDULE));
    log("sandbox started in %d ms", (System.nanoTime() - started) / 1_000_000);
    // the orchestrator's RDBMS backup: a pg_basebackup (the start of the recoverable window), then a Zeebe backup
    long run = requestBackup();
    assertThat(history().variable(run, "outcome")).as("failureReason=%s", history().variable(run, "failureReason")).contains("COMPLETED");
    log("first backup (base backup + Zeebe) done after %d ms", (System.nanoTime() - started) / 1_000_000);
  }

  @AfterAll
  void stopSandbox() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  @Order(1)
  void restoreToTKeepsWhatWasThereAtTAndLosesWhatCameAfterInBrokersAndDatabase() throws Exception {
    // given instances A, covered by a Zeebe backup and archived in the WAL
    List<Long> a = createInstances(3);
    Instant afterA = Instant.now();
    awaitZeebeBackupAfter(afterA);
    sandbox.postgres().switchWalAndAwaitArchived();
    Thread.sleep(QUIET.toMillis());
    Instant t = Instant.now();
    Thread.sleep(QUIET.toMillis());
    // and instances B after T, also covered by a Zeebe backup and archived
    List<Long> b = createInstances(3);
    Instant afterB = Instant.now();
    awaitZeebeBackupAfter(afterB);
    sandbox.postgres().switchWalAndAwaitArchived();
    assertThat(databaseKeys()).containsAll(a).containsAll(b);

    // when
    long started = System.nanoTime();
    long run = restore("\"" + t + "\"");
    log("restore to T took %d ms (PostgreSQL recovery %d ms)", (System.nanoTime() - started) / 1_000_000,
        sandbox.postgres().lastRecoveryTime().toMillis());

    // then the run went database first, then brokers with --to=T
    assertRestored(run);
    assertThat(String.valueOf(history().variable(run, "brokerRestore").orElseThrow())).contains("Successfully restored broker");
    assertThat(String.valueOf(history().variable(run, "restorePlanText").orElseThrow())).contains("--to=" + t);
    // A is there and B is not, in the brokers and in the real database
    assertThat(sandbox.simulator().processInstanceKeys()).containsAll(a).doesNotContainAnyElementsOf(b);
    assertThat(databaseKeys()).containsAll(a).doesNotContainAnyElementsOf(b);
    // the brokers keep exporting into the recovered database: a new instance arrives
    // (its key is B's key on partition 1 again: the restored key generator continues from A, as Zeebe's does)
    long c = sandbox.simulator().createProcessInstance(LATE_PROCESS);
    await("the new instance in PostgreSQL", () -> LATE_PROCESS.equals(databaseRows().get(c)));
    List<Long> onlyB = b.stream().filter(key -> key != c).toList();

    // when restored again, to "latest"
    awaitZeebeBackupAfter(Instant.now());
    sandbox.postgres().switchWalAndAwaitArchived();
    started = System.nanoTime();
    long latest = restore("\"latest\"");
    log("restore to latest took %d ms (PostgreSQL recovery %d ms)", (System.nanoTime() - started) / 1_000_000,
        sandbox.postgres().lastRecoveryTime().toMillis());

    // then
    assertRestored(latest);
    assertThat(String.valueOf(history().variable(latest, "restorePlanText").orElseThrow())).contains("default mode");
    List<Long> brokers = sandbox.simulator().processInstanceKeys();
    Map<Long, String> database = databaseRows();
    log("after latest: brokers hold A=%s B=%s C=%s; database holds A=%s B=%s C=%s (row of C's key: %s)",
        brokers.containsAll(a), brokers.stream().anyMatch(onlyB::contains), brokers.contains(c),
        database.keySet().containsAll(a), database.keySet().stream().anyMatch(onlyB::contains), database.containsKey(c), database.get(c));
    // "latest" is the newest state of the database's NEWEST timeline: the recovery to T branched a
    // new timeline at T, and recovery_target_timeline=latest follows it, so B (only on the old
    // timeline) is not in the database. The brokers' default mode starts at the database's
    // EXPORTER_POSITION and applies the later backups of the range: the backups taken after the
    // restore to T, which hold A and C but not B. So "latest" means "the latest state since the
    // last restore", and B, although a backup once held it, does not come back.
    assertThat(brokers).containsAll(a).contains(c).doesNotContainAnyElementsOf(onlyB);
    assertThat(database.keySet()).containsAll(a).doesNotContainAnyElementsOf(onlyB);
    assertThat(database.get(c)).isEqualTo(LATE_PROCESS);

    // when restored back onto history 1, the one the restore to T left: the undo of that restore
    started = System.nanoTime();
    long back = restore("\"latest\"", 1);
    log("restore to latest on history 1 took %d ms (PostgreSQL recovery %d ms)", (System.nanoTime() - started) / 1_000_000,
        sandbox.postgres().lastRecoveryTime().toMillis());

    // then the database went along timeline 1 and the brokers from history 1's backups, which
    // Zeebe's metadata no longer lists: A and B are back in both, C is gone
    assertRestored(back);
    String plan = String.valueOf(history().variable(back, "restorePlanText").orElseThrow());
    assertThat(plan).contains("on history 1 (an earlier history", "recovery_target_timeline = '1'", "--backupId=",
        "history 1: from", "(left by the restore at", "history 3 (current)");
    assertThat(currentTimeline()).isEqualTo(4);
    brokers = sandbox.simulator().processInstanceKeys();
    database = databaseRows();
    assertThat(brokers).containsAll(a).containsAll(b);
    assertThat(database.keySet()).containsAll(a).containsAll(b);
    // after the restore to T Zeebe reused B's key for C; on history 1 that key is B's instance again
    assertThat(database.get(c)).isNotEqualTo(LATE_PROCESS);
  }

  @Test
  @Order(2)
  void anUnknownHistoryIsRefusedWithTheHistoriesListedAndTheTargetUntouched() throws Exception {
    String reason = refusedRestore("\"latest\"", 9);

    assertThat(reason).contains("has no history 9", "Histories: history 1: from", "(left by the restore at", "(current)");
  }

  @Test
  @Order(3)
  void aTimeBeforeTheEarliestBackupIsRefusedWithTheTargetUntouched() throws Exception {
    Instant tooEarly = Instant.now().minus(Duration.ofHours(1));

    String reason = refusedRestore("\"" + tooEarly + "\"");

    assertThat(reason).contains("before the earliest restorable moment", "none before", "(after)");
  }

  @Test
  @Order(4)
  void aTimeAfterTheNewestArchivedWalIsRefusedWithTheTargetUntouched() throws Exception {
    Instant tooLate = Instant.now().plus(Duration.ofMinutes(10));

    String reason = refusedRestore("\"" + tooLate + "\"");

    assertThat(reason).contains("after the latest restorable moment", "(before)", "none after");
  }

  @Test
  @Order(5)
  void aClusterWithoutContinuousBackupsIsRefusedWithTheTargetUntouched() throws Exception {
    sandbox.restartTarget(settings -> settings.continuousBackups(false).backupSchedule(null));
    try {
      String reason = refusedRestore("\"latest\"");

      assertThat(reason).contains("continuous backups");
    } finally {
      sandbox.restartTarget(settings -> settings.continuousBackups(true).backupSchedule(ZEEBE_SCHEDULE));
    }
  }

  @Test
  @Order(6)
  void aTimeInAZeebeBackupRangeGapIsRefusedWithTheTargetUntouched() throws Exception {
    // given a gap in Zeebe's log, with scheduled backups on both sides and the WAL archived past it
    awaitZeebeBackupAfter(Instant.now());
    int rangesBefore = zeebeState().path("ranges").size();
    sandbox.simulator().faults().breakBackupRange();
    await("a scheduled backup after the gap", () -> zeebeState().path("ranges").size() > rangesBefore);
    sandbox.postgres().switchWalAndAwaitArchived();
    Instant gapStart = Instant.MIN;
    Instant gapEnd = Instant.MAX;
    for (int partition = 1; partition <= 3; partition++) {
      List<JsonNode> ranges = new ArrayList<>();
      for (JsonNode range : zeebeState().path("ranges")) {
        if (range.path("partitionId").asInt() == partition) {
          ranges.add(range);
        }
      }
      Instant end = Instant.parse(ranges.get(ranges.size() - 2).path("end").path("checkpointTimestamp").asText());
      Instant start = Instant.parse(ranges.getLast().path("start").path("checkpointTimestamp").asText());
      gapStart = end.isAfter(gapStart) ? end : gapStart;
      gapEnd = start.isBefore(gapEnd) ? start : gapEnd;
    }
    Instant inGap = gapStart.plus(Duration.between(gapStart, gapEnd).dividedBy(2));

    String reason = refusedRestore("\"" + inGap + "\"");

    assertThat(reason).contains("in a gap", "(before)", "(after)");
  }

  // ---------------------------------------------------------------------------------------------

  /** What a destructive step would change: the database's rows, its timeline and server process, the brokers' state. */
  private record Fingerprint(List<Long> databaseKeys, Map<Integer, Long> exporterPositions, long timeline, long postgresPid,
      boolean brokersRunning, List<Long> brokerKeys) {}

  private long currentTimeline() throws Exception {
    try (Connection connection = sandbox.postgres().superuserConnection(); Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT timeline_id FROM pg_control_checkpoint()")) {
      row.next();
      return row.getLong(1);
    }
  }

  private Fingerprint fingerprint() throws Exception {
    long timeline = currentTimeline();
    boolean running = sandbox.simulator().brokersRunning();
    return new Fingerprint(databaseKeys(), exporterPositions(), timeline, sandbox.postgres().processHandle().pid(), running,
        running ? sandbox.simulator().processInstanceKeys().stream().sorted().toList() : List.of());
  }

  /**
   * Requests a restore that the preflight must refuse, and proves the target untouched: same rows,
   * same timeline and server process (PostgreSQL was neither stopped nor recovered), brokers
   * running throughout with the same instances. The exporter positions may only grow: the running
   * brokers' scheduled checkpoints advance the log and are exported; a restore would lower them.
   */
  private String refusedRestore(String pointInTime) throws Exception {
    return refusedRestore(pointInTime, null);
  }

  private String refusedRestore(String pointInTime, Integer onHistory) throws Exception {
    // given
    Fingerprint before = fingerprint();

    // when
    long run = restore(pointInTime, onHistory);

    // then
    // (the preflight ends by throwing the BPMN error, so it counts as terminated, not passed)
    assertThat(history().steps(run).stream().map(ProcessHistory.Step::elementId)).contains(RDBMS_PREFLIGHT);
    assertThat(history().passedElementIds(run)).contains(RDBMS_PREFLIGHT_REFUSED, RDBMS_PREFLIGHT_FAILED_END)
        .doesNotContain(APPROVAL_NEEDED, STOP, RECOVER_DATABASE, RESTORE_BROKERS_RDBMS, START, RESTORED_END);
    assertThat(history().incidents(run)).isEmpty();
    Fingerprint after = fingerprint();
    assertThat(after.databaseKeys()).isEqualTo(before.databaseKeys());
    assertThat(after.timeline()).isEqualTo(before.timeline());
    assertThat(after.postgresPid()).isEqualTo(before.postgresPid());
    assertThat(after.brokersRunning()).isTrue();
    assertThat(before.brokersRunning()).isTrue();
    assertThat(after.brokerKeys()).isEqualTo(before.brokerKeys());
    assertThat(after.exporterPositions().keySet()).isEqualTo(before.exporterPositions().keySet());
    before.exporterPositions().forEach((partition, position) ->
        assertThat(after.exporterPositions().get(partition)).as("partition %d", partition).isGreaterThanOrEqualTo(position));
    String reason = String.valueOf(history().variable(run, "failureReason").orElseThrow());
    log("refused: %s", reason);
    assertThat(reason).contains("refused, nothing was changed");
    return reason;
  }

  private void assertRestored(long run) {
    assertThat(history().variable(run, "outcome")).as("failureReason=%s, incidents=%s",
        history().variable(run, "failureReason"), history().incidents(run)).contains("RESTORED");
    assertThat(history().passedElementIds(run)).containsSubsequence(RDBMS_PREFLIGHT, STOP, RECOVER_DATABASE,
        RESTORE_BROKERS_RDBMS, START, CHECK_HEALTH, VERIFY, RESTORED_END);
    assertThat(sandbox.simulator().brokersRunning()).isTrue();
  }

  private ProcessHistory history() {
    return sandbox.history();
  }

  /** Posts a pre-approved restore to {@code pointInTime} (JSON) and waits for the run's end; an incident fails at once. */
  private long restore(String pointInTime) throws Exception {
    return restore(pointInTime, null);
  }

  /** As {@link #restore(String)}, on database history {@code onHistory} (null: the current one). */
  private long restore(String pointInTime, Integer onHistory) throws Exception {
    int known = history().instances(PROCESS_ID).size();
    HttpResponse<String> response = post("/api/clusters/" + Sandbox.CLUSTER + "/restores",
        "{\"pointInTime\": " + pointInTime + (onHistory == null ? "" : ", \"history\": " + onHistory) + ", \"preApproved\": true}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    long run = history().awaitNewInstance(PROCESS_ID, known, TIMEOUT);
    await("the end of restore " + run, () -> {
      List<String> incidents = history().incidents(run);
      if (!incidents.isEmpty()) {
        // a running restore holds its cluster's run: no later request could start; cancel the run (the root)
        sandbox.orchestrator().getBean(io.camunda.client.CamundaClient.class).newCancelInstanceCommand(history().parentOf(run)).send().join();
        throw new AssertionError("restore " + run + " stopped at an incident: " + incidents);
      }
      // ended with its run (camunda-cluster-run), which ends just after: until then a next request is skipped
      return history().isEnded(run) && history().isEnded(history().parentOf(run));
    });
    return run;
  }

  private long requestBackup() throws Exception {
    int known = history().instances(BackupProcessModel.PROCESS_ID).size();
    HttpResponse<String> response = post("/api/clusters/" + Sandbox.CLUSTER + "/backups", null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    long run = history().awaitNewInstance(BackupProcessModel.PROCESS_ID, known, TIMEOUT);
    history().awaitEnd(run, TIMEOUT);
    return run;
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + sandbox.orchestratorPort() + path));
    if (body == null) {
      request.POST(HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private List<Long> createInstances(int count) {
    List<Long> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(sandbox.simulator().createProcessInstance("order-process", Map.of("n", i)));
    }
    return keys;
  }

  /** Waits until every partition's newest completed Zeebe backup was checkpointed after {@code moment}. */
  private void awaitZeebeBackupAfter(Instant moment) throws Exception {
    await("a Zeebe backup after " + moment, () -> {
      JsonNode states = zeebeState().path("backupStates");
      if (states.size() < 3) {
        return false;
      }
      for (JsonNode state : states) {
        if (!Instant.parse(state.path("checkpointTimestamp").asText()).isAfter(moment)) {
          return false;
        }
      }
      return true;
    });
  }

  /** Zeebe's {@code backupRuntime/state}, asked from the simulated brokers directly. */
  private JsonNode zeebeState() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
        URI.create(sandbox.simulator().zeebeManagementUrl() + "/actuator/backupRuntime/state")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private Connection database() throws Exception {
    return DriverManager.getConnection(sandbox.postgres().jdbcUrl(), sandbox.postgres().username(), sandbox.postgres().password());
  }

  private List<Long> databaseKeys() throws Exception {
    List<Long> keys = new ArrayList<>();
    try (Connection connection = database(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT PROCESS_INSTANCE_KEY FROM PROCESS_INSTANCE ORDER BY 1")) {
      while (rows.next()) {
        keys.add(rows.getLong(1));
      }
    }
    return keys;
  }

  /** Every row of PROCESS_INSTANCE: key to process definition ID. */
  private Map<Long, String> databaseRows() throws Exception {
    Map<Long, String> rows = new TreeMap<>();
    try (Connection connection = database(); Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT PROCESS_INSTANCE_KEY, PROCESS_DEFINITION_ID FROM PROCESS_INSTANCE")) {
      while (row.next()) {
        rows.put(row.getLong(1), row.getString(2));
      }
    }
    return rows;
  }

  private Map<Integer, Long> exporterPositions() throws Exception {
    Map<Integer, Long> positions = new TreeMap<>();
    try (Connection connection = database(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT PARTITION_ID, LAST_EXPORTED_POSITION FROM EXPORTER_POSITION")) {
      while (rows.next()) {
        positions.put(rows.getInt(1), rows.getLong(2));
      }
    }
    return positions;
  }

  private static void log(String format, Object... args) {
    System.out.println("[rdbms-restore-e2e] " + String.format(format, args));
  }

  private void await(String what, Await.Condition condition) throws Exception {
    Await.until(what, TIMEOUT, Duration.ofMillis(200), condition);
  }
}
