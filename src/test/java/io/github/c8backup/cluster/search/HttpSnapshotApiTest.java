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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpSnapshotApiTest {

  private static final String PASSWORD = "elastic-Secret-4";
  private static final String SNAPSHOT = "camunda_zeebe_records_backup_7";
  private static final String SNAPSHOT_PATH = "/_snapshot/camunda/" + SNAPSHOT;
  private static final String RESTORE_PATH = SNAPSHOT_PATH + "/_restore?wait_for_completion=false";
  private static final String JOB = "zeebe-record_job_8.7.0_2024-01-01";
  private static final String PROCESS = "zeebe-record_process_8.7.0_2024-01-01";
  private static final String LIST_VIEW = "operate-list-view-8.3.0_";

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

  @Test
  void wildcardMatchingNoIndexIsEmpty() {
    // given: both engines answer [] when a wildcard matches nothing
    server.respond("GET", "/_cat/indices/operate-*?h=index&format=json", 200, "[]");

    // when
    List<String> indices = api(SearchEngineType.OPENSEARCH).indices("operate-*");

    // then
    assertThat(indices).isEmpty();
  }

  @Test
  void missingConcreteIndexIsEmpty() {
    // given: a name without wildcard answers 404
    server.respond("GET", "/_cat/indices/" + LIST_VIEW + "?h=index&format=json", 404, indexNotFound(LIST_VIEW));

    // when
    List<String> indices = api(SearchEngineType.ELASTICSEARCH).indices(LIST_VIEW);

    // then
    assertThat(indices).isEmpty();
  }

  @Test
  void deleteIndexDeletesOneIndexByName() {
    // given
    server.respond("DELETE", "/" + LIST_VIEW, 200, "{\"acknowledged\":true}");

    // when
    api(SearchEngineType.ELASTICSEARCH).deleteIndex(LIST_VIEW);

    // then
    assertThat(server.requests()).extracting(r -> r.method() + " " + r.path()).containsExactly("DELETE /" + LIST_VIEW);
  }

  @Test
  void deletingAMissingIndexIsNotAnError() {
    // given
    server.respond("DELETE", "/" + LIST_VIEW, 404, indexNotFound(LIST_VIEW));

    // when
    api(SearchEngineType.OPENSEARCH).deleteIndex(LIST_VIEW);

    // then
    assertThat(server.lastRequest().path()).isEqualTo("/" + LIST_VIEW);
  }

  @Test
  void a404ThatIsNotIndexNotFoundIsRejected() {
    // given: e.g. a proxy in front of the cluster with a wrong path prefix
    server.respond("DELETE", "/" + LIST_VIEW, 404, "<html>Not Found</html>");

    // when
    ComponentRequestRejectedException e = catchThrowableOfType(ComponentRequestRejectedException.class,
        () -> api(SearchEngineType.ELASTICSEARCH).deleteIndex(LIST_VIEW));

    // then
    assertThat(e.httpStatus()).isEqualTo(404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"operate-*", "operate-list-view-8.3.0_?", "operate-a,operate-b", "_all", "zeebe_all", "_cat", "-x", " ", ".."})
  void deleteIndexRefusesWildcardsListsAndAllBeforeAnyRequest(String name) {
    // given: OpenSearch 2.19 deletes every match of DELETE /a-* (Elasticsearch 8 refuses it)
    HttpSnapshotApi api = api(SearchEngineType.OPENSEARCH);

    // when
    IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class, () -> api.deleteIndex(name));

    // then
    assertThat(e).hasMessageContaining("Refusing to delete");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void restoreSendsNoGlobalStateAndDoesNotWait() {
    // given
    server.respond("POST", RESTORE_PATH, 200, "{\"accepted\":true}");

    // when
    api(SearchEngineType.ELASTICSEARCH).restoreSnapshot(SNAPSHOT);

    // then
    assertThat(server.lastRequest().method()).isEqualTo("POST");
    assertThat(server.lastRequest().path()).isEqualTo(RESTORE_PATH);
    assertThat(server.lastRequest().body()).isEqualTo("{\"include_global_state\":false}");
  }

  @Test
  void restoreOverAnOpenIndexSaysToDeleteItFirst() {
    // given: Elasticsearch 8.17 and OpenSearch 2.19 both answer 500 with this body
    server.respond("POST", RESTORE_PATH, 500,
        """
        {"error":{"root_cause":[{"type":"snapshot_restore_exception","reason":"[camunda:camunda_zeebe_records_backup_7/dBfHsNPrS7ilzFz2fCvl0Q] cannot restore index [zeebe-record_job_8.7.0_2024-01-01] because an open index with same name already exists in the cluster. Either close or delete the existing index or restore the index under a different name by providing a rename pattern and replacement name"}],
         "type":"snapshot_restore_exception","reason":"[camunda:camunda_zeebe_records_backup_7/dBfHsNPrS7ilzFz2fCvl0Q] cannot restore index [zeebe-record_job_8.7.0_2024-01-01] because an open index with same name already exists in the cluster. Either close or delete the existing index or restore the index under a different name by providing a rename pattern and replacement name"},"status":500}
        """);

    // when
    ComponentRequestRejectedException e = catchThrowableOfType(ComponentRequestRejectedException.class,
        () -> api(SearchEngineType.ELASTICSEARCH).restoreSnapshot(SNAPSHOT));

    // then
    assertThat(e.httpStatus()).isEqualTo(500);
    assertThat(e.getMessage())
        .contains("index [zeebe-record_job_8.7.0_2024-01-01] already exists")
        .contains("must be deleted first")
        .doesNotContain(PASSWORD);
  }

  @Test
  void restoringAMissingSnapshotIsRejectedAsThe500BothEnginesAnswer() {
    // given: what Elasticsearch 8.17 and OpenSearch 2.19 really answer, not a 404
    server.respond("POST", RESTORE_PATH, 500,
        """
        {"error":{"root_cause":[{"type":"snapshot_restore_exception","reason":"[camunda:camunda_zeebe_records_backup_7] snapshot does not exist"}],
         "type":"snapshot_restore_exception","reason":"[camunda:camunda_zeebe_records_backup_7] snapshot does not exist"},"status":500}
        """);

    // when
    ComponentRequestRejectedException e = catchThrowableOfType(ComponentRequestRejectedException.class,
        () -> api(SearchEngineType.OPENSEARCH).restoreSnapshot(SNAPSHOT));

    // then
    assertThat(e.getMessage()).contains("it does not exist in repository camunda").contains("backup ID");
  }

  @Test
  void restoringAMissingSnapshotAnswered404IsRejected() {
    // given
    server.respond("POST", RESTORE_PATH, 404, SNAPSHOT_MISSING);

    // when
    ComponentRequestRejectedException e = catchThrowableOfType(ComponentRequestRejectedException.class,
        () -> api(SearchEngineType.ELASTICSEARCH).restoreSnapshot(SNAPSHOT));

    // then
    assertThat(e.httpStatus()).isEqualTo(404);
    assertThat(e.getMessage()).contains("it does not exist in repository camunda");
  }

  @Test
  void restoreWhileSearchIsUnavailableIsTransient() {
    // given
    server.respond("POST", RESTORE_PATH, 503,
        "{\"error\":{\"type\":\"cluster_block_exception\",\"reason\":\"blocked by: [SERVICE_UNAVAILABLE/1/state not recovered / initialized];\"},\"status\":503}");

    // when
    ComponentUnavailableException e = catchThrowableOfType(ComponentUnavailableException.class,
        () -> api(SearchEngineType.ELASTICSEARCH).restoreSnapshot(SNAPSHOT));

    // then
    assertThat(e.httpStatus()).isEqualTo(503);
  }

  @Test
  void restoreIsDoneWhenEveryIndexIsGreenOrYellow() {
    // given
    snapshotHolds(JOB, PROCESS);
    server.respond("GET", indexHealth(JOB, PROCESS), 200,
        healthOf(index(PROCESS, "green", 1, 1), index(JOB, "yellow", 1, 1)));

    // when
    RestoreProgress progress = api(SearchEngineType.ELASTICSEARCH).restoreProgress(SNAPSHOT);

    // then
    assertThat(progress.state()).isEqualTo(RestoreProgress.State.DONE);
    assertThat(progress.indices()).containsExactly(JOB, PROCESS);
    assertThat(progress.missing()).isEmpty();
  }

  @Test
  void indicesTheWildcardAlsoMatchesAreIgnored() {
    // given: JOB* also matches a newer index of the same prefix
    snapshotHolds(JOB);
    server.respond("GET", indexHealth(JOB), 200, healthOf(index(JOB + "-reindexed", "green", 1, 1)));

    // when
    RestoreProgress progress = api(SearchEngineType.ELASTICSEARCH).restoreProgress(SNAPSHOT);

    // then
    assertThat(progress.state()).isEqualTo(RestoreProgress.State.NOT_STARTED);
    assertThat(progress.missing()).containsExactly(JOB);
  }

  @Test
  void restoreIsNotStartedWhenNoIndexExists() {
    // given: as name* a missing index is a wildcard matching nothing, simply absent instead of a 404
    snapshotHolds(JOB, PROCESS);
    server.respond("GET", indexHealth(JOB, PROCESS), 200, healthOf());

    // when
    RestoreProgress progress = api(SearchEngineType.OPENSEARCH).restoreProgress(SNAPSHOT);

    // then
    assertThat(progress.state()).isEqualTo(RestoreProgress.State.NOT_STARTED);
    assertThat(progress.missing()).containsExactly(JOB, PROCESS);
  }

  @Test
  void restoreIsInProgressWhileAnIndexIsMissing() {
    // given
    snapshotHolds(JOB, PROCESS);
    server.respond("GET", indexHealth(JOB, PROCESS), 200, healthOf(index(JOB, "green", 1, 1)));

    // when
    RestoreProgress progress = api(SearchEngineType.ELASTICSEARCH).restoreProgress(SNAPSHOT);

    // then
    assertThat(progress.state()).isEqualTo(RestoreProgress.State.IN_PROGRESS);
    assertThat(progress.missing()).containsExactly(PROCESS);
    assertThat(progress.detail()).contains("1 of 2").contains("missing: [" + PROCESS + "]");
  }

  @Test
  void restoreIsInProgressWhileAPrimaryIsStillRecoveringThoughHealthIsYellow() {
    // given: both engines report a primary being restored from a snapshot as yellow, not red
    snapshotHolds(JOB, PROCESS);
    server.respond("GET", indexHealth(JOB, PROCESS), 200,
        healthOf(index(JOB, "yellow", 1, 0), index(PROCESS, "green", 1, 1)));

    // when
    RestoreProgress progress = api(SearchEngineType.OPENSEARCH).restoreProgress(SNAPSHOT);

    // then
    assertThat(progress.state()).isEqualTo(RestoreProgress.State.IN_PROGRESS);
    assertThat(progress.missing()).isEmpty();
    assertThat(progress.detail()).contains("still recovering: [" + JOB + " (yellow, 0 of 1 primaries active)]");
  }

  @Test
  void restoreIsInProgressWhileAnIndexIsRed() {
    // given
    snapshotHolds(JOB);
    server.respond("GET", indexHealth(JOB), 200, healthOf(index(JOB, "red", 2, 2)));

    // when
    RestoreProgress progress = api(SearchEngineType.ELASTICSEARCH).restoreProgress(SNAPSHOT);

    // then
    assertThat(progress.state()).isEqualTo(RestoreProgress.State.IN_PROGRESS);
  }

  @Test
  void restoreOfAMissingSnapshotHasFailed() {
    // given
    server.respond("GET", SNAPSHOT_PATH, 404, SNAPSHOT_MISSING);

    // when
    RestoreProgress progress = api(SearchEngineType.ELASTICSEARCH).restoreProgress(SNAPSHOT);

    // then
    assertThat(progress.state()).isEqualTo(RestoreProgress.State.FAILED);
    assertThat(progress.detail()).contains("DOES_NOT_EXIST");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void restoreOfAFailedSnapshotHasFailed() {
    // given
    server.respond("GET", SNAPSHOT_PATH, 200,
        "{\"snapshots\":[{\"snapshot\":\"" + SNAPSHOT + "\",\"indices\":[\"" + JOB + "\"],\"state\":\"FAILED\",\"start_time_in_millis\":1,\"end_time_in_millis\":2}]}");

    // when
    RestoreProgress progress = api(SearchEngineType.OPENSEARCH).restoreProgress(SNAPSHOT);

    // then
    assertThat(progress.state()).isEqualTo(RestoreProgress.State.FAILED);
    assertThat(progress.indices()).containsExactly(JOB);
  }

  @Test
  void manyIndicesAreAskedInBatchesBelowTheRequestLineLimit() {
    // given: an Optimize snapshot holds one instance index per process definition
    List<String> many = java.util.stream.IntStream.range(0, 120)
        .mapToObj(i -> "optimize-process-instance-order-fulfilment-process-" + i + "_v8").toList();
    snapshotHolds(many.toArray(String[]::new));
    HttpSnapshotApi api = api(SearchEngineType.ELASTICSEARCH);

    // when: each batch the client asks for is answered [] from then on (unstubbed requests answer 404)
    RestoreProgress progress = null;
    for (int attempt = 0; attempt < 20 && progress == null; attempt++) {
      try {
        progress = api.restoreProgress(SNAPSHOT);
      } catch (ComponentRequestRejectedException notStubbedYet) {
        server.respond("GET", server.lastRequest().path(), 200, healthOf());
      }
    }

    // then
    assertThat(progress).isNotNull();
    assertThat(progress.state()).isEqualTo(RestoreProgress.State.NOT_STARTED);
    List<String> batches = server.requests().stream()
        .map(RecordingHttpServer.RecordedRequest::path)
        .filter(path -> path.startsWith("/_cluster/health/"))
        .distinct()
        .toList();
    assertThat(batches).hasSizeGreaterThan(1).allSatisfy(path -> assertThat(path.length()).isLessThan(3_000));
    assertThat(batches.stream()
            .flatMap(path -> java.util.Arrays.stream(path.substring("/_cluster/health/".length(), path.indexOf('?')).split(",")))
            .map(name -> name.substring(0, name.length() - 1))
            .toList())
        .containsExactlyElementsOf(many);
  }

  @Test
  void documentCountReadsCount() {
    // given
    server.respond("GET", "/" + JOB + "/_count", 200,
        "{\"count\":42,\"_shards\":{\"total\":1,\"successful\":1,\"skipped\":0,\"failed\":0}}");

    // when
    long count = api(SearchEngineType.ELASTICSEARCH).documentCount(JOB);

    // then
    assertThat(count).isEqualTo(42);
  }

  @Test
  void documentCountOfAMissingIndexIsMinusOne() {
    // given
    server.respond("GET", "/" + JOB + "/_count", 404, indexNotFound(JOB));

    // when
    long count = api(SearchEngineType.OPENSEARCH).documentCount(JOB);

    // then
    assertThat(count).isEqualTo(-1);
  }

  private void snapshotHolds(String... indices) {
    StringBuilder names = new StringBuilder();
    for (String index : indices) {
      names.append(names.isEmpty() ? "" : ",").append('"').append(index).append('"');
    }
    server.respond("GET", SNAPSHOT_PATH, 200,
        "{\"snapshots\":[{\"snapshot\":\"" + SNAPSHOT + "\",\"repository\":\"camunda\",\"indices\":[" + names
            + "],\"data_streams\":[],\"include_global_state\":false,\"state\":\"SUCCESS\",\"start_time_in_millis\":1704103200000,"
            + "\"end_time_in_millis\":1704103201000,\"failures\":[],\"shards\":{\"total\":2,\"failed\":0,\"successful\":2}}],"
            + "\"total\":1,\"remaining\":0}");
  }

  private static String indexHealth(String... indices) {
    return "/_cluster/health/" + String.join("*,", indices) + "*?level=indices";
  }

  /** The answer of {@code _cluster/health/...?level=indices}, trimmed to the cluster fields we do not read. */
  private static String healthOf(String... indexEntries) {
    return "{\"cluster_name\":\"camunda\",\"status\":\"yellow\",\"timed_out\":false,\"number_of_nodes\":1,"
        + "\"number_of_data_nodes\":1,\"indices\":{" + String.join(",", indexEntries) + "}}";
  }

  private static String index(String name, String status, int shards, int activePrimaries) {
    return "\"" + name + "\":{\"status\":\"" + status + "\",\"number_of_shards\":" + shards
        + ",\"number_of_replicas\":1,\"active_primary_shards\":" + activePrimaries + ",\"active_shards\":" + activePrimaries
        + ",\"relocating_shards\":0,\"initializing_shards\":" + (shards - activePrimaries)
        + ",\"unassigned_shards\":" + shards + "}";
  }

  private static String indexNotFound(String index) {
    return "{\"error\":{\"root_cause\":[{\"type\":\"index_not_found_exception\",\"reason\":\"no such index [" + index
        + "]\",\"resource.type\":\"index_or_alias\",\"resource.id\":\"" + index + "\",\"index_uuid\":\"_na_\",\"index\":\""
        + index + "\"}],\"type\":\"index_not_found_exception\",\"reason\":\"no such index [" + index
        + "]\",\"resource.type\":\"index_or_alias\",\"resource.id\":\"" + index + "\",\"index_uuid\":\"_na_\",\"index\":\""
        + index + "\"},\"status\":404}";
  }
}
