package io.github.c8backup.sandbox;

import static io.github.c8backup.backup.BackupProcessModel.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.c8backup.sandbox.simulator.ExportingState;
import io.github.c8backup.sandbox.simulator.ExportingWindow;
import io.github.c8backup.sandbox.storage.SearchEngineKind;
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
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Several clusters from one orchestrator (issue 7, item 3): two SIMULATED targets, {@code alpha} and
 * {@code beta}, share the sandbox's one REAL OpenSearch and one REAL S3 bucket, each with its own
 * index prefix, S3 base path and snapshot repository (see {@link Sandbox}). Their backups run at the
 * same time, and one cluster's failure neither blocks nor fails the other's.
 */
class MultiClusterBackupEndToEndTest {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALPHA = "alpha";
  private static final String BETA = "beta";
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void twoClustersBackUpConcurrentlyKeepTheirOwnRetentionAndOneClustersFailureNeitherBlocksNorFailsTheOther() throws Exception {
    // counted from the deployment by the engine: both clusters' timers fire in the same second
    Sandbox.Options options = new Sandbox.Options("8.8.3", SearchEngineKind.OPENSEARCH, "R1/PT10S", false, Duration.ofSeconds(1))
        .withClusters(ALPHA, BETA);
    // beta's Zeebe wait gives up soon, so its failure in the second round ends within the test
    // alpha keeps only its newest complete backup (retention after each backup run); beta has no policy
    try (Sandbox sandbox = Sandbox.start(options, Map.of("orchestrator.clusters." + BETA + ".timeouts.zeebe-deadline", "PT15S",
        "orchestrator.clusters." + ALPHA + ".retention.keep-last", "1"))) {
      // given
      sandbox.simulator(ALPHA).createProcessInstance("order-process");
      sandbox.simulator(BETA).createProcessInstance("order-process");
      ProcessHistory history = sandbox.history();

      // when both scheduled backups run
      long alphaRun = awaitRun(history, ALPHA, 0);
      long betaRun = awaitRun(history, BETA, 0);
      history.awaitEnd(alphaRun, TIMEOUT);
      history.awaitEnd(betaRun, TIMEOUT);

      // then both completed, at the same time: their exporting pauses overlap
      long alphaId = completedBackupId(history, alphaRun);
      long betaId = completedBackupId(history, betaRun);
      ExportingWindow alphaPause = sandbox.simulator(ALPHA).pausedWindows().getFirst();
      ExportingWindow betaPause = sandbox.simulator(BETA).pausedWindows().getFirst();
      assertThat(alphaPause.start()).as("alpha paused before beta resumed").isBefore(betaPause.end());
      assertThat(betaPause.start()).as("beta paused before alpha resumed").isBefore(alphaPause.end());
      // and each cluster's backup is in its own place, holding only its own data
      assertZeebeBackupUnderBasePath(sandbox, ALPHA, alphaId);
      assertZeebeBackupUnderBasePath(sandbox, BETA, betaId);
      assertOwnSnapshotsOnly(sandbox, ALPHA, alphaId);
      assertOwnSnapshotsOnly(sandbox, BETA, betaId);
      // (the metrics endpoint is checked at the end, when both clusters have completed and failed runs)

      // given beta's next Zeebe backup never completes (camunda/camunda#10547)
      long betaStalledId = Instant.now().getEpochSecond() + 1000;
      sandbox.simulator(BETA).faults().stallZeebeBackup(betaStalledId);

      // when both clusters are asked for a backup at once
      assertThat(requestBackup(sandbox, BETA, "{\"backupId\": " + betaStalledId + "}")).isEqualTo(202);
      assertThat(requestBackup(sandbox, ALPHA, "{}")).isEqualTo(202);
      long betaStalledRun = awaitRun(history, BETA, 1);
      long alphaSecondRun = awaitRun(history, ALPHA, 1);
      history.awaitEnd(alphaSecondRun, TIMEOUT);

      // then alpha completed while beta was still paused, waiting for its Zeebe backup
      completedBackupId(history, alphaSecondRun);
      assertThat(history.isEnded(betaStalledRun)).as("beta's run still waiting when alpha's completed").isFalse();
      assertThat(sandbox.simulator(BETA).exportingState()).isEqualTo(ExportingState.SOFT_PAUSED);
      assertThat(sandbox.simulator(ALPHA).exportingState()).isEqualTo(ExportingState.RUNNING);

      // and beta failed on its own deadline, rolled back, exporting running again
      history.awaitEnd(betaStalledRun, TIMEOUT);
      assertThat(history.passedElementIds(betaStalledRun)).contains(ZEEBE_DEADLINE + V88, FAILED_END).doesNotContain(COMPLETED_END);
      assertThat(String.valueOf(history.variable(betaStalledRun, "failureReason").orElseThrow())).contains("did not complete within PT15S");
      assertThat(sandbox.simulator(BETA).exportingState()).isEqualTo(ExportingState.RUNNING);
      assertThat(history.variable(alphaSecondRun, "outcome")).contains("COMPLETED");

      // and alpha's retention (keep-last 1) left exactly its newest backup in S3 and in its repository,
      // while beta, without a policy, keeps its backup (its failed one was removed by the rollback)
      long alphaSecondId = completedBackupId(history, alphaSecondRun);
      assertThat(s3BackupIds(sandbox, ALPHA)).containsExactly(alphaSecondId);
      assertThat(snapshotBackupIds(sandbox, ALPHA)).containsExactly(alphaSecondId);
      assertThat(s3BackupIds(sandbox, BETA)).containsExactly(betaId);
      assertThat(snapshotBackupIds(sandbox, BETA)).containsExactly(betaId);

      // and the orchestrator's metrics endpoint shows both clusters, each with its own runs
      String metrics = text("http://localhost:" + sandbox.orchestratorPort() + "/actuator/prometheus");
      assertThat(sample(metrics, "c8backup_runs_total", ALPHA, "COMPLETED")).isEqualTo(2.0);
      assertThat(sample(metrics, "c8backup_runs_total", BETA, "COMPLETED")).isEqualTo(1.0);
      assertThat(sample(metrics, "c8backup_runs_total", BETA, "FAILED")).isEqualTo(1.0);
      assertThat(sample(metrics, "c8backup_runs_total", ALPHA, "FAILED")).isZero();
      assertThat(metrics).containsPattern("c8backup_backup_last_success_timestamp_seconds\\{[^}]*cluster=\"" + ALPHA + "\"[^}]*} [1-9]")
          .containsPattern("c8backup_backup_last_success_timestamp_seconds\\{[^}]*cluster=\"" + BETA + "\"[^}]*} [1-9]")
          .containsPattern("c8backup_exporting_paused_seconds_count\\{[^}]*cluster=\"" + BETA + "\"");
    }
  }

