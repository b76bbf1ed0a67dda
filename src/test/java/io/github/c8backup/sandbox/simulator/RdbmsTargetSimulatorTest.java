package io.github.c8backup.sandbox.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.github.c8backup.sandbox.storage.PostgresProcess;
import io.github.c8backup.sandbox.storage.S3ProxyProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator's 8.9 target with RDBMS secondary storage against a REAL PostgreSQL (as nobody) and
 * a real S3 store (S3Proxy): continuous backups with generated IDs, backup ranges and the
 * {@code backupRuntime/state} endpoint (reference 2.3, 6.3, 9), the exporter's rows and positions,
 * and the restore application's default and {@code --to} modes aligned to {@code EXPORTER_POSITION}
 * (reference 7.5). Every test has a simulator, an S3 base path and a PostgreSQL schema of its own;
 * "the database restored to an earlier point" is a copy of its two tables taken at that point.
 */
class RdbmsTargetSimulatorTest {

  private static final String RUNTIME = "/actuator/backupRuntime";
  private static final long OFFSET = 1_000_000_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final AtomicInteger TESTS = new AtomicInteger();

  private static PostgresProcess postgres;
  private static S3ProxyProcess store;

  private String schema;
  private CamundaTargetSimulator simulator;

  @BeforeAll
  static void startStorage() {
    postgres = PostgresProcess.start("camunda");
    store = S3ProxyProcess.start("zeebe-backups");
  }

