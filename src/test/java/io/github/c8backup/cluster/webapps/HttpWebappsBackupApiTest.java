package io.github.c8backup.cluster.webapps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.c8backup.cluster.BackupIdTakenException;
import io.github.c8backup.cluster.ComponentBackup;
import io.github.c8backup.cluster.ComponentBackupState;
import io.github.c8backup.cluster.ComponentRequestRejectedException;
import io.github.c8backup.cluster.ComponentUnavailableException;
import io.github.c8backup.cluster.RecordingHttpServer;
import io.github.c8backup.cluster.SnapshotDetail;
import io.github.c8backup.cluster.http.JsonHttp;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.Credentials;
import io.github.c8backup.config.ManagementEndpoint;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpWebappsBackupApiTest {

  private static final String PASSWORD = "webapps-Secret-2";

  private final RecordingHttpServer server = RecordingHttpServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpWebappsBackupApi api(String component, CamundaVersion version) {
    ManagementEndpoint endpoint = new ManagementEndpoint(server.url(), "", "/actuator", new Credentials("admin", PASSWORD));
    return new HttpWebappsBackupApi(
        component, endpoint, version, JsonHttp.create(component, Duration.ofSeconds(1), Duration.ofSeconds(2), endpoint.credentials()));
  }

  @Test
  void webappsCreateReturnsScheduledSnapshots() {
    // given: 8.8 answers 200, not 202 (reference 3.2)
    server.respond("POST", "/actuator/backupHistory", 200,
        """
        {"scheduledSnapshots":["camunda_webapps_1748937221_8.8.0_part_1_of_5","camunda_webapps_1748937221_8.8.0_part_2_of_5",
          "camunda_webapps_1748937221_8.8.0_part_3_of_5","camunda_webapps_1748937221_8.8.0_part_4_of_5",
          "camunda_webapps_1748937221_8.8.0_part_5_of_5"]}
        """);

    // when
    List<String> scheduled = api("webapps", CamundaVersion.V8_8).takeBackup(1748937221L);

    // then
    assertThat(scheduled).hasSize(5).first().isEqualTo("camunda_webapps_1748937221_8.8.0_part_1_of_5");
    assertThat(server.lastRequest().method()).isEqualTo("POST");
    assertThat(server.lastRequest().path()).isEqualTo("/actuator/backupHistory");
    assertThat(server.lastRequest().body()).isEqualTo("{\"backupId\":1748937221}");
  }

  @Test
  void operateCreatePostsToBackupsOn86() {
    // given
    server.respond("POST", "/actuator/backups", 200,
        "{\"scheduledSnapshots\":[\"camunda_operate_123_8.6.0_part_1_of_6\",\"camunda_operate_123_8.6.0_part_2_of_6\"]}");

    // when
    List<String> scheduled = api("operate", CamundaVersion.V8_6).takeBackup(123);

    // then
    assertThat(scheduled).containsExactly("camunda_operate_123_8.6.0_part_1_of_6", "camunda_operate_123_8.6.0_part_2_of_6");
    assertThat(server.lastRequest().path()).isEqualTo("/actuator/backups");
  }

  @Test
  void duplicateIdIsBackupIdTaken() {
    // given
    server.respond("POST", "/actuator/backups", 400,
        "{\"message\":\"A backup with ID [123] already exists. Found snapshots: [camunda_tasklist_123_8.7.0_part_1_of_6]\"}");

    // when
    BackupIdTakenException e =
        catchThrowableOfType(BackupIdTakenException.class, () -> api("tasklist", CamundaVersion.V8_7).takeBackup(123));

    // then
    assertThat(e.component()).isEqualTo("tasklist");
    assertThat(e.backupId()).isEqualTo(123);
    assertThat(e.getMessage()).contains("already exists").doesNotContain(PASSWORD);
  }

  @Test
  void anotherBackupRunningIsTransient() {
    // given
    server.respond("POST", "/actuator/backupHistory", 400, "{\"message\":\"Another backup is running at the moment\"}");

    // when
    ComponentUnavailableException e =
        catchThrowableOfType(ComponentUnavailableException.class, () -> api("webapps", CamundaVersion.V8_9).takeBackup(5));

    // then
    assertThat(e.component()).isEqualTo("webapps");
    assertThat(e.httpStatus()).isEqualTo(400);
    assertThat(e.getMessage()).contains("Another backup is running at the moment").contains("Retry later");
  }

  @Test
  void otherBadRequestIsRejected() {
    // given: 8.8 reports a missing repository configuration as 400 (reference 3.2)
    server.respond("POST", "/actuator/backupHistory", 400, "{\"message\":\"No backup repository configured.\"}");

    // when
    ComponentRequestRejectedException e =
        catchThrowableOfType(ComponentRequestRejectedException.class, () -> api("webapps", CamundaVersion.V8_8).takeBackup(5));

    // then
    assertThat(e.httpStatus()).isEqualTo(400);
    assertThat(e.bodyExcerpt()).isEqualTo("No backup repository configured.");
    assertThat(e.getMessage()).contains("POST " + server.url() + "/actuator/backupHistory").contains("repository");
  }

  @Test
  void backupReadsStateAndSnapshotDetails() {
    // given
    server.respond("GET", "/actuator/backups/123", 200,
        """
        {"backupId":123,"state":"COMPLETED","failureReason":null,
         "details":[{"snapshotName":"camunda_operate_123_8.7.0_part_1_of_6","state":"SUCCESS",
                     "startTime":"2023-01-01T10:10:10.100+0000","failures":[]}]}
        """);

    // when
    ComponentBackup backup = api("operate", CamundaVersion.V8_7).backup(123);

    // then
    assertThat(backup.backupId()).isEqualTo(123);
    assertThat(backup.state()).isEqualTo(ComponentBackupState.COMPLETED);
    assertThat(backup.failureReason()).isNull();
    assertThat(backup.details()).containsExactly(
        new SnapshotDetail("camunda_operate_123_8.7.0_part_1_of_6", "SUCCESS", "2023-01-01T10:10:10.100+0000", List.of()));
  }

  @Test
  void failedBackupKeepsFailures() {
    // given
    server.respond("GET", "/actuator/backupHistory/9", 200,
        """
        {"backupId":9,"state":"FAILED","failureReason":"There were failures with the following snapshots: camunda_webapps_9_8.8.0_part_2_of_5",
         "details":[{"snapshotName":"camunda_webapps_9_8.8.0_part_2_of_5","state":"FAILED","startTime":null,"failures":["shard failure"]}]}
        """);

    // when
    ComponentBackup backup = api("webapps", CamundaVersion.V8_8).backup(9);

    // then
    assertThat(backup.state()).isEqualTo(ComponentBackupState.FAILED);
    assertThat(backup.failureReason()).startsWith("There were failures");
    assertThat(backup.details().get(0).failures()).containsExactly("shard failure");
    assertThat(backup.details().get(0).startTime()).isNull();
  }

  @Test
  void missingBackupIsDoesNotExist() {
    // given
    server.respond("GET", "/actuator/backupHistory/9", 404, "{\"message\":\"No backup with id [9] found.\"}");

    // when
    ComponentBackup backup = api("webapps", CamundaVersion.V8_8).backup(9);

    // then
    assertThat(backup).isEqualTo(ComponentBackup.doesNotExist(9));
  }

  @Test
  void missingRepositoryOnGetIsRejectedNotDoesNotExist() {
    // given: 8.8 answers 404 for an unknown repository too (reference 3.2)
    server.respond("GET", "/actuator/backupHistory/9", 404, "{\"message\":\"No repository with name [camunda] could be found.\"}");

    // when
    ComponentRequestRejectedException e =
        catchThrowableOfType(ComponentRequestRejectedException.class, () -> api("webapps", CamundaVersion.V8_8).backup(9));

    // then
    assertThat(e.httpStatus()).isEqualTo(404);
    assertThat(e.bodyExcerpt()).contains("No repository with name [camunda]");
  }

  @Test
  void backupsListsEveryBackup() {
    // given
    server.respond("GET", "/actuator/backups", 200,
        "[{\"backupId\":2,\"state\":\"IN_PROGRESS\",\"failureReason\":null,\"details\":[]},"
            + "{\"backupId\":1,\"state\":\"INCOMPLETE\",\"failureReason\":null,\"details\":[]}]");

    // when
    List<ComponentBackup> backups = api("tasklist", CamundaVersion.V8_6).backups();

    // then
    assertThat(backups).extracting(ComponentBackup::backupId).containsExactly(2L, 1L);
    assertThat(backups).extracting(ComponentBackup::state)
        .containsExactly(ComponentBackupState.IN_PROGRESS, ComponentBackupState.INCOMPLETE);
  }

  @Test
  void listWithoutRepositoryIsRejected() {
    // given: 404 on the list means no repository is configured (reference 3.1)
    server.respond("GET", "/actuator/backups", 404, "{\"message\":\"No backup repository configured.\"}");

    // when
    ComponentRequestRejectedException e =
        catchThrowableOfType(ComponentRequestRejectedException.class, () -> api("operate", CamundaVersion.V8_6).backups());

    // then
    assertThat(e.httpStatus()).isEqualTo(404);
    assertThat(e.getMessage()).contains("operate answered HTTP 404").contains("backup repository name");
  }

  @Test
  void deleteSendsDeleteAndToleratesMissingBackup() {
    // given
    server.respond("DELETE", "/actuator/backupHistory/9", 404, "{\"message\":\"No backup with id [9] found.\"}");

    // when
    api("webapps", CamundaVersion.V8_9).deleteBackup(9);

    // then
    assertThat(server.lastRequest().method()).isEqualTo("DELETE");
    assertThat(server.lastRequest().path()).isEqualTo("/actuator/backupHistory/9");
  }

  @Test
  void unknownStateFailsClearly() {
    // given
    server.respond("GET", "/actuator/backups/9", 200, "{\"backupId\":9,\"state\":\"WHATEVER\",\"details\":[]}");

    // when
    ComponentRequestRejectedException e =
        catchThrowableOfType(ComponentRequestRejectedException.class, () -> api("operate", CamundaVersion.V8_7).backup(9));

    // then
    assertThat(e.getMessage()).contains("unknown backup state 'WHATEVER'");
  }
}
