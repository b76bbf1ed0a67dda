package io.github.c8backup.cluster.webapps;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.c8backup.cluster.BackupIdTakenException;
import io.github.c8backup.cluster.ComponentBackup;
import io.github.c8backup.cluster.ComponentUnavailableException;
import io.github.c8backup.cluster.http.ComponentBackups;
import io.github.c8backup.cluster.http.JsonHttp;
import io.github.c8backup.cluster.http.JsonHttp.Response;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.ManagementEndpoint;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@link WebappsBackupApi} for Operate or Tasklist ({@code actuator/backups}, 8.6/8.7) and the
 * orchestration cluster's combined {@code actuator/backupHistory} (8.8+); reference 3. The
 * component name ("operate", "tasklist", "webapps") only labels messages and exceptions.
 */
public final class HttpWebappsBackupApi implements WebappsBackupApi {

  private static final String CHECK_REPOSITORY =
      "the backup repository name configured in the application (reference 3) and that the repository is registered in Elasticsearch/OpenSearch";

  private final String component;
  private final ManagementEndpoint endpoint;
  private final CamundaVersion version;
  private final JsonHttp http;

  public HttpWebappsBackupApi(String component, ManagementEndpoint endpoint, CamundaVersion version, JsonHttp http) {
    this.component = Objects.requireNonNull(component, "component");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.version = Objects.requireNonNull(version, "version");
    this.http = Objects.requireNonNull(http, "http");
  }

  @Override
  public List<String> takeBackup(long backupId) {
    Response response = http.post(backups(""), Map.of("backupId", backupId));
    if (response.isSuccess()) {
      // 200 (not 202) with the snapshot names the restore needs (reference 3.1, 3.2)
      JsonNode scheduled = http.json(response).path("scheduledSnapshots");
      if (!scheduled.isArray()) {
        throw http.unreadable(response, "expected 'scheduledSnapshots' as in {\"scheduledSnapshots\":[...]}");
      }
      List<String> names = new ArrayList<>();
      scheduled.forEach(name -> names.add(name.asText()));
      return List.copyOf(names);
    }
    if (response.status() == 400) {
      String message = JsonHttp.excerpt(response.body());
      String lower = message.toLowerCase(Locale.ROOT);
      if (lower.contains("already exists")) {
        throw new BackupIdTakenException(
            component, backupId,
            component + " refused backup ID " + backupId + ": " + message + ". Start a new run with a new ID.");
      }
      if (lower.contains("another backup is running")) {
        // an in-memory queue per node allows one backup at a time; the next attempt may pass (reference 3.1)
        throw new ComponentUnavailableException(
            component, 400,
            component + " is busy with another backup (HTTP 400 to POST " + backups("") + ": " + message
                + "). Retry later, once the running backup has finished.",
            null);
      }
    }
    throw http.failure(response, CHECK_REPOSITORY);
  }

  @Override
  public ComponentBackup backup(long backupId) {
    Response response = http.get(backups("/" + backupId));
    if (response.status() == 404 && !mentionsRepository(response)) {
      return ComponentBackup.doesNotExist(backupId);
    }
    if (!response.isSuccess()) {
      throw http.failure(response, CHECK_REPOSITORY);
    }
    return ComponentBackups.read(http, response, http.json(response));
  }

  @Override
  public List<ComponentBackup> backups() {
    Response response = http.get(backups(""));
    if (!response.isSuccess()) {
      // 404 here means no repository is configured (reference 3.1)
      throw http.failure(response, CHECK_REPOSITORY);
    }
    return ComponentBackups.readAll(http, response);
  }

  @Override
  public void deleteBackup(long backupId) {
    Response response = http.delete(backups("/" + backupId));
    if (response.isSuccess() || (response.status() == 404 && !mentionsRepository(response))) {
      return;
    }
    throw http.failure(response, CHECK_REPOSITORY);
  }

  /**
   * A 404 also means "No backup repository configured." (8.6/8.7) or "No repository with name [..]
   * could be found." (8.8, reference 3.2); that is a misconfiguration, not a missing backup.
   */
  private static boolean mentionsRepository(Response response) {
    return JsonHttp.excerpt(response.body()).toLowerCase(Locale.ROOT).contains("repository");
  }

  private URI backups(String suffix) {
    return endpoint.endpoint(version.webappsBackupEndpoint() + suffix);
  }
}