  @AfterAll
  static void stopStorage() {
    for (AutoCloseable closeable : new AutoCloseable[] {store, postgres}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        // keep closing the rest
      }
    }
  }

  @BeforeEach
  void ownSchema() throws SQLException {
    schema = "test_" + TESTS.incrementAndGet();
    sql("CREATE SCHEMA " + schema);
  }

  @AfterEach
  void closeSimulator() {
    if (simulator != null) {
      simulator.close();
    }
  }

  private SimulatorSettings.Builder settings() {
    return SimulatorSettings.builder()
        .camundaVersion("8.9.1")
        .partitions(3)
        .backupDuration(Duration.ofMillis(200))
        .s3(store.endpoint(), store.region(), store.accessKey(), store.secretKey(), store.bucket())
        .s3BasePath("rdbms-" + schema)
        .rdbms(jdbcUrl(), postgres.username(), postgres.password())
        .continuousBackups(true)
        .backupIdOffset(OFFSET);
  }

  private CamundaTargetSimulator start(SimulatorSettings.Builder settings) {
    simulator = CamundaTargetSimulator.start(settings.build());
    return simulator;
  }

  // ------------------------------------------------------------------------- continuous backups

  @Test
  void scheduledBackupsGetGeneratedIncreasingIdsAndFormOneRangePerPartition() {
    // given
    Instant before = Instant.now();
    start(settings().backupSchedule(Duration.ofMillis(700)));

    // when
    await().atMost(Duration.ofSeconds(20)).until(() -> completedIds().size() >= 3);
    JsonNode state = get(RUNTIME + "/state").json();

    // then
    List<Long> ids = completedIds();
    assertThat(ids).isSorted().doesNotHaveDuplicates();
    for (long id : ids) {
      // epoch milliseconds of the checkpoint plus the configured offset (CheckpointIdGenerator, reference 1.2)
      assertThat(Instant.ofEpochMilli(id - OFFSET)).isBetween(before, Instant.now());
    }
    assertThat(state.path("ranges")).hasSize(3);
    for (JsonNode range : state.path("ranges")) {
      assertThat(range.path("start").path("checkpointId").asLong()).isEqualTo(ids.getFirst());
      assertThat(range.path("end").path("checkpointId").asLong()).isGreaterThanOrEqualTo(ids.get(2));
      assertThat(range.path("start").path("checkpointType").asText()).isEqualTo("SCHEDULED_BACKUP");
    }
  }

  @Test
  void stateReportsTheLatestCheckpointAndBackupPerPartitionAndRangesWithNestedStartAndEnd() {
    // given
    start(settings());
    createInstances(3);
    long first = takeBackup();
    createInstances(3);
    long second = takeBackup();

    // when
    JsonNode state = get(RUNTIME + "/state").json();

    // then
    assertThat(state.path("checkpointStates")).hasSize(3);
    for (JsonNode checkpoint : state.path("checkpointStates")) {
      assertThat(fieldNames(checkpoint)).containsExactly(
          "checkpointId", "partitionId", "checkpointType", "checkpointPosition", "checkpointTimestamp");
      assertThat(checkpoint.path("checkpointId").asLong()).isEqualTo(second);
      assertThat(checkpoint.path("checkpointType").asText()).isEqualTo("MANUAL_BACKUP");
    }
    assertThat(state.path("backupStates")).hasSize(3);
    for (JsonNode backup : state.path("backupStates")) {
      assertThat(fieldNames(backup)).containsExactly("checkpointId", "partitionId", "checkpointType",
          "checkpointPosition", "checkpointTimestamp", "firstLogPosition");
      int partition = backup.path("partitionId").asInt();
      assertThat(backup.path("checkpointPosition").asLong()).isEqualTo(simulator.position(partition));
      assertThat(Instant.parse(backup.path("checkpointTimestamp").asText()).toEpochMilli()).isEqualTo(second - OFFSET);
    }
    JsonNode range = state.path("ranges").get(0);
    assertThat(fieldNames(range)).containsExactly("partitionId", "start", "end");
    assertThat(fieldNames(range.path("start"))).containsExactly(
        "checkpointId", "checkpointType", "checkpointPosition", "checkpointTimestamp", "firstLogPosition");
    assertThat(range.path("start").path("checkpointId").asLong()).isEqualTo(first);
    assertThat(range.path("start").path("firstLogPosition").asLong()).isEqualTo(1);
    assertThat(range.path("end").path("checkpointId").asLong()).isEqualTo(second);
    // the second backup carries the log from where the first one ends
    assertThat(range.path("end").path("firstLogPosition").asLong())
        .isEqualTo(range.path("start").path("checkpointPosition").asLong() + 1);
  }

  @Test
  void aBackupRequestedWithoutBodyGetsAGeneratedIdAndIsAManualBackup() {
    // given
    start(settings());
    long before = Instant.now().toEpochMilli() + OFFSET;

    // when
    Reply taken = call("POST", RUNTIME, null);

    // then
    assertThat(taken.status()).isEqualTo(202);
    long id = taken.json().path("backupId").asLong();
    assertThat(id).isBetween(before, Instant.now().toEpochMilli() + OFFSET);
    assertThat(taken.json().path("message").asText()).isEqualTo(
        "A backup with id " + id + " has been scheduled. Use GET actuator/backups/" + id + " to monitor the status.");
    awaitCompleted(id);
    assertThat(get(RUNTIME + "/state").json().path("backupStates").get(0).path("checkpointType").asText())
        .isEqualTo("MANUAL_BACKUP");
  }

  @Test
  void aBackupIdIsRefusedWhileBackupsAreContinuousAndRequiredWhenTheyAreNot() throws SQLException {
    // given
    start(settings());
    Reply withId = call("POST", RUNTIME, "{\"backupId\":" + (Instant.now().toEpochMilli() + OFFSET + 60_000) + "}");
    simulator.close();
    sql("CREATE SCHEMA " + schema + "_b");
    simulator = CamundaTargetSimulator.start(settings().continuousBackups(false).s3BasePath("rdbms-" + schema + "-b")
        .rdbms(jdbcUrl().replace(schema, schema + "_b"), postgres.username(), postgres.password()).build());

    // when
    Reply withoutId = call("POST", RUNTIME, null);

    // then
    assertThat(withId.status()).isEqualTo(400);
    assertThat(withId.json().path("message").asText()).isEqualTo("Cannot take backup with predetermined backupId when "
        + "continuous backups are enabled. Use POST actuator/backupRuntime without specifying a backupId.");
    assertThat(withoutId.status()).isEqualTo(400);
    assertThat(withoutId.json().path("message").asText()).isEqualTo("A backupId must be provided and it must be > 0");
    assertThat(get(RUNTIME).json()).isEmpty();
  }

  @Test
  void aFailedBackupKeepsTheRangeButACompactedLogGapStartsASecondOne() {
    // given
    start(settings());
    createInstances(3);
    long first = takeBackup();
    simulator.faults().failNextZeebeBackup();
    long failed = call("POST", RUNTIME, null).json().path("backupId").asLong();
    await().atMost(Duration.ofSeconds(10)).until(() -> get(RUNTIME + "/" + failed).json().path("state").asText().equals("FAILED"));
    createInstances(3);
    long afterFailure = takeBackup();
    JsonNode oneRange = get(RUNTIME + "/state").json().path("ranges");

    // when
    simulator.faults().breakBackupRange();
    createInstances(3);
    long afterGap = takeBackup();
    JsonNode twoRanges = get(RUNTIME + "/state").json().path("ranges");

    // then
    assertThat(oneRange).hasSize(3);
    assertThat(oneRange.get(0).path("start").path("checkpointId").asLong()).isEqualTo(first);
    assertThat(oneRange.get(0).path("end").path("checkpointId").asLong()).isEqualTo(afterFailure);
    assertThat(rangesOf(twoRanges, 1)).containsExactly(List.of(first, afterFailure), List.of(afterGap, afterGap));
    assertThat(rangesOf(twoRanges, 2)).containsExactly(List.of(first, afterFailure), List.of(afterGap, afterGap));
    JsonNode gapStart = twoRanges.get(1).path("start");
    assertThat(gapStart.path("firstLogPosition").asLong())
        .isGreaterThan(twoRanges.get(0).path("end").path("checkpointPosition").asLong() + 1);
  }

  @Test
  void deletingABackupInTheMiddleOfARangeSplitsIt() {
    // given
    start(settings());
    createInstances(3);
    long first = takeBackup();
    createInstances(3);
    long middle = takeBackup();
    createInstances(3);
    long last = takeBackup();

    // when
    Reply deleted = call("DELETE", RUNTIME + "/" + middle, null);

    // then
    assertThat(deleted.status()).isEqualTo(204);
    JsonNode ranges = get(RUNTIME + "/state").json().path("ranges");
    for (int partition = 1; partition <= 3; partition++) {
      assertThat(rangesOf(ranges, partition)).containsExactly(List.of(first, first), List.of(last, last));
    }
  }

  // ------------------------------------------------------------------------- exporter

  @Test
  void theExporterWritesInstancesAndTheExportedPositionPerPartitionIntoPostgres() throws SQLException {
    // given
    start(settings());

    // when
    List<Long> keys = createInstances(6);

    // then
    assertThat(databaseKeys()).containsExactlyInAnyOrderElementsOf(keys);
    Map<Integer, Long> positions = exporterPositions();
    for (int partition = 1; partition <= 3; partition++) {
      assertThat(positions.get(partition)).isEqualTo(simulator.position(partition));
    }
    try (Connection connection = connect(); Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT PROCESS_DEFINITION_ID, STATE, PARTITION_ID, EXPORTER "
            + "FROM PROCESS_INSTANCE JOIN EXPORTER_POSITION USING (PARTITION_ID) WHERE PROCESS_INSTANCE_KEY = " + keys.get(1))) {
      assertThat(row.next()).isTrue();
      assertThat(row.getString(1)).isEqualTo("order-process");
      assertThat(row.getString(2)).isEqualTo("ACTIVE");
      assertThat(row.getInt(3)).isEqualTo(2);
      assertThat(row.getString(4)).isEqualTo("rdbms");
    }
  }

  @Test
  void whileExportingIsPausedTheDatabaseGetsNothingAndOnResumeItCatchesUp() throws SQLException {
    // given
    start(settings());
    createInstances(3);
    Map<Integer, Long> positionsBefore = exporterPositions();
    call("POST", "/actuator/exporting/pause", null);

    // when
    List<Long> whilePaused = createInstances(3);
    List<Long> keysWhilePaused = databaseKeys();
    call("POST", "/actuator/exporting/resume", null);

    // then
    assertThat(keysWhilePaused).doesNotContainAnyElementsOf(whilePaused);
    assertThat(databaseKeys()).containsAll(whilePaused);
    assertThat(exporterPositions().get(1)).isGreaterThan(positionsBefore.get(1)).isEqualTo(simulator.position(1));
  }

  @Test
  void withRdbmsSecondaryStorageTheWebappsBackupEndpointDoesNotExist() {
    // given
    start(settings());

    // when
    Reply history = call("POST", "/actuator/backupHistory", "{\"backupId\":1}");

    // then
    assertThat(history.status()).isEqualTo(404);
    assertThat(simulator.indices()).isEmpty();
  }

  // ------------------------------------------------------------------------- restore

  @Test
  void defaultRestoreStartsAtTheDatabasesPositionAndReplaysUpToTheLatestBackupWhichTheDatabaseThenCatchesUp()
      throws Exception {
    // given
    start(settings());
    List<Long> a = createInstances(3);
    long first = takeBackup();
    copyDatabase("at_first");
    List<Long> b = createInstances(3);
    long latest = takeBackup();
    List<Long> c = createInstances(3);
    simulator.stopBrokers();
    restoreDatabase("at_first");
    simulator.wipeBrokerData(0);

    // when
    List<String> log = simulator.restoreBroker(0);
    simulator.startBrokers();

    // then
    assertThat(log).contains("Successfully restored partition 1 from backups [" + first + ", " + latest + "].");
    assertThat(log.getLast()).isEqualTo("Successfully restored broker to global checkpoint " + latest);
    assertThat(simulator.processInstanceKeys()).containsExactlyInAnyOrderElementsOf(concat(a, b));
    // the brokers re-export what the database missed (reference 7.5 step 4)
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(databaseKeys()).containsExactlyInAnyOrderElementsOf(concat(a, b)));
    assertThat(databaseKeys()).doesNotContainAnyElementsOf(c);
  }

  @Test
  void restoreToATimeGivesExactlyTheInstancesOfTheLastBackupBeforeItInBrokerAndDatabase() throws Exception {
    // given
    start(settings());
    List<Long> a = createInstances(3);
    takeBackup();
    Instant restorePoint = Instant.now();
    copyDatabase("at_t");
    List<Long> b = createInstances(3);
    takeBackup();
    simulator.stopBrokers();
    restoreDatabase("at_t");
    simulator.wipeBrokerData(0);

    // when
    simulator.restoreBroker(0, restorePoint);
    simulator.startBrokers();

    // then
    assertThat(simulator.processInstanceKeys()).containsExactlyInAnyOrderElementsOf(a);
    assertThat(databaseKeys()).containsExactlyInAnyOrderElementsOf(a).doesNotContainAnyElementsOf(b);
  }

  @Test
  void restoreToAMarkerCheckpointBetweenTwoBackupsStopsTheLogAtTheMarker() throws Exception {
    // given
    start(settings().checkpointInterval(Duration.ofMillis(400)));
    List<Long> a = createInstances(3);
    takeBackup();
    List<Long> b = createInstances(3);
    long markerSeen = awaitMarkerAfter(simulator.position(1));
    copyDatabase("at_marker");
    Thread.sleep(5);
    // whole milliseconds, as checkpoint timestamps are: no marker of this millisecond can follow C
    Instant restorePoint = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).minusMillis(1);
    List<Long> c = createInstances(3);
    takeBackup();
    simulator.stopBrokers();
    restoreDatabase("at_marker");
    simulator.wipeBrokerData(0);

    // when
    List<String> log = simulator.restoreBroker(0, restorePoint);
    simulator.startBrokers();

    // then
    assertThat(log.getLast()).startsWith("Successfully restored broker to global checkpoint ");
    assertThat(Long.parseLong(log.getLast().replaceAll("\\D+", ""))).isGreaterThanOrEqualTo(markerSeen);
    assertThat(simulator.processInstanceKeys()).containsExactlyInAnyOrderElementsOf(concat(a, b)).doesNotContainAnyElementsOf(c);
    assertThat(databaseKeys()).containsExactlyInAnyOrderElementsOf(concat(a, b));
  }

  @Test
  void restoreToATimeEarlierThanTheDatabaseIsRefusedAndLeavesTheDataDirectoryEmpty() throws Exception {
    // given
    start(settings());
    createInstances(3);
    long first = takeBackup();
    Instant tooEarly = Instant.now();
    createInstances(3); // exported: the database is now beyond the first backup
    takeBackup();
    simulator.stopBrokers();
    simulator.wipeBrokerData(0);

    // when
    Throwable refused = catchThrowable(() -> simulator.restoreBroker(0, tooEarly));

    // then
    assertThat(refused).isInstanceOf(BrokerRestoreFailed.class)
        .hasMessageStartingWith("Cannot restore to --to=" + tooEarly + ": it is earlier than the RDBMS state. Partition 1 has exported position")
        .hasMessageContaining("the latest checkpoint at or before it, " + first);
    assertThat(files(simulator.brokerDataDirectory(0))).isEmpty();
  }

  @Test
  void restoreFailsWhenAPartitionHasNoExporterPosition() throws Exception {
    // given
    start(settings());
    createInstances(3);
    takeBackup();
    simulator.stopBrokers();
    simulator.wipeBrokerData(0);
    sql("DELETE FROM " + schema + ".EXPORTER_POSITION WHERE PARTITION_ID = 2");

    // when
    Throwable failure = catchThrowable(() -> simulator.restoreBroker(0));

    // then
    assertThat(failure).isInstanceOf(BrokerRestoreFailed.class).hasMessage("No exported position found for partition 2 in RDBMS");
    assertThat(files(simulator.brokerDataDirectory(0))).isEmpty();
  }

  @Test
  void defaultRestoreFailsOnARangeGapBetweenTheDatabaseAndTheLatestBackup() throws Exception {
    // given
    start(settings());
    createInstances(3);
    long first = takeBackup();
    copyDatabase("in_first_range");
    simulator.faults().breakBackupRange();
    createInstances(3);
    long afterGap = takeBackup();
    simulator.stopBrokers();
    restoreDatabase("in_first_range");
    simulator.wipeBrokerData(0);

    // when
    Throwable failure = catchThrowable(() -> simulator.restoreBroker(0));

    // then
    assertThat(failure).isInstanceOf(BrokerRestoreFailed.class)
        .hasMessageStartingWith("Partition 1: backup range [" + afterGap + ", " + afterGap + "] does not cover required range ["
            + first + ", " + afterGap + "]")
        .hasMessageEndingWith("Backup ranges: [[" + first + ", " + first + "], [" + afterGap + ", " + afterGap + "]]");
    assertThat(files(simulator.brokerDataDirectory(0))).isEmpty();
  }

  @Test
  void defaultRestoreRefusesADatabaseAheadOfEveryBackup() throws Exception {
    // given
    start(settings());
    createInstances(3);
    long only = takeBackup();
    createInstances(3); // exported, never backed up
    simulator.stopBrokers();
    simulator.wipeBrokerData(0);

    // when
    Throwable failure = catchThrowable(() -> simulator.restoreBroker(0));

    // then
    assertThat(failure).isInstanceOf(BrokerRestoreFailed.class)
        .hasMessageContaining("beyond the latest backup common to all partitions, " + only);
  }

  // ------------------------------------------------------------------------------------- helpers

  private record Reply(int status, JsonNode json) {}

  private String jdbcUrl() {
    return postgres.jdbcUrl() + "?currentSchema=" + schema;
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), postgres.username(), postgres.password());
  }

  private void sql(String statement) throws SQLException {
    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
        Statement s = connection.createStatement()) {
      s.execute(statement);
    }
  }

  /** The database "backed up" at this point: a copy of the exporter's two tables. */
  private void copyDatabase(String name) throws SQLException {
    sql("CREATE TABLE " + schema + ".copy_" + name + "_pi AS SELECT * FROM " + schema + ".PROCESS_INSTANCE");
    sql("CREATE TABLE " + schema + ".copy_" + name + "_ep AS SELECT * FROM " + schema + ".EXPORTER_POSITION");
  }

  /** The database "restored" to the point of {@link #copyDatabase}. */
  private void restoreDatabase(String name) throws SQLException {
    sql("TRUNCATE " + schema + ".PROCESS_INSTANCE, " + schema + ".EXPORTER_POSITION");
    sql("INSERT INTO " + schema + ".PROCESS_INSTANCE SELECT * FROM " + schema + ".copy_" + name + "_pi");
    sql("INSERT INTO " + schema + ".EXPORTER_POSITION SELECT * FROM " + schema + ".copy_" + name + "_ep");
  }

  private List<Long> databaseKeys() throws SQLException {
    List<Long> keys = new ArrayList<>();
    try (Connection connection = connect(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT PROCESS_INSTANCE_KEY FROM PROCESS_INSTANCE")) {
      while (rows.next()) {
        keys.add(rows.getLong(1));
      }
    }
    return keys;
  }

  private Map<Integer, Long> exporterPositions() throws SQLException {
    Map<Integer, Long> positions = new TreeMap<>();
    try (Connection connection = connect(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT PARTITION_ID, LAST_EXPORTED_POSITION FROM EXPORTER_POSITION")) {
      while (rows.next()) {
        positions.put(rows.getInt(1), rows.getLong(2));
      }
    }
    return positions;
  }

  private List<Long> createInstances(int count) {
    List<Long> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(simulator.createProcessInstance("order-process", Map.of("n", i)));
    }
    return keys;
  }

  /** A manual backup without body (continuous backups), awaited until COMPLETED. */
  private long takeBackup() {
    Reply taken = call("POST", RUNTIME, null);
    assertThat(taken.status()).isEqualTo(202);
    long id = taken.json().path("backupId").asLong();
    awaitCompleted(id);
    return id;
  }

  private void awaitCompleted(long id) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> get(RUNTIME + "/" + id).json().path("state").asText().equals("COMPLETED"));
  }

  /** Waits for a MARKER checkpoint above {@code position} on partition 1; returns its ID. */
  private long awaitMarkerAfter(long position) {
    long[] id = new long[1];
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
      JsonNode checkpoint = get(RUNTIME + "/state").json().path("checkpointStates").get(0);
      id[0] = checkpoint.path("checkpointId").asLong();
      return checkpoint.path("checkpointType").asText().equals("MARKER") && checkpoint.path("checkpointPosition").asLong() > position;
    });
    return id[0];
  }

  private List<Long> completedIds() {
    List<Long> ids = new ArrayList<>();
    get(RUNTIME).json().forEach(backup -> {
      if (backup.path("state").asText().equals("COMPLETED")) {
        ids.add(backup.path("backupId").asLong());
      }
    });
    return ids.reversed(); // the list is ID descending (reference 2.3)
  }

  /** One partition's ranges as [start, end] checkpoint IDs. */
  private static List<List<Long>> rangesOf(JsonNode ranges, int partition) {
    List<List<Long>> result = new ArrayList<>();
    ranges.forEach(range -> {
      if (range.path("partitionId").asInt() == partition) {
        result.add(List.of(range.path("start").path("checkpointId").asLong(), range.path("end").path("checkpointId").asLong()));
      }
    });
    return result;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<Long> concat(List<Long> first, List<Long> second) {
    return Stream.concat(first.stream(), second.stream()).toList();
  }

  private static List<Path> files(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }

  private Reply get(String path) {
    return call("GET", path, null);
  }

  private Reply call(String method, String path, String body) {
    URI url = URI.create(simulator.zeebeManagementUrl() + path);
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30));
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
      throw new IllegalStateException(method + " " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
