package io.github.c8backup.cluster.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.c8backup.cluster.ComponentRequestRejectedException;
import io.github.c8backup.cluster.http.JsonHttp;
import io.github.c8backup.config.SearchEndpoint;
import io.github.c8backup.sandbox.storage.SearchEngineKind;
import io.github.c8backup.sandbox.storage.SearchEngineProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Restore steps 4 and 5 (reference 7.2) on a real OpenSearch 2.19: snapshot, delete by name,
 * restore, wait until done, same contents. Starts OpenSearch once (about 10 s).
 */
class SnapshotRestoreOnRealSearchTest {

  private static final String REPOSITORY = "camunda-backups";
  private static final String LIST_VIEW = "operate-list-view-8.6.0_";
  private static final String FLOW_NODE = "operate-flownode-instance-8.6.0_";
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private static SearchEngineProcess openSearch;
  private static HttpSnapshotApi api;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void startOpenSearch() {
    openSearch = SearchEngineProcess.start(SearchEngineKind.OPENSEARCH, REPOSITORY);
    // type null: detected from GET / as the application does when it is not configured
    SearchEndpoint endpoint = new SearchEndpoint(openSearch.url(), null, REPOSITORY, "zeebe-record", true, null);
    api = new HttpSnapshotApi(endpoint, JsonHttp.create("search", Duration.ofSeconds(2), Duration.ofSeconds(10), null));
  }

  @AfterAll
  static void stopOpenSearch() {
    if (openSearch != null) {
      openSearch.close();
    }
  }

  @Test
  void deletedIndicesComeBackWithTheirDocumentsAfterRestore() throws Exception {
    // given
    index(LIST_VIEW, 3);
    index(FLOW_NODE, 5);
    String snapshot = "camunda_webapps_1_8.6.0_part_1_of_1";
    api.createSnapshot(snapshot, "operate-*");
    awaitTrue(() -> api.snapshot(snapshot).state() == SnapshotState.SUCCESS, "snapshot " + snapshot + " SUCCESS");
    ComponentRequestRejectedException overOpenIndex =
        catchThrowableOfType(ComponentRequestRejectedException.class, () -> api.restoreSnapshot(snapshot));

    // when
    api.deleteIndex(LIST_VIEW);
    api.deleteIndex(FLOW_NODE);
    api.deleteIndex(FLOW_NODE); // idempotent
    RestoreProgress beforeRestore = api.restoreProgress(snapshot);
    api.restoreSnapshot(snapshot);
    awaitTrue(() -> api.restoreProgress(snapshot).state() == RestoreProgress.State.DONE, "restore of " + snapshot + " DONE");

    // then
    assertThat(overOpenIndex.getMessage()).contains("must be deleted first");
    assertThat(beforeRestore.state()).isEqualTo(RestoreProgress.State.NOT_STARTED);
    assertThat(beforeRestore.missing()).containsExactlyInAnyOrder(LIST_VIEW, FLOW_NODE);
    assertThat(api.restoreProgress(snapshot).indices()).containsExactlyInAnyOrder(LIST_VIEW, FLOW_NODE);
    assertThat(api.documentCount(LIST_VIEW)).isEqualTo(3);
    assertThat(api.documentCount(FLOW_NODE)).isEqualTo(5);
    assertThat(api.documentCount("operate-never-created")).isEqualTo(-1);
  }

  @Test
  void wildcardDeleteIsRefusedAndNothingIsDeleted() throws Exception {
    // given: OpenSearch itself would delete every match of DELETE /tasklist-*
    index("tasklist-task-8.6.0_", 2);

    // when
    IllegalArgumentException refused =
        catchThrowableOfType(IllegalArgumentException.class, () -> api.deleteIndex("tasklist-*"));

    // then
    assertThat(refused).hasMessageContaining("Refusing to delete 'tasklist-*'");
    assertThat(api.indices("tasklist-*")).containsExactly("tasklist-task-8.6.0_");
    assertThat(api.documentCount("tasklist-task-8.6.0_")).isEqualTo(2);
  }

  @Test
  void restoringASnapshotThatDoesNotExistIsRejected() {
    // when
    ComponentRequestRejectedException e = catchThrowableOfType(ComponentRequestRejectedException.class,
        () -> api.restoreSnapshot("camunda_webapps_404_8.6.0_part_1_of_1"));

    // then
    assertThat(e.getMessage()).contains("does not exist in repository " + REPOSITORY);
    assertThat(api.restoreProgress("camunda_webapps_404_8.6.0_part_1_of_1").state())
        .isEqualTo(RestoreProgress.State.FAILED);
  }

  private void index(String index, int documents) throws Exception {
    for (int i = 1; i <= documents; i++) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(openSearch.url() + "/" + index + "/_doc/" + i + "?refresh=true"))
          .header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString("{\"key\":" + i + "}"))
          .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("indexing into %s: %s", index, response.body()).isIn(200, 201);
    }
  }

  private static void awaitTrue(Supplier<Boolean> condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Not reached within " + DEADLINE.toSeconds() + " s: " + what);
      }
      Thread.sleep(200);
    }
  }
}
