package io.github.c8backup.cluster.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.c8backup.cluster.ComponentBackup;
import io.github.c8backup.cluster.ComponentBackupState;
import io.github.c8backup.cluster.SnapshotDetail;
import io.github.c8backup.cluster.http.JsonHttp.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the backup body that the web applications and Optimize share:
 * {@code {"backupId","state","failureReason","details":[{"snapshotName","state","startTime","failures"}]}}
 * (reference 3.1, 4).
 */
public final class ComponentBackups {

  private ComponentBackups() {}

  public static ComponentBackup read(JsonHttp http, Response response, JsonNode node) {
    if (!node.isObject() || !node.path("backupId").canConvertToLong()) {
      throw http.unreadable(response, "expected an object with a numeric 'backupId'");
    }
    List<SnapshotDetail> details = new ArrayList<>();
    for (JsonNode detail : node.path("details")) {
      List<String> failures = new ArrayList<>();
      detail.path("failures").forEach(failure -> failures.add(failure.asText()));
      details.add(
          new SnapshotDetail(
              text(detail, "snapshotName"), text(detail, "state"), text(detail, "startTime"), List.copyOf(failures)));
    }
    return new ComponentBackup(
        node.get("backupId").asLong(), state(http, response, node.path("state").asText()), text(node, "failureReason"), List.copyOf(details));
  }

  public static List<ComponentBackup> readAll(JsonHttp http, Response response) {
    JsonNode array = http.json(response);
    if (!array.isArray()) {
      throw http.unreadable(response, "expected a JSON array");
    }
    List<ComponentBackup> result = new ArrayList<>();
    array.forEach(node -> result.add(read(http, response, node)));
    return List.copyOf(result);
  }

  private static ComponentBackupState state(JsonHttp http, Response response, String state) {
    // Optimize's API pages say COMPLETE, its code and the backup guides say COMPLETED (reference 4)
    if ("COMPLETE".equals(state)) {
      return ComponentBackupState.COMPLETED;
    }
    try {
      return ComponentBackupState.valueOf(state);
    } catch (IllegalArgumentException e) {
      throw http.unreadable(
          response, "unknown backup state '" + state + "', expected one of " + Arrays.toString(ComponentBackupState.values()));
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
