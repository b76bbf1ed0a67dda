package io.github.c8backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.c8backup.cluster.RecordingHttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line against an in-process HTTP server that records every request: arguments,
 * output (table and JSON), exit codes, and that wrong arguments send nothing at all.
 */
class C8BackupCliTest {

  private static final String CATALOG = """
      {"cluster":"prod","version":"8.8.3","secondaryStorage":"search","omitted":0,"problems":["optimize is unreachable: Connection refused"],
       "backups":[
        {"backupId":300,"restorable":false,"reasons":["Zeebe has no backup 300","Optimize did not answer: Connection refused"],"versions":[],
         "components":[{"component":"zeebe","state":"DOES_NOT_EXIST"},{"component":"webapps","state":"COMPLETED"},
                       {"component":"optimize","state":"UNREACHABLE"}]},
        {"backupId":200,"restorable":true,"reasons":[],"versions":["8.8.3"],
         "components":[{"component":"zeebe","state":"COMPLETED","partitions":[{"partitionId":1,"state":"COMPLETED"},{"partitionId":2,"state":"COMPLETED"}]},
                       {"component":"webapps","state":"COMPLETED"},{"component":"optimize","state":"COMPLETED"}]}]}
      """;

  private final RecordingHttpServer server = RecordingHttpServer.start();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @AfterEach
  void stop() {
    server.close();
  }

