package io.github.c8backup.sandbox;

import static io.github.c8backup.backup.BackupProcessModel.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.c8backup.cluster.TargetClusters;
import io.github.c8backup.cluster.zeebe.BackupRuntimeState;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.database.BaseBackup;
import io.github.c8backup.database.PostgresBackups;
import io.github.c8backup.database.RecoverableWindow;
import io.github.c8backup.restore.RecoveryPoints;
import io.github.c8backup.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Retention on the RDBMS sandbox: the simulated brokers run Zeebe's own retention window (its
 * oldest backups go and the ranges shrink, reference 6.4, 9), a REAL PostgreSQL archives WAL, and
 * every backup run ends with the orchestrator's retention. After several runs the base backups and
 * WAL older than Zeebe's oldest range are gone from disk, the database still covers that range's
 * start, and a restore preflight to a moment inside the window still passes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RdbmsRetentionEndToEndTest {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final Duration ZEEBE_SCHEDULE = Duration.ofSeconds(3);
  private static final Duration ZEEBE_RETENTION = Duration.ofSeconds(15);

  private final HttpClient http = HttpClient.newHttpClient();
  private Sandbox sandbox;

  @BeforeAll
  void startSandbox() {
    // the clocks are one machine's: a second of tolerance instead of the default minute keeps the test short
    sandbox = Sandbox.start(Sandbox.Options.rdbms("8.9.1", null, false, Duration.ofSeconds(1), ZEEBE_SCHEDULE, ZEEBE_RETENTION),
        Map.of("cluster.database.retention.clock-tolerance", "PT1S"));
  }

  @AfterAll
  void stopSandbox() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void afterSeveralBackupsWhatZeebesOldestRangeNoLongerNeedsIsGoneAndTheWindowStillCoversIt() throws Exception {
    // given two backup runs, then Zeebe's retention window passing beyond the second one
    sandbox.simulator().createProcessInstance("order-process");
    Await.until("a scheduled Zeebe backup", TIMEOUT, Duration.ofMillis(200), () -> !zeebeState().ranges().isEmpty());
    long first = backupRun();
    Map<String, Object> firstRetention = retention(first);
    sandbox.simulator().createProcessInstance("order-process");
    long second = backupRun();
    String firstLabel = label(first);
    String secondLabel = label(second);
    BaseBackup secondBackup = database().baseBackup(secondLabel).orElseThrow();
    Await.until("Zeebe's own retention past the second base backup", TIMEOUT, Duration.ofMillis(500),
        () -> oldestRangeStart(zeebeState()).isAfter(secondBackup.finishedAt().plusSeconds(2)));
    sandbox.simulator().createProcessInstance("order-process");
    List<String> otherArchived = archived(false);

    // when
    long third = backupRun();

    // then the third run's retention deleted the first base backup, kept the second for Zeebe, and the older WAL
    Map<String, Object> retention = retention(third);
    assertThat(retention).containsEntry("outcome", "APPLIED").containsEntry("databaseBackupKeptForZeebe", secondLabel);
    assertThat(retention.get("databaseBackupsDeleted")).isEqualTo(List.of(firstLabel));
    assertThat(sandbox.postgres().backupDirectory().resolve(firstLabel)).doesNotExist();
    assertThat(sandbox.postgres().backupDirectory().resolve(secondLabel)).isDirectory();
    assertThat(((Number) retention.get("walSegmentsDeleted")).intValue()).isPositive();
    String oldestKept = String.valueOf(retention.get("oldestWalSegmentKept"));
    assertThat(walSegments()).isNotEmpty().allMatch(name -> name.compareTo(oldestKept) >= 0)
        .doesNotContain(String.valueOf(retention.get("walSegmentsDeletedFrom")), String.valueOf(retention.get("walSegmentsDeletedTo")));
    assertThat(archived(false)).as("history, .backup and .partial files").containsAll(otherArchived);

    // and the database still covers the start of Zeebe's oldest range, on every partition
    BackupRuntimeState state = zeebeState();
    RecoverableWindow window = database().recoverableWindow().orElseThrow();
    assertThat(window.earliest()).isEqualTo(secondBackup.finishedAt()).isBeforeOrEqualTo(oldestRangeStart(state));
    assertThat(window.notes()).isEmpty();

    // and a restore preflight to a moment inside the window passes
    RecoveryPoints points = RecoveryPoints.of(Optional.of(window), state, 3);
    assertThat(points.restorable()).as("restorable spans").isNotEmpty();
    RecoveryPoints.Span span = points.restorable().getFirst();
    Instant inside = span.from().plus(Duration.between(span.from(), span.to()).dividedBy(2));
    assertThat(points.check(inside).accepted()).as(points.check(inside).reason()).isTrue();

    // and the first run's Zeebe side kept the Zeebe backup at the start of its database window
    assertThat(firstRetention).containsKey("zeebeBackupsDeleted");
    assertThat(List.of(first, second, third)).allSatisfy(run -> assertThat(sandbox.history().passedElementIds(run))
        .containsSubsequence(VERIFY_COVERAGE, APPLY_RETENTION, COMPLETED_END).doesNotContain(REMOVE_PARTIAL_DATABASE_BACKUP));
  }

  // ---------------------------------------------------------------------------------------------

  private long backupRun() throws Exception {
    int known = sandbox.history().instances(PROCESS_ID).size();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://localhost:" + sandbox.orchestratorPort() + "/api/clusters/" + Sandbox.CLUSTER + "/backups"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    long run = sandbox.history().awaitNewInstance(PROCESS_ID, known, TIMEOUT);
    sandbox.history().awaitEnd(run, TIMEOUT);
    assertThat(sandbox.history().variable(run, "outcome")).as("failureReason=%s", sandbox.history().variable(run, "failureReason"))
        .contains("COMPLETED");
    return run;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> retention(long run) {
    return (Map<String, Object>) sandbox.history().variable(run, "retention").orElseThrow();
  }

  private String label(long run) {
    return String.valueOf(((Map<?, ?>) sandbox.history().variable(run, "databaseBackup").orElseThrow()).get("label"));
  }

  private PostgresBackups database() {
    return new PostgresBackups(sandbox.postgres().settings());
  }

  private BackupRuntimeState zeebeState() {
    return sandbox.orchestrator().getBean(TargetClusters.class).connect(Sandbox.CLUSTER, CamundaVersion.parse("8.9")).zeebe().runtimeState();
  }

  private static Instant oldestRangeStart(BackupRuntimeState state) {
    return state.ranges().stream().map(r -> r.start().checkpointTimestamp()).min(Instant::compareTo).orElse(Instant.MIN);
  }

  private List<String> walSegments() throws Exception {
    return archived(true);
  }

  /** The archive's plain WAL segments, or every other file in it (history, backup history, partial). */
  private List<String> archived(boolean segments) throws Exception {
    try (Stream<Path> files = Files.list(sandbox.postgres().settings().walArchiveDirectory())) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("[0-9A-F]{24}") == segments).sorted().toList();
    }
  }
}
