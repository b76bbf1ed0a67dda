package io.github.c8backup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import io.github.c8backup.cluster.TargetClusters;
import io.github.c8backup.config.TargetCluster;
import io.github.c8backup.run.ClusterRuns;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** The restore endpoint: which request fits which cluster; a refused request publishes nothing. */
class RestoreRequestControllerTest {

  private final ClusterRuns client = mock(ClusterRuns.class);
  private final TargetClusters clusters = mock(TargetClusters.class);
  private final RestoreRequestController controller = new RestoreRequestController(client, clusters);

  @BeforeEach
  void givenAnRdbmsAndASearchCluster() {
    TargetCluster rdbms = mock(TargetCluster.class);
    given(rdbms.usesRdbms()).willReturn(true);
    TargetCluster search = mock(TargetCluster.class);
    given(search.usesRdbms()).willReturn(false);
    given(clusters.settings("pg")).willReturn(rdbms);
    given(clusters.settings("es")).willReturn(search);
  }

  private ResponseEntity<?> post(String cluster, RestoreRequestController.RestoreRequest body) {
    try {
      return controller.request(cluster, body);
    } catch (RestoreRequestController.BadRestoreRequest e) {
      return controller.badRequest(e);
    }
  }

  @Test
  void startsAnRdbmsClusterWithTheCanonicalInstantOrLatest() {
    var settings = clusters.settings("pg");

    var at = RestoreRequestController.variables("pg", settings, new RestoreRequestController.RestoreRequest(null, "2026-01-10T15:00:00+01:00", true));
    var latest = RestoreRequestController.variables("pg", settings, null);

    assertThat(at).containsEntry("pointInTime", "2026-01-10T14:00:00Z").containsEntry("preApproved", true).doesNotContainKey("backupId");
    assertThat(latest).containsEntry("pointInTime", "latest").containsEntry("preApproved", false);
  }

  @Test
  void startsASearchClusterWithABackupIdOrLatest() {
    var settings = clusters.settings("es");

    assertThat(RestoreRequestController.variables("es", settings, new RestoreRequestController.RestoreRequest(7, null, null)))
        .containsEntry("backupId", 7).doesNotContainKey("pointInTime");
    assertThat(RestoreRequestController.variables("es", settings, null)).containsEntry("backupId", "latest");
  }

  @Test
  void refusesABackupIdForAnRdbmsClusterWith400AndPublishesNothing() {
    ResponseEntity<?> response = post("pg", new RestoreRequestController.RestoreRequest(100, null, true));

    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(((Map<?, ?>) response.getBody()).get("message").toString()).contains("restored to a point in time", "pointInTime");
    verifyNoInteractions(client);
  }

  @Test
  void refusesAPointInTimeForASearchClusterWith400AndPublishesNothing() {
    ResponseEntity<?> response = post("es", new RestoreRequestController.RestoreRequest(null, "2026-01-10T14:00:00Z", true));

    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(((Map<?, ?>) response.getBody()).get("message").toString()).contains("Elasticsearch/OpenSearch", "secondary-storage rdbms");
    verifyNoInteractions(client);
  }

  @Test
  void refusesAMalformedInstantWith400AndPublishesNothing() {
    ResponseEntity<?> noZone = post("pg", new RestoreRequestController.RestoreRequest(null, "2026-01-10T14:00:00", true));
    ResponseEntity<?> garbage = post("pg", new RestoreRequestController.RestoreRequest(null, "yesterday", true));

    assertThat(noZone.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(((Map<?, ?>) garbage.getBody()).get("message").toString()).contains("'yesterday' is malformed", "ISO-8601");
    verifyNoInteractions(client);
  }

  @Test
  void startsAnRdbmsClusterOnANamedHistoryAndOnTheCurrentOneWithout() throws Exception {
    var settings = clusters.settings("pg");

    var back = RestoreRequestController.variables("pg", settings, json("{\"pointInTime\": \"latest\", \"history\": 1}"));
    var current = RestoreRequestController.variables("pg", settings, json("{\"pointInTime\": \"latest\"}"));

    assertThat(back).containsEntry("history", 1).containsEntry("pointInTime", "latest");
    assertThat(current).doesNotContainKey("history");
  }

  @Test
  void refusesAHistoryThatIsNotAPositiveWholeNumberWith400AndPublishesNothing() throws Exception {
    for (String history : List.of("0", "-1", "1.5", "\"one\"", "true", "[1]", "99999999999")) {
      ResponseEntity<?> response = post("pg", json("{\"pointInTime\": \"latest\", \"history\": " + history + "}"));

      assertThat(response.getStatusCode()).as(history).isEqualTo(HttpStatus.BAD_REQUEST);
      assertThat(((Map<?, ?>) response.getBody()).get("message").toString()).as(history)
          .contains("is not a history number", "positive whole number");
    }
    verifyNoInteractions(client);
  }

  @Test
  void refusesAHistoryForASearchClusterWith400AndPublishesNothing() throws Exception {
    ResponseEntity<?> response = post("es", json("{\"backupId\": 7, \"history\": 1}"));

    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(((Map<?, ?>) response.getBody()).get("message").toString()).contains("Elasticsearch/OpenSearch", "no histories");
    verifyNoInteractions(client);
  }

  /** The body as Spring binds it from JSON, so numbers, text and booleans arrive as they would. */
  private static RestoreRequestController.RestoreRequest json(String body) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().readValue(body, RestoreRequestController.RestoreRequest.class);
  }
}
