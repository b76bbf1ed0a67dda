package io.github.c8backup.cluster.zeebe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.github.c8backup.cluster.BackupIdTakenException;
import io.github.c8backup.cluster.ComponentRequestRejectedException;
import io.github.c8backup.cluster.ComponentUnavailableException;
import io.github.c8backup.cluster.RecordingHttpServer;
import io.github.c8backup.cluster.http.JsonHttp;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.Credentials;
import io.github.c8backup.config.ManagementEndpoint;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpZeebeManagementTest {

  private static final String PASSWORD = "zeebe-Secret-1";

  // reference 2.1: the soft-pause variant of the exporting endpoint
  private static final String EXPORTING_OK = "{\"body\":null,\"status\":204,\"contentType\":null}";
  private static final String EXPORTING_FAILED =
      "{\"body\":{\"message\":\"Expected 3 members of partition 1 but found 2, current topology: ...\"},\"status\":500,\"contentType\":null}";

  // reference 2.3
  private static final String BACKUP_COMPLETED =
      """
      {"backupId":100,"state":"COMPLETED","details":[
        {"partitionId":1,"state":"COMPLETED","failureReason":null,
         "createdAt":"2022-12-08T13:00:55.344276672Z","lastUpdatedAt":"2022-12-08T13:00:55.805351556Z",
         "snapshotId":"2-1-3-2","checkpointPosition":5,"brokerId":0,"brokerVersion":"8.8.3"},
        {"partitionId":2,"state":"COMPLETED"}]}
      """;

  private final RecordingHttpServer server = RecordingHttpServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpZeebeManagement zeebe(CamundaVersion version) {
    return zeebe(new ManagementEndpoint(server.url(), "", "/actuator", new Credentials("admin", PASSWORD)), version);
  }

  private static HttpZeebeManagement zeebe(ManagementEndpoint endpoint, CamundaVersion version) {
    return new HttpZeebeManagement(
        endpoint, version, JsonHttp.create("zeebe", Duration.ofSeconds(1), Duration.ofSeconds(2), endpoint.credentials()));
  }

  @Test
  void softPausePostsSoftTrueAndSucceedsWhenBodyStatusIs204() {
    // given
    server.respond("POST", "/actuator/exporting/pause?soft=true", 200, EXPORTING_OK);

    // when
    zeebe(CamundaVersion.V8_8).softPauseExporting();

    // then
    assertThat(server.lastRequest().method()).isEqualTo("POST");
    assertThat(server.lastRequest().path()).isEqualTo("/actuator/exporting/pause?soft=true");
  }

  @Test
  void softPauseSucceedsOnPlain204() {
    // given: older brokers answer a real 204 without body (reference 2.1)
    server.respond("POST", "/actuator/exporting/pause?soft=true", 204, null);

    // when
    zeebe(CamundaVersion.V8_6).softPauseExporting();

    // then
    assertThat(server.requests()).extracting(r -> r.method() + " " + r.path())
        .containsExactly("POST /actuator/exporting/pause?soft=true");
  }

  @Test
  void softPauseFailsWhenBodyStatusIs500ButHttpIs200() {
    // given
    server.respond("POST", "/actuator/exporting/pause?soft=true", 200, EXPORTING_FAILED);

    // when
    ComponentRequestRejectedException e =
        catchThrowableOfType(ComponentRequestRejectedException.class, () -> zeebe(CamundaVersion.V8_8).softPauseExporting());

    // then
    assertThat(e.component()).isEqualTo("zeebe");
    assertThat(e.httpStatus()).isEqualTo(500);
    assertThat(e.bodyExcerpt()).startsWith("Expected 3 members of partition 1 but found 2");
    assertThat(e.getMessage())
        .contains("HTTP 200 with status 500 in the body")
        .contains("POST " + server.url() + "/actuator/exporting/pause?soft=true")
        .contains("topology is complete")
        .doesNotContain(PASSWORD);
  }

  @Test
  void softPauseIsUnavailableWhenBodyStatusIs502() {
    // given
    server.respond("POST", "/actuator/exporting/pause?soft=true", 200,
        "{\"body\":{\"message\":\"Failed to send request from gateway to broker.\"},\"status\":502,\"contentType\":null}");

    // when
    ComponentUnavailableException e =
        catchThrowableOfType(ComponentUnavailableException.class, () -> zeebe(CamundaVersion.V8_7).softPauseExporting());

    // then
    assertThat(e.httpStatus()).isEqualTo(502);
    assertThat(e.getMessage()).contains("Failed to send request from gateway to broker");
  }

  @Test
  void softPauseFailsOnUnexpectedBody() {
    // given
    server.respond("POST", "/actuator/exporting/pause?soft=true", 200, "{\"paused\":true}");

    // when
    ComponentRequestRejectedException e =
        catchThrowableOfType(ComponentRequestRejectedException.class, () -> zeebe(CamundaVersion.V8_9).softPauseExporting());

    // then
    assertThat(e.getMessage()).contains("'status'");
  }

  @Test
  void resumePostsToExportingResume() {
    // given
    server.respond("POST", "/actuator/exporting/resume", 200, EXPORTING_OK);

    // when
    zeebe(CamundaVersion.V8_9).resumeExporting();

    // then
    assertThat(server.lastRequest().method()).isEqualTo("POST");
    assertThat(server.lastRequest().path()).isEqualTo("/actuator/exporting/resume");
  }

  @Test
  void resumeFailsWhenBodyStatusIs500ButHttpIs200() {
    // given
    server.respond("POST", "/actuator/exporting/resume", 200, EXPORTING_FAILED);

    // when / then
    assertThat(catchThrowableOfType(ComponentRequestRejectedException.class, () -> zeebe(CamundaVersion.V8_8).resumeExporting()))
        .isNotNull();
  }

  @ParameterizedTest(name = "{0} posts to {1}")
  @CsvSource({"V8_6, /actuator/backups", "V8_7, /actuator/backups", "V8_8, /actuator/backupRuntime", "V8_9, /actuator/backupRuntime"})
  void takeBackupPostsToTheVersionsPath(CamundaVersion version, String path) {
    // given
    server.respond("POST", path, 202,
        "{\"message\":\"A backup with id 100 has been scheduled. Use GET actuator/backups/100 to monitor the status.\"}");

    // when
    zeebe(version).takeBackup(100);

    // then
    assertThat(server.lastRequest().path()).isEqualTo(path);
    assertThat(server.lastRequest().body()).isEqualTo("{\"backupId\":100}");
  }

  @Test
  void takeBackupPostsToBackupsOn86() {
    // given
    server.respond("POST", "/actuator/backups", 202, "{\"message\":\"A backup with id 7 has been scheduled.\"}");

    // when
    zeebe(CamundaVersion.V8_6).takeBackup(7);

    // then
    assertThat(server.lastRequest().method()).isEqualTo("POST");
    assertThat(server.lastRequest().path()).isEqualTo("/actuator/backups");
  }

  @Test
  void takeBackupPostsToBackupRuntimeOn88() {
    // given
    server.respond("POST", "/actuator/backupRuntime", 202, "{\"message\":\"A backup with id 7 has been scheduled.\"}");

    // when
    zeebe(CamundaVersion.V8_8).takeBackup(7);

    // then
    assertThat(server.lastRequest().path()).isEqualTo("/actuator/backupRuntime");
  }

  @Test
  void takeBackupAcceptsThe89AnswerWithBackupId() {
    // given: 8.9 adds backupId to the 202 body (reference 2.3)
    server.respond("POST", "/actuator/backupRuntime", 202,
        "{\"backupId\":1772011199310,\"message\":\"A backup with id 1772011199310 has been scheduled.\"}");

    // when
    zeebe(CamundaVersion.V8_9).takeBackup(1772011199310L);

    // then
    assertThat(server.lastRequest().body()).isEqualTo("{\"backupId\":1772011199310}");
  }

  @Test
  void conflictOnTakeBackupIsBackupIdTaken() {
    // given
    server.respond("POST", "/actuator/backupRuntime", 409,
        "{\"message\":\"Requested backup has ID 100. The latest backup has ID 200. The backup ID must be greater than the ID of previous backups that are completed, failed, or deleted.\"}");

    // when
    BackupIdTakenException e =
        catchThrowableOfType(BackupIdTakenException.class, () -> zeebe(CamundaVersion.V8_8).takeBackup(100));

    // then
    assertThat(e.component()).isEqualTo("zeebe");
    assertThat(e.backupId()).isEqualTo(100);
    assertThat(e.getMessage()).contains("The latest backup has ID 200").contains("new ID").doesNotContain(PASSWORD);
  }

  @Test
  void badRequestOnTakeBackupIsRejected() {
    // given
    server.respond("POST", "/actuator/backups", 400, "{\"message\":\"Backup is not enabled or configured on the brokers\"}");

    // when
    ComponentRequestRejectedException e =
        catchThrowableOfType(ComponentRequestRejectedException.class, () -> zeebe(CamundaVersion.V8_7).takeBackup(5));

    // then
    assertThat(e.httpStatus()).isEqualTo(400);
    assertThat(e.bodyExcerpt()).isEqualTo("Backup is not enabled or configured on the brokers");
    assertThat(e.getMessage()).contains("POST " + server.url() + "/actuator/backups").contains("backup store configuration");
  }

  @Test
  void resourceExhaustedOnTakeBackupIsUnavailable() {
    // given: RESOURCE_EXHAUSTED maps to 503 (reference 2.5)
    server.respond("POST", "/actuator/backupRuntime", 503, "{\"message\":\"Broker is out of resources\"}");

    // when
    ComponentUnavailableException e =
        catchThrowableOfType(ComponentUnavailableException.class, () -> zeebe(CamundaVersion.V8_9).takeBackup(5));

    // then
    assertThat(e.httpStatus()).isEqualTo(503);
  }

  @Test
  void backupReadsStateAndPartitionDetails() {
    // given
    server.respond("GET", "/actuator/backupRuntime/100", 200, BACKUP_COMPLETED);

    // when
    ZeebeBackup backup = zeebe(CamundaVersion.V8_8).backup(100);

    // then
    assertThat(backup.backupId()).isEqualTo(100);
    assertThat(backup.state()).isEqualTo(ZeebeBackupState.COMPLETED);
    assertThat(backup.failureReason()).isNull();
    assertThat(backup.partitions()).hasSize(2);
    PartitionBackup first = backup.partitions().get(0);
    assertThat(first.partitionId()).isEqualTo(1);
    assertThat(first.createdAt()).isEqualTo(Instant.parse("2022-12-08T13:00:55.344276672Z"));
    assertThat(first.lastUpdatedAt()).isEqualTo(Instant.parse("2022-12-08T13:00:55.805351556Z"));
    assertThat(first.snapshotId()).isEqualTo("2-1-3-2");
    assertThat(first.checkpointPosition()).isEqualTo(5L);
    assertThat(first.brokerId()).isZero();
    assertThat(first.brokerVersion()).isEqualTo("8.8.3");
  }

  @Test
  void absentOptionalPartitionFieldsAreNull() {
    // given
    server.respond("GET", "/actuator/backups/100", 200, BACKUP_COMPLETED);

    // when
    PartitionBackup second = zeebe(CamundaVersion.V8_6).backup(100).partitions().get(1);

    // then
    assertThat(second.partitionId()).isEqualTo(2);
    assertThat(second.state()).isEqualTo(ZeebeBackupState.COMPLETED);
    assertThat(second.createdAt()).isNull();
    assertThat(second.checkpointPosition()).isNull();
    assertThat(second.brokerId()).isNull();
    assertThat(second.brokerVersion()).isNull();
  }

  @Test
  void missingBackupIsDoesNotExist() {
    // given
    server.respond("GET", "/actuator/backups/42", 404, "{\"message\":\"Backup with id 42 does not exist\"}");

    // when
    ZeebeBackup backup = zeebe(CamundaVersion.V8_7).backup(42);

    // then
    assertThat(backup).isEqualTo(ZeebeBackup.doesNotExist(42));
  }

  @Test
  void incompleteBackupKeepsPartitionStates() {
    // given
    server.respond("GET", "/actuator/backupRuntime/9", 200,
        """
        {"backupId":9,"state":"INCOMPLETE","details":[
          {"partitionId":1,"state":"COMPLETED"},{"partitionId":2,"state":"DOES_NOT_EXIST"}]}
        """);

    // when
    ZeebeBackup backup = zeebe(CamundaVersion.V8_8).backup(9);

    // then
    assertThat(backup.state()).isEqualTo(ZeebeBackupState.INCOMPLETE);
    assertThat(backup.partitions())
        .extracting(PartitionBackup::partitionId, PartitionBackup::state)
        .containsExactly(tuple(1, ZeebeBackupState.COMPLETED), tuple(2, ZeebeBackupState.DOES_NOT_EXIST));
  }

  @Test
  void failedBackupCarriesFailureReason() {
    // given
    server.respond("GET", "/actuator/backupRuntime/9", 200,
        "{\"backupId\":9,\"state\":\"FAILED\",\"failureReason\":\"Access denied to bucket\",\"details\":[{\"partitionId\":1,\"state\":\"FAILED\",\"failureReason\":\"Access denied to bucket\"}]}");

    // when
    ZeebeBackup backup = zeebe(CamundaVersion.V8_8).backup(9);

    // then
    assertThat(backup.state()).isEqualTo(ZeebeBackupState.FAILED);
    assertThat(backup.failureReason()).isEqualTo("Access denied to bucket");
    assertThat(backup.partitions().get(0).failureReason()).isEqualTo("Access denied to bucket");
  }

  @Test
  void deletedStateIsReadOn89() {
    // given
    server.respond("GET", "/actuator/backupRuntime/9", 200,
        "{\"backupId\":9,\"state\":\"DELETED\",\"details\":[{\"partitionId\":1,\"state\":\"DELETED\",\"firstLogPosition\":3}]}");

    // when
    ZeebeBackup backup = zeebe(CamundaVersion.V8_9).backup(9);

    // then
    assertThat(backup.state()).isEqualTo(ZeebeBackupState.DELETED);
  }

  @Test
  void unknownStateFailsClearly() {
    // given
    server.respond("GET", "/actuator/backupRuntime/9", 200, "{\"backupId\":9,\"state\":\"PAUSED\",\"details\":[]}");

    // when
    ComponentRequestRejectedException e =
        catchThrowableOfType(ComponentRequestRejectedException.class, () -> zeebe(CamundaVersion.V8_8).backup(9));

    // then
    assertThat(e.getMessage()).contains("unknown backup state 'PAUSED'").contains("COMPLETED");
  }

  @Test
  void backupsListsEveryBackup() {
    // given
    server.respond("GET", "/actuator/backupRuntime", 200,
        "[{\"backupId\":200,\"state\":\"IN_PROGRESS\",\"details\":[{\"partitionId\":1,\"state\":\"IN_PROGRESS\"}]},"
            + "{\"backupId\":100,\"state\":\"COMPLETED\",\"details\":[]}]");

    // when
    var backups = zeebe(CamundaVersion.V8_9).backups();

    // then
    assertThat(backups)
        .extracting(ZeebeBackup::backupId, ZeebeBackup::state)
        .containsExactly(tuple(200L, ZeebeBackupState.IN_PROGRESS), tuple(100L, ZeebeBackupState.COMPLETED));
    assertThat(server.lastRequest().method()).isEqualTo("GET");
  }

  @Test
  void deleteBackupSendsDeleteToTheVersionsPath() {
    // given
    server.respond("DELETE", "/actuator/backups/100", 204, null);

    // when
    zeebe(CamundaVersion.V8_6).deleteBackup(100);

    // then
    assertThat(server.lastRequest().method()).isEqualTo("DELETE");
    assertThat(server.lastRequest().path()).isEqualTo("/actuator/backups/100");
  }

  @Test
  void deletingAMissingBackupIsNotAnError() {
    // given
    server.respond("DELETE", "/actuator/backupRuntime/100", 404, "{\"message\":\"Backup with id 100 does not exist\"}");

    // when
    zeebe(CamundaVersion.V8_8).deleteBackup(100);

    // then
    assertThat(server.lastRequest().path()).isEqualTo("/actuator/backupRuntime/100");
  }

  @Test
  void contextPathAndBasePathArePrefixed() {
    // given: Helm contextPath and a custom actuator base path (reference 1.3)
    server.respond("POST", "/example/manage/backupRuntime", 202, "{\"message\":\"scheduled\"}");
    ManagementEndpoint endpoint = new ManagementEndpoint(server.url(), "/example", "manage", null);

    // when
    zeebe(endpoint, CamundaVersion.V8_9).takeBackup(3);

    // then
    assertThat(server.lastRequest().path()).isEqualTo("/example/manage/backupRuntime");
  }

  // reference 2.3: 8.9 runtime state as the released docs show it
  private static final String RUNTIME_STATE =
      """
      {"checkpointStates":[{"checkpointId":1772011199310,"partitionId":1,"checkpointType":"SCHEDULED_BACKUP",
          "checkpointPosition":900,"checkpointTimestamp":"2026-01-10T14:00:00Z"}],
       "backupStates":[{"checkpointId":1772011199310,"partitionId":1,"checkpointType":"SCHEDULED_BACKUP",
          "checkpointPosition":900,"checkpointTimestamp":"2026-01-10T14:00:00Z","firstLogPosition":1}],
       "ranges":[
         {"partitionId":1,"start":{"checkpointId":1772011100000,"checkpointType":"SCHEDULED_BACKUP","checkpointPosition":10,
            "checkpointTimestamp":"2026-01-10T12:00:00Z","firstLogPosition":1},
          "end":{"checkpointId":1772011199310,"checkpointType":"SCHEDULED_BACKUP","checkpointPosition":900,
            "checkpointTimestamp":"2026-01-10T14:00:00Z","firstLogPosition":1}},
         {"partitionId":2,"start":1772011000000,"end":1772011050000},
         {"partitionId":2,"start":1772011100000,"end":1772011199310}]}
      """;

  @Test
  void readsTheRuntimeStateWithNestedAndBareRangeEnds() {
    // given
    server.respond("GET", "/actuator/backupRuntime/state", 200, RUNTIME_STATE);

    // when
    BackupRuntimeState state = zeebe(CamundaVersion.V8_9).runtimeState();

    // then
    assertThat(state.backupStates()).singleElement().satisfies(b -> {
      assertThat(b.checkpointId()).isEqualTo(1772011199310L);
      assertThat(b.checkpointTimestamp()).isEqualTo(Instant.parse("2026-01-10T14:00:00Z"));
      assertThat(b.firstLogPosition()).isEqualTo(1L);
    });
    assertThat(state.rangesByPartition().get(1)).singleElement()
        .satisfies(r -> assertThat(r.start().checkpointTimestamp()).isEqualTo(Instant.parse("2026-01-10T12:00:00Z")));
    assertThat(state.rangesByPartition().get(2)).extracting(r -> r.start().checkpointId(), r -> r.end().checkpointId())
        .containsExactly(tuple(1772011000000L, 1772011050000L), tuple(1772011100000L, 1772011199310L));
    assertThat(state.coverageProblems(2)).containsExactly(
        "partition 2 has no backup",
        "partition 2 has 2 backup ranges (a gap between 1772011000000..1772011050000, 1772011100000..1772011199310)");
  }

  @Test
  void takesABackupWithAGeneratedIdWithoutSendingABody() {
    // given
    server.respond("POST", "/actuator/backupRuntime", 202,
        "{\"backupId\":1772011199310,\"message\":\"A backup with id 1772011199310 has been scheduled. Use GET actuator/backups/1772011199310 to monitor the status.\"}");

    // when
    long id = zeebe(CamundaVersion.V8_9).takeBackupWithGeneratedId();

    // then
    assertThat(id).isEqualTo(1772011199310L);
    assertThat(server.lastRequest().body()).isNullOrEmpty();
  }

  @Test
  void readsTheGeneratedIdFromTheMessageWhenTheAnswerHasNoIdField() {
    server.respond("POST", "/actuator/backupRuntime", 202,
        "{\"message\":\"A backup with id 1772011199311 has been scheduled. Use GET actuator/backups/1772011199311 to monitor the status.\"}");

    assertThat(zeebe(CamundaVersion.V8_9).takeBackupWithGeneratedId()).isEqualTo(1772011199311L);
  }

  @Test
  void aClusterWithoutContinuousBackupsRefusesAGeneratedId() {
    // given reference 2.3: not continuous, no ID
    server.respond("POST", "/actuator/backupRuntime", 400, "{\"message\":\"A backupId must be provided and it must be > 0\"}");

    // when
    ComponentRequestRejectedException e = catchThrowableOfType(ComponentRequestRejectedException.class,
        () -> zeebe(CamundaVersion.V8_9).takeBackupWithGeneratedId());

    // then
    assertThat(e.httpStatus()).isEqualTo(400);
    assertThat(e.getMessage()).contains("A backupId must be provided", "continuous backups");
  }
}