  /** The value of a backup-run counter sample of the Prometheus text, 0 when absent. */
  private static double sample(String metrics, String name, String cluster, String outcome) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "(?m)^" + name + "\\{([^}]*)\\} (\\S+)$").matcher(metrics);
    double sum = 0;
    while (m.find()) {
      String labels = m.group(1);
      if (labels.contains("cluster=\"" + cluster + "\"") && labels.contains("outcome=\"" + outcome + "\"")
          && labels.contains("operation=\"backup\"")) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }

  /** The {@code nth} (from 0) camunda-backup instance of the cluster. */
  private static long awaitRun(ProcessHistory history, String cluster, int nth) {
    Instant deadline = Instant.now().plus(TIMEOUT);
    while (true) {
      List<Long> runs = history.instances(PROCESS_ID).stream()
          .filter(run -> history.variable(run, "cluster").map(cluster::equals).orElse(false))
          .toList();
      if (runs.size() > nth) {
        return runs.get(nth);
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("no backup run #" + nth + " of cluster " + cluster + " within " + TIMEOUT);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static long completedBackupId(ProcessHistory history, long run) {
    assertThat(history.variable(run, "outcome")).as("outcome; failureReason=%s", history.variable(run, "failureReason")).contains("COMPLETED");
    return ((Number) history.variable(run, "backupId").orElseThrow()).longValue();
  }

  private int requestBackup(Sandbox sandbox, String cluster, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + sandbox.orchestratorPort() + "/api/clusters/" + cluster + "/backups"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  /** Zeebe's manifests and contents of this backup lie under the cluster's base path, and only there. */
  private static void assertZeebeBackupUnderBasePath(Sandbox sandbox, String cluster, long backupId) {
    try (S3Client s3 = sandbox.s3Client()) {
      List<String> keys = s3.listObjectsV2Paginator(r -> r.bucket(Sandbox.BUCKET)).contents().stream().map(S3Object::key)
          .filter(key -> key.contains("/" + backupId + "/")).toList();
      String base = sandbox.s3BasePath(cluster) + "/";
      assertThat(base).isEqualTo(cluster + "/");
      for (int partition = 1; partition <= 3; partition++) {
        assertThat(keys).as("S3 keys of backup %d", backupId)
            .contains(base + "manifests/" + partition + "/" + backupId + "/0/manifest.json")
            .anyMatch(key -> key.startsWith(base + "contents/"));
      }
      assertThat(keys).as("no key of the shared bucket outside a cluster's base path").allMatch(key -> key.startsWith(ALPHA + "/")
          || key.startsWith(BETA + "/"));
    }
  }

  /**
   * The cluster's repository holds this backup's web app, Optimize and records snapshots, all
   * SUCCESS, and every index in them carries the cluster's own prefix.
   */
  private void assertOwnSnapshotsOnly(Sandbox sandbox, String cluster, long backupId) throws Exception {
    String repository = sandbox.snapshotRepository(cluster);
    assertThat(repository).isEqualTo("camunda-backups-" + cluster);
    JsonNode all = get(sandbox.search().url() + "/_snapshot/" + repository + "/_all");
    List<String> names = new ArrayList<>();
    for (JsonNode snapshot : all.get("snapshots")) {
      String name = snapshot.get("snapshot").asText();
      names.add(name);
      assertThat(snapshot.get("state").asText()).as(name).isEqualTo("SUCCESS");
      snapshot.get("indices").forEach(index -> assertThat(index.asText()).as("index in %s of %s", name, cluster).startsWith(cluster + "-"));
    }
    assertThat(names).contains(
        "camunda_zeebe_records_backup_" + backupId,
        "camunda_optimize_" + backupId + "_8.8.3_part_2_of_2",
        "camunda_webapps_" + backupId + "_8.8.3_part_1_of_6");
  }

  /** The backup IDs with objects under the cluster's base path in the shared bucket. */
  private static java.util.SortedSet<Long> s3BackupIds(Sandbox sandbox, String cluster) {
    java.util.regex.Pattern id = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(sandbox.s3BasePath(cluster))
        + "/(?:manifests|contents)/\\d+/(\\d+)/.*");
    java.util.SortedSet<Long> ids = new java.util.TreeSet<>();
    try (S3Client s3 = sandbox.s3Client()) {
      s3.listObjectsV2Paginator(r -> r.bucket(Sandbox.BUCKET)).contents().stream().map(S3Object::key).forEach(key -> {
        java.util.regex.Matcher m = id.matcher(key);
        if (m.matches()) {
          ids.add(Long.parseLong(m.group(1)));
        }
      });
    }
    return ids;
  }

  /** The backup IDs the cluster's snapshot repository holds snapshots of. */
  private java.util.SortedSet<Long> snapshotBackupIds(Sandbox sandbox, String cluster) throws Exception {
    java.util.regex.Pattern id = java.util.regex.Pattern.compile("camunda_(?:webapps|optimize|zeebe_records_backup)_(\\d+).*");
    java.util.SortedSet<Long> ids = new java.util.TreeSet<>();
    for (JsonNode snapshot : get(sandbox.search().url() + "/_snapshot/" + sandbox.snapshotRepository(cluster) + "/_all").get("snapshots")) {
      java.util.regex.Matcher m = id.matcher(snapshot.get("snapshot").asText());
      if (m.matches()) {
        ids.add(Long.parseLong(m.group(1)));
      }
    }
    return ids;
  }

  private JsonNode get(String url) throws Exception {
    return JSON.readTree(text(url));
  }

  private String text(String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
    return r.body();
  }
}