  private int run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--url", server.url().toString()));
    return runWithEnvironment(Map.of(), all.toArray(String[]::new));
  }

  private int runWithEnvironment(Map<String, String> environment, String... args) {
    C8BackupCli cli = new C8BackupCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return cli.run(args, environment);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "frobnicate",
      "list",
      "list --cluster",
      "list --cluster prod --frob",
      "list --cluster prod --limit 0",
      "list --cluster prod --json=yes",
      "list --cluster prod extra",
      "list --cluster prod --cluster prod",
      "list --cluster a/b",
      "status --cluster prod",
      "backup",
      "backup --cluster prod --backup-id abc",
      "backup --cluster prod --backup-id -5",
      "backup --cluster prod --backup-id 0",
      "backup --cluster prod --backup-id latest",
      "backup --cluster prod --timeout PT30M",
      "backup --cluster prod --wait --timeout 30m",
      "backup --cluster prod --pre-approved",
      "restore --cluster prod",
      "restore --cluster prod --backup-id 1 --point-in-time latest",
      "restore --cluster prod --backup-id 1.5",
      "restore --cluster prod --point-in-time yesterday",
      "restore --cluster prod --point-in-time 2026-01-10T14:00:00",
      "restore --cluster prod --backup-id latest --wait",
      "--cluster prod list --url ftp://orchestrator"})
  void wrongArgumentsExitWith2AndAClearMessageAndSendNothing(String line) {
    // when
    int exit = line.contains("--url") ? runWithEnvironment(Map.of(), line.split(" ")) : run(line.isEmpty() ? new String[0] : line.split(" "));

    // then
    assertThat(exit).isEqualTo(C8BackupCli.USAGE);
    assertThat(err()).startsWith("c8backup: ").contains("Try 'c8backup ");
    assertThat(out()).isEmpty();
    assertThat(server.requests()).as("requests sent for '%s'", line).isEmpty();
  }

  @Test
  void namesTheProblemAndTheVerbsHelp() {
    assertThat(run("backup", "--cluster", "prod", "--backup-id", "abc")).isEqualTo(2);
    assertThat(err()).isEqualTo("c8backup: --backup-id 'abc' is not a positive integer\nTry 'c8backup backup --help'.\n");
  }

  @Test
  void aMalformedUrlFromTheEnvironmentIsAUsageError() {
    assertThat(runWithEnvironment(Map.of("C8BACKUP_URL", "localhost:8088"), "status")).isEqualTo(2);
    assertThat(err()).contains("C8BACKUP_URL 'localhost:8088' is not an http(s) URL");
  }

  @Test
  void helpForTheToolAndEachVerbGoesToStdoutWithExit0() {
    assertThat(run("--help")).isZero();
    assertThat(out()).contains("Usage: c8backup <command>", "list", "backup", "restore", "status", "Exit codes:", "3  the orchestrator did not answer");
    out.reset();
    assertThat(run("backup", "--help")).isZero();
    assertThat(out()).contains("Usage: c8backup backup --cluster X", "--wait", "--timeout");
    out.reset();
    assertThat(run("help", "restore")).isZero();
    assertThat(out()).contains("--point-in-time T|latest", "--pre-approved");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void listPrintsATableWithEachComponentAndWhyABackupIsNotRestorable() {
    // given
    server.respond("GET", "/api/clusters/prod/catalog", 200, CATALOG);

    // when
    int exit = run("list", "--cluster", "prod");

    // then
    assertThat(exit).isZero();
    assertThat(out()).isEqualTo("""
        Cluster prod: Camunda 8.8.3, secondary storage search
        BACKUP ID  RESTORABLE  ZEEBE           WEBAPPS    OPTIMIZE
        300        no          DOES_NOT_EXIST  COMPLETED  UNREACHABLE
                   - Zeebe has no backup 300
                   - Optimize did not answer: Connection refused
        200        yes         COMPLETED 2/2   COMPLETED  COMPLETED
        Problems:
          - optimize is unreachable: Connection refused
        """);
    assertThat(server.lastRequest().method()).isEqualTo("GET");
  }

  @Test
  void listJsonPrintsTheOrchestratorsAnswerAndPassesTheLimit() throws Exception {
    // given
    server.respond("GET", "/api/clusters/prod/catalog?limit=5", 200, CATALOG);

    // when
    int exit = run("list", "--cluster=prod", "--json", "--limit", "5");

    // then
    assertThat(exit).isZero();
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(out())).isEqualTo(json.readTree(CATALOG));
  }

  @Test
  void statusPrintsEachClusterWithItsNewestRestorableBackupOrWhyItDidNotAnswer() {
    // given
    server.respond("GET", "/api/clusters", 200, """
        [{"cluster":"pg","version":"8.9.1","secondaryStorage":"rdbms","newestRestorablePointInTime":"2026-01-10T14:00:00Z"},
         {"cluster":"prod","version":"8.8.3","secondaryStorage":"search","newestRestorableBackup":200},
         {"cluster":"qa","secondaryStorage":"search","problem":"the cluster's Camunda version could not be learnt"}]
        """);

    // when
    int exit = run("status");

    // then
    assertThat(exit).isZero();
    assertThat(out()).isEqualTo("""
        CLUSTER  VERSION  STORAGE  NEWEST RESTORABLE
        pg       8.9.1    rdbms    2026-01-10T14:00:00Z
        prod     8.8.3    search   200
        qa       unknown  search   none
          - the cluster's Camunda version could not be learnt
        """);
  }

  @Test
  void restoreSendsTheBackupIdAndApprovalAndPrintsTheAnswer() throws Exception {
    // given
    server.respond("POST", "/api/clusters/prod/restores", 202,
        "{\"cluster\":\"prod\",\"backupId\":200,\"requestId\":\"r-42\",\"messageKey\":42,\"message\":\"Restore of cluster prod requested\"}");

    // when
    int exit = run("restore", "--cluster", "prod", "--backup-id", "200", "--pre-approved");

    // then
    assertThat(exit).isZero();
    assertThat(out()).isEqualTo("Restore of cluster prod requested (request r-42)\n");
    assertThat(new ObjectMapper().readTree(server.lastRequest().body()))
        .isEqualTo(new ObjectMapper().readTree("{\"backupId\":200,\"preApproved\":true}"));
  }

  @Test
  void restoreToAPointInTimeSendsTheInstantInUtc() throws Exception {
    // given
    server.respond("POST", "/api/clusters/pg/restores", 202, "{\"cluster\":\"pg\",\"pointInTime\":\"2026-01-10T14:00:00Z\",\"messageKey\":7,\"message\":\"ok\"}");

    // when
    int exit = run("restore", "--cluster", "pg", "--point-in-time", "2026-01-10T15:00:00+01:00");

    // then
    assertThat(exit).isZero();
    assertThat(new ObjectMapper().readTree(server.lastRequest().body()))
        .isEqualTo(new ObjectMapper().readTree("{\"pointInTime\":\"2026-01-10T14:00:00Z\",\"preApproved\":false}"));
  }

  @Test
  void anErrorAnswerExits1WithTheOrchestratorsMessage() {
    // given
    server.respond("GET", "/api/clusters/nope/catalog", 404, "{\"message\":\"Unknown cluster 'nope'; configured clusters: [prod]\"}");

    // when
    int exit = run("list", "--cluster", "nope");

    // then
    assertThat(exit).isEqualTo(C8BackupCli.FAILED);
    assertThat(err()).isEqualTo("c8backup: the orchestrator refused (HTTP 404): Unknown cluster 'nope'; configured clusters: [prod]\n");
  }

  @Test
  void anAnswerThatIsNotJsonExits1() {
    server.respond("GET", "/api/clusters", 502, "<html>Bad Gateway</html>");

    assertThat(run("status")).isEqualTo(C8BackupCli.FAILED);
    assertThat(err()).contains("HTTP 502", "Bad Gateway");
  }

  @Test
  void anOrchestratorThatDoesNotAnswerExits3AndSaysWhereItLooked() {
    // given
    String url = "http://127.0.0.1:" + RecordingHttpServer.closedPort();

    // when
    int exit = runWithEnvironment(Map.of("C8BACKUP_URL", url), "status");

    // then
    assertThat(exit).isEqualTo(C8BackupCli.UNREACHABLE);
    assertThat(err()).contains("Cannot reach the orchestrator at " + url, "--url or C8BACKUP_URL");
  }

  @Test
  void backupWithoutWaitRequestsOnceAndPrintsTheAnswer() {
    // given
    server.respond("POST", "/api/clusters/prod/backups", 202, "{\"cluster\":\"prod\",\"requestId\":\"r-9\",\"messageKey\":9,\"message\":\"Backup of cluster prod requested\"}");

    // when
    int exit = run("backup", "--cluster", "prod", "--backup-id", "500");

    // then
    assertThat(exit).isZero();
    assertThat(out()).isEqualTo("Backup of cluster prod requested (request r-9)\n");
    assertThat(server.requests()).singleElement().satisfies(r -> assertThat(r.body()).isEqualTo("{\"backupId\":500}"));
  }

  private static String catalogWith(String... entries) {
    return "{\"cluster\":\"prod\",\"version\":\"8.8.3\",\"secondaryStorage\":\"search\",\"omitted\":0,\"problems\":[],\"backups\":["
        + String.join(",", entries) + "]}";
  }

  private static String entry(long id, boolean restorable, String zeebe, String webapps) {
    return "{\"backupId\":" + id + ",\"restorable\":" + restorable + ",\"reasons\":[" + (restorable ? "" : "\"not yet\"")
        + "],\"components\":[{\"component\":\"zeebe\",\"state\":\"" + zeebe + "\"},{\"component\":\"webapps\",\"state\":\"" + webapps + "\"}]}";
  }

  private void acceptBackups() {
    server.respond("POST", "/api/clusters/prod/backups", 202, "{\"cluster\":\"prod\",\"requestId\":\"r-9\",\"messageKey\":9,\"message\":\"Backup of cluster prod requested\"}");
  }

  @Test
  void backupWaitFollowsTheNewBackupUntilItIsRestorableAndShowsProgressOnStderr() {
    // given
    acceptBackups();
    server.respondInTurn("GET", "/api/clusters/prod/catalog", List.of(
        catalogWith(entry(100, true, "COMPLETED", "COMPLETED")),
        catalogWith(entry(100, true, "COMPLETED", "COMPLETED")),
        catalogWith(entry(101, false, "DOES_NOT_EXIST", "IN_PROGRESS"), entry(100, true, "COMPLETED", "COMPLETED")),
        catalogWith(entry(101, false, "IN_PROGRESS", "COMPLETED"), entry(100, true, "COMPLETED", "COMPLETED")),
        catalogWith(entry(101, true, "COMPLETED", "COMPLETED"), entry(100, true, "COMPLETED", "COMPLETED"))));

    // when
    int exit = run("backup", "--cluster", "prod", "--wait", "--poll-interval", "PT0.01S");

    // then
    assertThat(exit).isZero();
    assertThat(out()).startsWith("Backup 101 of cluster prod is complete and restorable");
    assertThat(err()).contains(
        "backup 101: zeebe DOES_NOT_EXIST, webapps IN_PROGRESS",
        "backup 101: zeebe IN_PROGRESS, webapps COMPLETED",
        "backup 101: zeebe COMPLETED, webapps COMPLETED");
    assertThat(server.requests()).filteredOn(r -> r.method().equals("POST")).hasSize(1);
  }

  @Test
  void backupWaitExits1WhenTheBackupVanishesBecauseItsRunRolledBack() {
    // given
    acceptBackups();
    server.respondInTurn("GET", "/api/clusters/prod/catalog", List.of(
        catalogWith(),
        catalogWith(entry(101, false, "IN_PROGRESS", "COMPLETED")),
        catalogWith()));

    // when
    int exit = run("backup", "--cluster", "prod", "--wait", "--poll-interval", "PT0.01S");

    // then
    assertThat(exit).isEqualTo(C8BackupCli.FAILED);
    assertThat(err()).contains("backup 101 is no longer in the catalog", "failureReason");
  }

  @Test
  void backupWaitExits1AtOnceWhenAComponentReportsFailed() {
    acceptBackups();
    server.respondInTurn("GET", "/api/clusters/prod/catalog", List.of(catalogWith(), catalogWith(entry(101, false, "FAILED", "COMPLETED"))));

    assertThat(run("backup", "--cluster", "prod", "--wait", "--poll-interval", "PT0.01S")).isEqualTo(C8BackupCli.FAILED);
    assertThat(err()).contains("backup 101 failed: not yet");
  }

  @Test
  void backupWaitExits1AtOnceWhenTheRequestWasSkippedBecauseARunWasInProgress() {
    // given the orchestrator saw the request skipped (GET /api/requests/r-9), and the catalog never changes
    acceptBackups();
    server.respond("GET", "/api/requests/r-9", 200,
        "{\"requestId\":\"r-9\",\"state\":\"SKIPPED\",\"runInstanceKey\":77,\"failureReason\":\"a restore run of this cluster was in progress (instance 77)\"}");
    server.respond("GET", "/api/clusters/prod/catalog", 200, catalogWith(entry(100, true, "COMPLETED", "COMPLETED")));

    // when
    int exit = run("backup", "--cluster", "prod", "--wait", "--poll-interval", "PT0.01S", "--timeout", "PT30S");

    // then
    assertThat(exit).isEqualTo(C8BackupCli.FAILED);
    assertThat(err()).contains("the request was skipped: a restore run of this cluster was in progress (instance 77)");
  }

  @Test
  void backupWaitExits1WhenTheRunEndedWithoutABackupAndKeepsWaitingWhileTheOutcomeIsUnknown() {
    // given: unknown at first (404), then the run ended deferred
    acceptBackups();
    server.respondInTurn("GET", "/api/requests/r-9", List.of(
        "{\"message\":\"No outcome seen\"}",
        "{\"requestId\":\"r-9\",\"state\":\"ENDED\",\"runInstanceKey\":78,\"outcome\":\"NOT_READY\",\"failureReason\":\"Zeebe backup 700 is still in progress\"}"));
    server.respond("GET", "/api/clusters/prod/catalog", 200, catalogWith());

    // when
    int exit = run("backup", "--cluster", "prod", "--wait", "--poll-interval", "PT0.01S", "--timeout", "PT30S");

    // then
    assertThat(exit).isEqualTo(C8BackupCli.FAILED);
    assertThat(err()).contains("the run ended NOT_READY: Zeebe backup 700 is still in progress", "instance 78");
  }

  @Test
  void backupWaitReturnsOnlyOnceTheRunHasEndedSoThatTheNextRequestIsNotSkipped() {
    // given the new backup is restorable at its first check, but its run ends one poll later
    acceptBackups();
    server.respondInTurn("GET", "/api/clusters/prod/catalog", List.of(catalogWith(), catalogWith(entry(101, true, "COMPLETED", "COMPLETED"))));
    server.respondInTurn("GET", "/api/requests/r-9", List.of(
        "{\"message\":\"No outcome seen\"}",
        "{\"requestId\":\"r-9\",\"state\":\"ENDED\",\"runInstanceKey\":79,\"outcome\":\"COMPLETED\"}"));

    // when
    int exit = run("backup", "--cluster", "prod", "--wait", "--poll-interval", "PT0.01S", "--timeout", "PT30S");

    // then
    assertThat(exit).isZero();
    assertThat(out()).startsWith("Backup 101 of cluster prod is complete and restorable");
    assertThat(server.requests()).filteredOn(r -> r.path().startsWith("/api/requests/")).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void backupWaitExits4AtTheTimeout() {
    // given nothing ever appears
    acceptBackups();
    server.respond("GET", "/api/clusters/prod/catalog", 200, catalogWith());

    // when
    int exit = run("backup", "--cluster", "prod", "--wait", "--timeout", "PT0.3S", "--poll-interval", "PT0.05S");

    // then
    assertThat(exit).isEqualTo(C8BackupCli.TIMED_OUT);
    assertThat(err()).contains("gave up waiting after PT0.3S", "no new backup appeared");
  }

  @Test
  void backupWaitRefusesAnIdZeebeWouldRefuseWithoutSendingTheRequest() {
    // given
    server.respond("GET", "/api/clusters/prod/catalog", 200, catalogWith(entry(100, true, "COMPLETED", "COMPLETED")));

    // when
    int exit = run("backup", "--cluster", "prod", "--backup-id", "50", "--wait");

    // then
    assertThat(exit).isEqualTo(C8BackupCli.FAILED);
    assertThat(err()).contains("backup ID 50 is not above 100", "Nothing was sent");
    assertThat(server.requests()).noneMatch(r -> r.method().equals("POST"));
  }

  @Test
  void backupWaitOnAnRdbmsClusterWaitsUntilTheWindowReachesTheRequest() {
    // given
    acceptBackups();
    server.respondInTurn("GET", "/api/clusters/prod/catalog", List.of(
        "{\"cluster\":\"prod\",\"secondaryStorage\":\"rdbms\",\"backups\":[],\"pointInTime\":{\"restorable\":[],\"reason\":\"no base backup\"}}",
        "{\"cluster\":\"prod\",\"secondaryStorage\":\"rdbms\",\"backups\":[],\"pointInTime\":{\"restorable\":[],\"reason\":\"no base backup\"}}",
        "{\"cluster\":\"prod\",\"secondaryStorage\":\"rdbms\",\"backups\":[],\"pointInTime\":{\"restorable\":[{\"from\":\"2020-01-01T00:00:00Z\",\"to\":\"2999-01-01T00:00:00Z\"}],\"latest\":\"2999-01-01T00:00:00Z\"}}"));

    // when
    int exit = run("backup", "--cluster", "prod", "--wait", "--poll-interval", "PT0.01S");

    // then
    assertThat(exit).isZero();
    assertThat(out()).contains("can be restored to any moment up to 2999-01-01T00:00:00Z");
    assertThat(err()).contains("nothing restorable yet: no base backup");
  }
}
