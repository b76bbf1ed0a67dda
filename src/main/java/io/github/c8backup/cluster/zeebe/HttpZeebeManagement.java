package io.github.c8backup.cluster.zeebe;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.c8backup.cluster.BackupIdTakenException;
import io.github.c8backup.cluster.http.JsonHttp;
import io.github.c8backup.cluster.http.JsonHttp.Response;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.ManagementEndpoint;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link ZeebeManagement} over the actuator API on port 9600: {@code actuator/backups} up to 8.7,
 * {@code actuator/backupRuntime} from 8.8 (reference 2.2).
 */
public final class HttpZeebeManagement implements ZeebeManagement {

  private static final String CHECK_BACKUP_STORE =
      "the backup store configuration of the brokers (store type, bucket, credentials) and the broker logs";

  private final ManagementEndpoint endpoint;
  private final CamundaVersion version;
  private final JsonHttp http;

  /** @param http a client for component "zeebe" with the endpoint's credentials and the cluster's timeouts */
  public HttpZeebeManagement(ManagementEndpoint endpoint, CamundaVersion version, JsonHttp http) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.version = Objects.requireNonNull(version, "version");
    this.http = Objects.requireNonNull(http, "http");
  }

  @Override
  public void softPauseExporting() {
    exporting("exporting/pause?soft=true");
  }

  @Override
  public void resumeExporting() {
    exporting("exporting/resume");
  }

  /**
   * Success is HTTP 2xx and either no body (the older {@code @WebEndpoint} answered a real 204) or
   * a body whose {@code status} is 2xx: the soft-pause variant always answers HTTP 200 and puts the
   * real status in the body (reference 2.1).
   */
  private void exporting(String relative) {
    Response response = http.post(endpoint.endpoint(relative), null);
    if (!response.isSuccess()) {
      throw http.failure(response, "that all brokers are up and the topology is complete");
    }
    if (response.body().isBlank()) {
      return;
    }
    JsonNode status = http.json(response).path("status");
    if (!status.isInt()) {
      throw http.unreadable(response, "expected a 'status' field as in {\"body\":null,\"status\":204}");
    }
    int embedded = status.asInt();
    if (embedded < 200 || embedded >= 300) {
      throw http.failure(
          response, embedded, "that all brokers are up and the topology is complete, then retry; resume exporting if you abort");
    }
  }

  @Override
  public void takeBackup(long backupId) {
    Response response = http.post(backups(""), Map.of("backupId", backupId));
    if (response.isSuccess()) {
      return;
    }
    if (response.status() == 409) {
      // an equal or higher ID is completed, failed or deleted; IDs are never reusable (reference 1.2)
      throw new BackupIdTakenException(
          "zeebe",
          backupId,
          "zeebe refused backup ID " + backupId + " with HTTP 409: " + JsonHttp.excerpt(response.body())
              + ". Zeebe backup IDs must be greater than every earlier backup ID; start a new run with a new ID.");
    }
    throw http.failure(response, CHECK_BACKUP_STORE);
  }

  @Override
  public ZeebeBackup backup(long backupId) {
    Response response = http.get(backups("/" + backupId));
    if (response.status() == 404) {
      return ZeebeBackup.doesNotExist(backupId);
    }
    if (!response.isSuccess()) {
      throw http.failure(response, CHECK_BACKUP_STORE);
    }
    return readBackup(response, http.json(response));
  }

  @Override
  public List<ZeebeBackup> backups() {
    Response response = http.get(backups(""));
    if (!response.isSuccess()) {
      throw http.failure(response, CHECK_BACKUP_STORE);
    }
    JsonNode array = http.json(response);
    if (!array.isArray()) {
      throw http.unreadable(response, "expected a JSON array");
    }
    List<ZeebeBackup> result = new ArrayList<>();
    array.forEach(node -> result.add(readBackup(response, node)));
    return List.copyOf(result);
  }

  @Override
  public void deleteBackup(long backupId) {
    Response response = http.delete(backups("/" + backupId));
    if (response.isSuccess() || response.status() == 404) {
      return;
    }
    throw http.failure(response, CHECK_BACKUP_STORE);
  }

  private static final java.util.regex.Pattern SCHEDULED_ID = java.util.regex.Pattern.compile("backup with id (\\d+)");

  @Override
  public long takeBackupWithGeneratedId() {
    Response response = http.post(backups(""), null);
    if (!response.isSuccess()) {
      throw http.failure(response, "that continuous backups are enabled on the brokers (camunda.data.primary-storage.backup.continuous) and the backup store");
    }
    JsonNode body = http.json(response);
    if (body.path("backupId").canConvertToLong()) {
      return body.get("backupId").asLong();
    }
    // an 8.9 build that answers only the message (reference 2.3, unconfirmed)
    var matcher = SCHEDULED_ID.matcher(body.path("message").asText(""));
    if (matcher.find()) {
      return Long.parseLong(matcher.group(1));
    }
    throw http.unreadable(response, "no generated 'backupId' in the answer");
  }

  @Override
  public BackupRuntimeState runtimeState() {
    Response response = http.get(backups("/state"));
    if (!response.isSuccess()) {
      throw http.failure(response, CHECK_BACKUP_STORE);
    }
    JsonNode body = http.json(response);
    if (!body.isObject()) {
      throw http.unreadable(response, "expected a JSON object with checkpointStates, backupStates and ranges");
    }
    List<BackupRuntimeState.Checkpoint> checkpoints = new ArrayList<>();
    body.path("checkpointStates").forEach(node -> checkpoints.add(checkpoint(response, node, node.path("partitionId").asInt())));
    List<BackupRuntimeState.Checkpoint> backupStates = new ArrayList<>();
    body.path("backupStates").forEach(node -> backupStates.add(checkpoint(response, node, node.path("partitionId").asInt())));
    List<BackupRuntimeState.BackupRange> ranges = new ArrayList<>();
    for (JsonNode range : body.path("ranges")) {
      int partition = range.path("partitionId").asInt();
      ranges.add(new BackupRuntimeState.BackupRange(
          partition, checkpoint(response, range.path("start"), partition), checkpoint(response, range.path("end"), partition)));
    }
    return new BackupRuntimeState(List.copyOf(checkpoints), List.copyOf(backupStates), List.copyOf(ranges));
  }

  /** A checkpoint object, or a bare checkpoint ID as an intermediate 8.9 build wrote range ends (reference 2.3). */
  private BackupRuntimeState.Checkpoint checkpoint(Response response, JsonNode node, int partition) {
    if (node.canConvertToLong()) {
      return new BackupRuntimeState.Checkpoint(node.asLong(), partition, null, null, null, null);
    }
    if (!node.path("checkpointId").canConvertToLong()) {
      throw http.unreadable(response, "a checkpoint without a numeric 'checkpointId': " + node);
    }
    return new BackupRuntimeState.Checkpoint(
        node.get("checkpointId").asLong(),
        node.hasNonNull("partitionId") ? node.get("partitionId").asInt() : partition,
        text(node, "checkpointType"),
        node.hasNonNull("checkpointPosition") ? node.get("checkpointPosition").asLong() : null,
        instant(response, node, "checkpointTimestamp"),
        node.hasNonNull("firstLogPosition") ? node.get("firstLogPosition").asLong() : null);
  }

  private java.net.URI backups(String suffix) {
    return endpoint.endpoint(version.zeebeBackupEndpoint() + suffix);
  }

  private ZeebeBackup readBackup(Response response, JsonNode node) {
    if (!node.path("backupId").canConvertToLong()) {
      throw http.unreadable(response, "no numeric 'backupId'");
    }
    List<PartitionBackup> partitions = new ArrayList<>();
    for (JsonNode detail : node.path("details")) {
      partitions.add(
          new PartitionBackup(
              detail.path("partitionId").asInt(),
              state(response, detail.path("state")),
              text(detail, "failureReason"),
              instant(response, detail, "createdAt"),
              instant(response, detail, "lastUpdatedAt"),
              text(detail, "snapshotId"),
              detail.hasNonNull("checkpointPosition") ? detail.get("checkpointPosition").asLong() : null,
              detail.hasNonNull("brokerId") ? detail.get("brokerId").asInt() : null,
              text(detail, "brokerVersion"),
              detail.hasNonNull("firstLogPosition") ? detail.get("firstLogPosition").asLong() : null));
    }
    return new ZeebeBackup(
        node.get("backupId").asLong(), state(response, node.path("state")), text(node, "failureReason"), List.copyOf(partitions));
  }

  private ZeebeBackupState state(Response response, JsonNode state) {
    try {
      return ZeebeBackupState.valueOf(state.asText());
    } catch (IllegalArgumentException e) {
      throw http.unreadable(
          response,
          "unknown backup state '" + state.asText() + "', expected one of " + Arrays.toString(ZeebeBackupState.values()));
    }
  }

  private Instant instant(Response response, JsonNode node, String field) {
    String text = text(node, field);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw http.unreadable(response, "'" + field + "' is not an ISO-8601 instant: " + text);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
