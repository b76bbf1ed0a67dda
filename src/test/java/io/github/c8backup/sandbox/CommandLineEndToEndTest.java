package io.github.c8backup.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.c8backup.cli.C8BackupCli;
import io.github.c8backup.restore.RestoreProcessModel;
import io.github.c8backup.sandbox.storage.SearchEngineKind;
import io.github.c8backup.testing.Await;
import io.github.c8backup.testing.ProcessHistory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every verb of {@code c8backup} against the sandbox (simulated 8.8 target on a REAL OpenSearch
 * and S3 store, the orchestrator on the control engine), started once for the class: wrong
 * arguments change nothing, {@code backup --wait} follows a real backup until the catalog says it
 * is restorable, {@code status} names it, {@code restore --backup-id latest} is accepted and waits
 * for approval.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommandLineEndToEndTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static Sandbox sandbox;
  private static long backupId;

  @BeforeAll
  static void startSandbox() {
    sandbox = Sandbox.start(new Sandbox.Options("8.8.3", SearchEngineKind.OPENSEARCH, null, false, Duration.ofSeconds(1)));
    sandbox.simulator().createProcessInstance("order-process");
  }

  @AfterAll
  static void stopSandbox() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  /** One run of the command line, in-process, against the sandbox's orchestrator. */
  private record Run(int exit, String out, String err) {}

  private static Run cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = new C8BackupCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args, Map.of("C8BACKUP_URL", "http://localhost:" + sandbox.orchestratorPort()));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static List<Long> catalogIds() throws Exception {
    Run list = cli("list", "--cluster", Sandbox.CLUSTER, "--json");
    assertThat(list.exit()).as(list.err()).isZero();
    List<Long> ids = new ArrayList<>();
    JSON.readTree(list.out()).path("backups").forEach(entry -> ids.add(entry.path("backupId").asLong()));
    return ids;
  }

  private static long requestMessages() {
    return StreamSupport.stream(sandbox.engine().records().messageRecords().spliterator(), false)
        .filter(r -> r.getValue().getName().endsWith("-requested"))
        .count();
  }

  @Test
  @Order(1)
  void wrongArgumentsExitNonZeroAndChangeNothing() throws Exception {
    // given
    List<Long> before = catalogIds();
    long messages = requestMessages();
    ProcessHistory history = sandbox.history();

    // when / then: refused by the command line itself, exit 2
    for (String[] args : List.of(
        new String[] {"backup"},
        new String[] {"backup", "--cluster", Sandbox.CLUSTER, "--backup-id", "abc"},
        new String[] {"restore", "--cluster", Sandbox.CLUSTER, "--backup-id", "-1"},
        new String[] {"restore", "--cluster", Sandbox.CLUSTER},
        new String[] {"list", "--cluster", Sandbox.CLUSTER, "--wait"})) {
      Run run = cli(args);
      assertThat(run.exit()).as("exit of %s", List.of(args)).isEqualTo(2);
      assertThat(run.err()).startsWith("c8backup: ").contains("--help");
    }
    // refused by the orchestrator, exit 1 with its message
    Run unknown = cli("backup", "--cluster", "nope");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("HTTP 404", "Unknown cluster 'nope'", Sandbox.CLUSTER);
    Run wrongKind = cli("restore", "--cluster", Sandbox.CLUSTER, "--point-in-time", "latest");
    assertThat(wrongKind.exit()).isEqualTo(1);
    assertThat(wrongKind.err()).contains("HTTP 400", "restored from a backup ID");

    // and nothing changed: no message published, no process started, no new backup
    assertThat(requestMessages()).isEqualTo(messages);
    assertThat(history.instances("camunda-backup")).isEmpty();
    assertThat(history.instances(RestoreProcessModel.PROCESS_ID)).isEmpty();
    assertThat(catalogIds()).isEqualTo(before);
  }

  @Test
  @Order(2)
  void backupWaitFollowsTheBackupUntilTheCatalogShowsItRestorable() throws Exception {
    // when
    Run backup = cli("backup", "--cluster", Sandbox.CLUSTER, "--wait", "--timeout", "PT2M", "--poll-interval", "PT1S");

    // then
    assertThat(backup.exit()).as(backup.err()).isZero();
    assertThat(backup.out()).containsPattern("Backup \\d+ of cluster sandbox is complete and restorable");
    assertThat(backup.err()).contains("Backup of cluster sandbox requested", "zeebe", "webapps", "optimize", "records-snapshot");
    backupId = Long.parseLong(backup.out().replaceAll("(?s)^Backup (\\d+) .*", "$1"));

    Run list = cli("list", "--cluster", Sandbox.CLUSTER, "--json");
    JsonNode newest = JSON.readTree(list.out()).path("backups").get(0);
    assertThat(newest.path("backupId").asLong()).isEqualTo(backupId);
    assertThat(newest.path("restorable").asBoolean()).as(newest.toString()).isTrue();
    assertThat(newest.path("versions").get(0).asText()).isEqualTo("8.8.3");
    assertThat(newest.path("components")).extracting(c -> c.path("component").asText())
        .containsExactly("zeebe", "webapps", "optimize", "records-snapshot");
    Run table = cli("list", "--cluster", Sandbox.CLUSTER);
    assertThat(table.out()).containsPattern(backupId + "\\s+yes\\s+COMPLETED 3/3\\s+COMPLETED\\s+COMPLETED\\s+SUCCESS");
  }

  @Test
  @Order(3)
  void statusNamesTheClusterItsVersionAndNewestRestorableBackup() {
    Run status = cli("status");

    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out()).containsPattern("sandbox\\s+8\\.8\\.3\\s+search\\s+" + backupId);
  }

  @Test
  @Order(4)
  void restoreLatestIsAcceptedAndWaitsForApprovalWithNothingChanged() throws Exception {
    // when
    Run restore = cli("restore", "--cluster", Sandbox.CLUSTER, "--backup-id", "latest");

    // then
    assertThat(restore.exit()).as(restore.err()).isZero();
    assertThat(restore.out()).contains("Restore of cluster sandbox requested", "approved in Tasklist");
    ProcessHistory history = sandbox.history();
    long run = history.awaitNewInstance(RestoreProcessModel.PROCESS_ID, 0, Duration.ofSeconds(30));
    Await.until("the restore of " + backupId + " waits for approval", Duration.ofSeconds(30), Duration.ofMillis(200),
        () -> history.steps(run).stream().anyMatch(step -> step.elementId().equals(RestoreProcessModel.APPROVE)));
    assertThat(((Number) history.variable(run, "backupId").orElseThrow()).longValue()).isEqualTo(backupId);
    assertThat(history.isEnded(run)).isFalse();
  }
}
