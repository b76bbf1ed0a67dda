package io.github.c8backup.cluster.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.c8backup.cluster.BackupIdTakenException;
import io.github.c8backup.cluster.ComponentRequestRejectedException;
import io.github.c8backup.cluster.ComponentUnavailableException;
import io.github.c8backup.cluster.RecordingHttpServer;
import io.github.c8backup.cluster.http.JsonHttp;
import io.github.c8backup.config.Credentials;
import io.github.c8backup.config.SearchEndpoint;
import io.github.c8backup.config.SearchEndpoint.SearchEngineType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpSnapshotApiTest {

  private static final String PASSWORD = "elastic-Secret-4";
  private static final String SNAPSHOT = "camunda_zeebe_records_backup_7";
  private static final String SNAPSHOT_PATH = "/_snapshot/camunda/" + SNAPSHOT;

  private static final String OPENSEARCH_BANNER =
      """
      {"name":"os-node-1","cluster_name":"camunda","version":{"distribution":"opensearch","number":"2.19.1",
       "build_type":"zip","minimum_wire_compatibility_version":"7.10.0"},"tagline":"The OpenSearch Project: https://opensearch.org/"}
      """;
  private static final String ELASTICSEARCH_BANNER =
      """
      {"name":"es-node-1","cluster_name":"camunda","version":{"number":"8.17.4","build_flavor":"default",
       "lucene_version":"9.12.0"},"tagline":"You Know, for Search"}
      """;
  private static final String SNAPSHOT_MISSING =
      """
      {"error":{"root_cause":[{"type":"snapshot_missing_exception","reason":"[camunda:camunda_zeebe_records_backup_7] is missing"}],
       "type":"snapshot_missing_exception","reason":"[camunda:camunda_zeebe_records_backup_7] is missing"},"status":404}
      """;
  private static final String REPOSITORY_MISSING =
      """
      {"error":{"root_cause":[{"type":"repository_missing_exception","reason":"[camunda] missing"}],
       "type":"repository_missing_exception","reason":"[camunda] missing"},"status":404}
      """;

  private final RecordingHttpServer server = RecordingHttpServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpSnapshotApi api(SearchEngineType type) {
    SearchEndpoint endpoint =
        new SearchEndpoint(server.url(), type, "camunda", "zeebe-record", true, new Credentials("elastic", PASSWORD));
    return new HttpSnapshotApi(
        endpoint, JsonHttp.create("search", Duration.ofSeconds(1), Duration.ofSeconds(2), endpoint.credentials()));
  }

  @Test
  void elasticsearchSnapshotSendsFeatureStatesNone() {
    // given
    server.respond("PUT", SNAPSHOT_PATH + "?wait_for_completion=false", 200, "{\"accepted\":true}");

    // when
    api(SearchEngineType.ELASTICSEARCH).createSnapshot(SNAPSHOT, "zeebe-record*");

    // then
    assertThat(server.lastRequest().method()).isEqualTo("PUT");
    assertThat(server.lastRequest().path()).isEqualTo(SNAPSHOT_PATH + "?wait_for_completion=false");
    assertThat(server.lastRequest().body())
        .isEqualTo("{\"indices\":\"zeebe-record*\",\"include_global_state\":false,\"feature_states\":[\"none\"]}");
  }

  @Test
  void openSearchSnapshotOmitsFeatureStates() {
    // given
    server.respond("PUT", SNAPSHOT_PATH + "?wait_for_completion=false", 200, "{\"accepted\":true}");

    // when
    api(SearchEngineType.OPENSEARCH).createSnapshot(SNAPSHOT, "zeebe-record*");

    // then
    assertThat(server.lastRequest().body()).isEqualTo("{\"indices\":\"zeebe-record*\",\"include_global_state\":false}");
  }

  @Test
  void openSearchIsDetectedFromTheBannerOnce() {
    // given
    server.respond("GET", "/", 200, OPENSEARCH_BANNER);
    server.respond("PUT", SNAPSHOT_PATH + "?wait_for_completion=false", 200, "{\"accepted\":true}");
    HttpSnapshotApi api = api(null);

    // when
    api.createSnapshot(SNAPSHOT, "zeebe-record*");
    api.createSnapshot(SNAPSHOT, "zeebe-record*");

    // then
    assertThat(api.engine()).isEqualTo(SearchEngineType.OPENSEARCH);
    assertThat(server.requests()).extracting(r -> r.method() + " " + r.path())
        .containsExactly(
            "GET /",
            "PUT " + SNAPSHOT_PATH + "?wait_for_completion=false",
            "PUT " + SNAPSHOT_PATH + "?wait_for_completion=false");
    assertThat(server.lastRequest().body()).doesNotContain("feature_states");
  }

  @Test
  void elasticsearchIsDetectedFromTheBanner() {
    // given
    server.respond("GET", "/", 200, ELASTICSEARCH_BANNER);

    // when
    SearchEngineType engine = api(null).engine();

    // then
    assertThat(engine).isEqualTo(SearchEngineType.ELASTICSEARCH);
  }

  @Test
  void minimalElasticsearchAnswering405IsElasticsearch() {
    // given: the minimal Elasticsearch distribution has no GET /
    server.respond("GET", "/", 405, "{\"error\":\"Incorrect HTTP method for uri [/] and method [GET], allowed: [HEAD]\",\"status\":405}");

    // when
    SearchEngineType engine = api(null).engine();

    // then
    assertThat(engine).isEqualTo(SearchEngineType.ELASTICSEARCH);
  }

  @Test
  void unavailableSearchIsNotDetectedAsElasticsearch() {
    // given
    server.respond("GET", "/", 503, "{\"error\":\"cluster_block_exception\",\"status\":503}");
    HttpSnapshotApi api = api(null);

    // when
    ComponentUnavailableException e = catchThrowableOfType(ComponentUnavailableException.class, api::engine);

    // then
    assertThat(e.httpStatus()).isEqualTo(503);
    server.respond("GET", "/", 200, OPENSEARCH_BANNER);
    assertThat(api.engine()).isEqualTo(SearchEngineType.OPENSEARCH);
  }

  @Test
  void existingSnapshotNameIsBackupIdTaken() {
    // given
    server.respond("PUT", SNAPSHOT_PATH + "?wait_for_completion=false", 400,
        """
        {"error":{"root_cause":[{"type":"invalid_snapshot_name_exception","reason":"[camunda:camunda_zeebe_records_backup_7] Invalid snapshot name [camunda_zeebe_records_backup_7], snapshot with the same name already exists"}],
         "type":"invalid_snapshot_name_exception","reason":"[camunda:camunda_zeebe_records_backup_7] Invalid snapshot name [camunda_zeebe_records_backup_7], snapshot with the same name already exists"},"status":400}
        """);

    // when
    BackupIdTakenException e = catchThrowableOfType(BackupIdTakenException.class,
        () -> api(SearchEngineType.ELASTICSEARCH).createSnapshot(SNAPSHOT, "zeebe-record*"));

    // then
    assertThat(e.backupId()).isEqualTo(7);
    assertThat(e.component()).isEqualTo("search");
    assertThat(e.getMessage()).contains(SNAPSHOT).contains("already exists").doesNotContain(PASSWORD);
  }

  @Test
  void snapshotReadsStateIndicesAndTimes() {
    // given
    server.respond("GET", SNAPSHOT_PATH, 200,
        """
        {"snapshots":[{"snapshot":"camunda_zeebe_records_backup_7","uuid":"dKb54xw67gvdRctLCxSket","repository":"camunda",
          "version_id":8170499,"version":"8.17.4","indices":["zeebe-record_job_8.7.0_2024-01-01","zeebe-record_process_8.7.0_2024-01-01"],
          "data_streams":[],"include_global_state":false,"state":"SUCCESS","start_time":"2024-01-01T10:00:00.000Z",
          "start_time_in_millis":1704103200000,"end_time":"2024-01-01T10:00:01.000Z","end_time_in_millis":1704103201000,
          "duration_in_millis":1000,"failures":[],"shards":{"total":2,"failed":0,"successful":2},"feature_states":[]}],
         "total":1,"remaining":0}
        """);

    // when
    SnapshotInfo info = api(SearchEngineType.ELASTICSEARCH).snapshot(SNAPSHOT);

    // then
    assertThat(info).isEqualTo(new SnapshotInfo(SNAPSHOT, SnapshotState.SUCCESS,
        List.of("zeebe-record_job_8.7.0_2024-01-01", "zeebe-record_process_8.7.0_2024-01-01"), 1704103200000L, 1704103201000L));
  }

  @Test
  void runningSnapshotHasNoEndTime() {
    // given
    server.respond("GET", SNAPSHOT_PATH, 200,
        "{\"snapshots\":[{\"snapshot\":\"" + SNAPSHOT + "\",\"indices\":[],\"state\":\"IN_PROGRESS\",\"start_time_in_millis\":1704103200000,\"end_time_in_millis\":0}]}");

    // when
    SnapshotInfo info = api(SearchEngineType.OPENSEARCH).snapshot(SNAPSHOT);

    // then
    assertThat(info.state()).isEqualTo(SnapshotState.IN_PROGRESS);
    assertThat(info.endTimeMillis()).isNull();
  }

  @Test
  void missingSnapshotIsDoesNotExist() {
    // given
    server.respond("GET", SNAPSHOT_PATH, 404, SNAPSHOT_MISSING);

    // when
    SnapshotInfo info = api(SearchEngineType.ELASTICSEARCH).snapshot(SNAPSHOT);

    // then
    assertThat(info.name()).isEqualTo(SNAPSHOT);
    assertThat(info.state()).isEqualTo(SnapshotState.DOES_NOT_EXIST);
  }

  @Test
  void missingRepositoryIsRejectedNotDoesNotExist() {
    // given
    server.respond("GET", SNAPSHOT_PATH, 404, REPOSITORY_MISSING);

    // when
    ComponentRequestRejectedException e = catchThrowableOfType(ComponentRequestRejectedException.class,
        () -> api(SearchEngineType.ELASTICSEARCH).snapshot(SNAPSHOT));

    // then
    assertThat(e.httpStatus()).isEqualTo(404);
    assertThat(e.bodyExcerpt()).isEqualTo("repository_missing_exception: [camunda] missing");
    assertThat(e.getMessage()).contains("snapshot repository 'camunda' is registered").doesNotContain(PASSWORD);
  }

  @Test
  void snapshotsByPrefixUseAWildcard() {
    // given
    server.respond("GET", "/_snapshot/camunda/camunda_webapps_7_*", 200,
        """
        {"snapshots":[
          {"snapshot":"camunda_webapps_7_8.8.0_part_1_of_5","indices":["a"],"state":"SUCCESS","start_time_in_millis":1,"end_time_in_millis":2},
          {"snapshot":"camunda_webapps_7_8.8.0_part_2_of_5","indices":["b"],"state":"PARTIAL","start_time_in_millis":3,"end_time_in_millis":4}]}
        """);

    // when
    List<SnapshotInfo> snapshots = api(SearchEngineType.ELASTICSEARCH).snapshots("camunda_webapps_7_");

    // then
    assertThat(snapshots).extracting(SnapshotInfo::name, SnapshotInfo::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("camunda_webapps_7_8.8.0_part_1_of_5", SnapshotState.SUCCESS),
            org.assertj.core.groups.Tuple.tuple("camunda_webapps_7_8.8.0_part_2_of_5", SnapshotState.PARTIAL));
  }

  @Test
  void noSnapshotsForPrefixIsEmpty() {
    // given
    server.respond("GET", "/_snapshot/camunda/camunda_webapps_8_*", 404, SNAPSHOT_MISSING);

    // when
    List<SnapshotInfo> snapshots = api(SearchEngineType.ELASTICSEARCH).snapshots("camunda_webapps_8_");

    // then
    assertThat(snapshots).isEmpty();
    assertThat(server.lastRequest().path()).isEqualTo("/_snapshot/camunda/camunda_webapps_8_*");
  }

  @Test
  void deletingAMissingSnapshotIsNotAnError() {
    // given
    server.respond("DELETE", SNAPSHOT_PATH, 404, SNAPSHOT_MISSING);

    // when
    api(SearchEngineType.OPENSEARCH).deleteSnapshot(SNAPSHOT);

    // then
    assertThat(server.lastRequest().method()).isEqualTo("DELETE");
    assertThat(server.lastRequest().path()).isEqualTo(SNAPSHOT_PATH);
  }

  @Test
  void indicesAreListedWithCat() {
    // given
    server.respond("GET", "/_cat/indices/zeebe-record*?h=index&format=json", 200,
        "[{\"index\":\"zeebe-record_job_8.7.0_2024-01-01\"},{\"index\":\"zeebe-record_process_8.7.0_2024-01-01\"}]");

    // when
    List<String> indices = api(SearchEngineType.ELASTICSEARCH).indices("zeebe-record*");

    // then
    assertThat(indices).containsExactly("zeebe-record_job_8.7.0_2024-01-01", "zeebe-record_process_8.7.0_2024-01-01");
  }

  @Test
  void noMatchingIndicesIsEmpty() {
    // given
    server.respond("GET", "/_cat/indices/zeebe-record*?h=index&format=json", 404,
        "{\"error\":{\"type\":\"index_not_found_exception\",\"reason\":\"no such index [zeebe-record*]\"},\"status\":404}");

    // when
    List<String> indices = api(SearchEngineType.ELASTICSEARCH).indices("zeebe-record*");

    // then
    assertThat(indices).isEmpty();
    assertThat(server.requests()).hasSize(1);
  }
}
