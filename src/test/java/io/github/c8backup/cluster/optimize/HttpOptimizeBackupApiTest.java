package io.github.c8backup.cluster.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.c8backup.cluster.BackupIdTakenException;
import io.github.c8backup.cluster.ComponentBackup;
import io.github.c8backup.cluster.ComponentBackupState;
import io.github.c8backup.cluster.ComponentRequestRejectedException;
import io.github.c8backup.cluster.RecordingHttpServer;
import io.github.c8backup.cluster.http.JsonHttp;
import io.github.c8backup.config.Credentials;
import io.github.c8backup.config.ManagementEndpoint;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpOptimizeBackupApiTest {

  private static final String PASSWORD = "optimize-Secret-3";

  private final RecordingHttpServer server = RecordingHttpServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpOptimizeBackupApi api(String contextPath) {
    ManagementEndpoint endpoint = new ManagementEndpoint(server.url(), contextPath, "/actuator", new Credentials("admin", PASSWORD));
    return new HttpOptimizeBackupApi(
        endpoint, JsonHttp.create("optimize", Duration.ofSeconds(1), Duration.ofSeconds(2), endpoint.credentials()));
  }

  private static String backupBody(long id, String state) {
    return """
        {"backupId":%d,"failureReason":null,"state":"%s",
         "details":[{"snapshotName":"camunda_optimize_%d_8.7.0_part_1_of_2","state":"SUCCESS","startTime":"2023-01-01T10:10:10.100+0000","failures":[]},
                    {"snapshotName":"camunda_optimize_%d_8.7.0_part_2_of_2","state":"SUCCESS","startTime":"2023-01-01T10:10:11.100+0000","failures":[]}]}
        """.formatted(id, state, id, id);
  }

  @Test
  void takeBackupPostsBackupIdAndAccepts202() {
    // given
    server.respond("POST", "/actuator/backups", 202,
        "{\"message\":\"Backup creation for ID 7 has been scheduled. Use the GET API to monitor completion of backup process\"}");

    // when
    api("").takeBackup(7);

    // then
    assertThat(server.lastRequest().method()).isEqualTo("POST");
    assertThat(server.lastRequest().path()).isEqualTo("/actuator/backups");
    assertThat(server.lastRequest().body()).isEqualTo("{\"backupId\":7}");
  }

  @Test
  void optimizeIgnoresContextPath() {
    // given: Helm contextPath does not move Optimize's management API (reference 1.3)
    server.respond("POST", "/actuator/backups", 202, "{\"message\":\"scheduled\"}");

    // when
    api("/optimize").takeBackup(7);

    // then
    assertThat(server.lastRequest().path()).isEqualTo("/actuator/backups");
  }

  @Test
  void conflictIsBackupIdTaken() {
    // given
    server.respond("POST", "/actuator/backups", 409,
        "{\"errorCode\":\"conflict\",\"errorMessage\":\"A backup with ID 7 already exists.\",\"detailedMessage\":null}");

    // when
    BackupIdTakenException e = catchThrowableOfType(BackupIdTakenException.class, () -> api("").takeBackup(7));

    // then
    assertThat(e.component()).isEqualTo("optimize");
    assertThat(e.backupId()).isEqualTo(7);
    assertThat(e.getMessage()).contains("A backup with ID 7 already exists.").doesNotContain(PASSWORD);
  }

  @Test
  void errorMessageOfOptimizeBodyIsTheExcerpt() {
    // given
    server.respond("POST", "/actuator/backups", 400,
        "{\"errorCode\":\"badRequestError\",\"errorMessage\":\"Cannot execute backup request because no Elasticsearch snapshot repository name found in Optimize configuration.\",\"detailedMessage\":\"...\"}");

    // when
    ComponentRequestRejectedException e = catchThrowableOfType(ComponentRequestRejectedException.class, () -> api("").takeBackup(7));

    // then
    assertThat(e.httpStatus()).isEqualTo(400);
    assertThat(e.bodyExcerpt()).startsWith("Cannot execute backup request because no Elasticsearch snapshot repository name");
    assertThat(e.getMessage()).contains("CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME").doesNotContain(PASSWORD);
  }

  @Test
  void optimizeCompleteIsReadAsCompleted() {
    // given: the Optimize API pages say COMPLETE (reference 4)
    server.respond("GET", "/actuator/backups/7", 200, backupBody(7, "COMPLETE"));

    // when
    ComponentBackup backup = api("").backup(7);

    // then
    assertThat(backup.state()).isEqualTo(ComponentBackupState.COMPLETED);
    assertThat(backup.details()).extracting(d -> d.snapshotName())
        .containsExactly("camunda_optimize_7_8.7.0_part_1_of_2", "camunda_optimize_7_8.7.0_part_2_of_2");
  }

  @Test
  void optimizeCompletedIsReadAsCompleted() {
    // given: the code and the backup guides say COMPLETED (reference 4)
    server.respond("GET", "/actuator/backups/7", 200, backupBody(7, "COMPLETED"));

    // when
    ComponentBackup backup = api("").backup(7);

    // then
    assertThat(backup.state()).isEqualTo(ComponentBackupState.COMPLETED);
  }

  @Test
  void missingBackupIsDoesNotExist() {
    // given
    server.respond("GET", "/actuator/backups/8", 404,
        "{\"errorCode\":\"notFoundError\",\"errorMessage\":\"No Optimize backup with ID [8] could be found.\",\"detailedMessage\":null}");

    // when
    ComponentBackup backup = api("").backup(8);

    // then
    assertThat(backup).isEqualTo(ComponentBackup.doesNotExist(8));
  }

  @Test
  void backupsListsEveryBackup() {
    // given
    server.respond("GET", "/actuator/backups", 200, "[" + backupBody(8, "IN_PROGRESS") + "," + backupBody(7, "COMPLETE") + "]");

    // when
    List<ComponentBackup> backups = api("").backups();

    // then
    assertThat(backups).extracting(ComponentBackup::state)
        .containsExactly(ComponentBackupState.IN_PROGRESS, ComponentBackupState.COMPLETED);
  }

  @Test
  void deleteSendsDeleteAndToleratesMissingBackup() {
    // given
    server.respond("DELETE", "/actuator/backups/8", 404, "{\"errorCode\":\"notFoundError\",\"errorMessage\":\"No Optimize backup with ID [8] could be found.\"}");

    // when
    api("").deleteBackup(8);

    // then
    assertThat(server.lastRequest().method()).isEqualTo("DELETE");
    assertThat(server.lastRequest().path()).isEqualTo("/actuator/backups/8");
  }
}
