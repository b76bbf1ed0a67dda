package io.github.c8backup.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.c8backup.retention.RetentionProcessModel;
import io.github.c8backup.run.ClusterRunProcessModel;
import io.github.c8backup.sandbox.storage.SearchEngineKind;
import io.github.c8backup.testing.ProcessHistory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Retention on the sandbox: a simulated 8.8 cluster on a REAL OpenSearch and a REAL S3 store,
 * keep-last 2. Every backup run ends with retention; after the third backup the first is gone
 * from both stores, checked in the stores themselves, not in the orchestrator's view.
 */
class RetentionEndToEndTest {

  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SNAPSHOT_ID = Pattern.compile("camunda_(?:webapps|optimize|zeebe_records_backup)_(\\d+).*");
  private static final Pattern S3_ID = Pattern.compile("(?:manifests|contents)/\\d+/(\\d+)/.*");
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void leavesExactlyTheNewestTwoBackupsInS3AndInTheSnapshotRepository() throws Exception {
    try (Sandbox sandbox = Sandbox.start(new Sandbox.Options("8.8.3", SearchEngineKind.OPENSEARCH, null, false, Duration.ofSeconds(1)),
        Map.of("cluster.retention.keep-last", "2"))) {
      // given two complete backups, both kept
      sandbox.simulator().createProcessInstance("order-process");
      long first = backupRun(sandbox);
      long second = backupRun(sandbox);
      assertThat(s3BackupIds(sandbox)).containsExactly(first, second);
      assertThat(snapshotBackupIds(sandbox)).containsExactly(first, second);

      // when a third backup completes
      sandbox.simulator().createProcessInstance("order-process");
      long third = backupRun(sandbox);

      // then its run's retention deleted the first one from S3 and from the snapshot repository
      assertThat(s3BackupIds(sandbox)).as("Zeebe backups in S3").containsExactly(second, third);
      assertThat(snapshotBackupIds(sandbox)).as("backup snapshots in the repository").containsExactly(second, third);
      for (long kept : List.of(second, third)) {
        List<String> names = snapshotNames(sandbox).stream().filter(n -> n.contains("_" + kept)).toList();
        assertThat(names).as("every part of %d kept", kept).contains("camunda_zeebe_records_backup_" + kept,
            "camunda_optimize_" + kept + "_8.8.3_part_1_of_2", "camunda_optimize_" + kept + "_8.8.3_part_2_of_2")
            .anyMatch(n -> n.startsWith("camunda_webapps_" + kept));
      }
    }
  }

  /** Requests a backup through the API and waits for its run (backup, then retention) to end; returns the backup ID. */
  private long backupRun(Sandbox sandbox) throws Exception {
    ProcessHistory history = sandbox.history();
    int runs = history.instances(ClusterRunProcessModel.PROCESS_ID).size();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://localhost:" + sandbox.orchestratorPort() + "/api/clusters/sandbox/backups"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(202);
    long run = history.awaitNewInstance(ClusterRunProcessModel.PROCESS_ID, runs, TIMEOUT);
    history.awaitEnd(run, TIMEOUT);
    assertThat(history.variable(run, "outcome")).as("failureReason=%s", history.variable(run, "failureReason")).contains("COMPLETED");
    assertThat(history.passedElementIds(run)).contains(ClusterRunProcessModel.RETENTION_AFTER_BACKUP);
    assertThat(history.instances(RetentionProcessModel.PROCESS_ID)).anySatisfy(key -> assertThat(history.parentOf(key)).isEqualTo(run));
    return ((Number) history.variable(run, "backupId").orElseThrow()).longValue();
  }

  private static Set<Long> s3BackupIds(Sandbox sandbox) {
    Set<Long> ids = new TreeSet<>();
    try (S3Client s3 = sandbox.s3Client()) {
      for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(Sandbox.BUCKET)).contents()) {
        Matcher m = S3_ID.matcher(object.key());
        if (m.matches()) {
          ids.add(Long.parseLong(m.group(1)));
        }
      }
    }
    return ids;
  }

  private Set<Long> snapshotBackupIds(Sandbox sandbox) throws Exception {
    Set<Long> ids = new TreeSet<>();
    for (String name : snapshotNames(sandbox)) {
      Matcher m = SNAPSHOT_ID.matcher(name);
      if (m.matches()) {
        ids.add(Long.parseLong(m.group(1)));
      }
    }
    return ids;
  }

  private List<String> snapshotNames(Sandbox sandbox) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create(sandbox.search().url() + "/_snapshot/" + Sandbox.SNAPSHOT_REPOSITORY + "/_all")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    for (JsonNode snapshot : JSON.readTree(r.body()).get("snapshots")) {
      names.add(snapshot.get("snapshot").asText());
    }
    return names;
  }
}
