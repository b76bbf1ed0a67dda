package io.github.c8backup.cluster.optimize;

import io.github.c8backup.cluster.BackupIdTakenException;
import io.github.c8backup.cluster.ComponentBackup;
import io.github.c8backup.cluster.http.ComponentBackups;
import io.github.c8backup.cluster.http.JsonHttp;
import io.github.c8backup.cluster.http.JsonHttp.Response;
import io.github.c8backup.config.ManagementEndpoint;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link OptimizeBackupApi} over {@code actuator/backups} on Optimize's management port (8092).
 * Errors come as {@code {"errorCode","errorMessage","detailedMessage"}} (reference 4).
 */
public final class HttpOptimizeBackupApi implements OptimizeBackupApi {

  private static final String COMPONENT = "optimize";
  private static final String CHECK_REPOSITORY =
      "CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME in Optimize and that the repository is registered in Elasticsearch/OpenSearch";

  private final ManagementEndpoint endpoint;
  private final JsonHttp http;

  public HttpOptimizeBackupApi(ManagementEndpoint endpoint, JsonHttp http) {
    Objects.requireNonNull(endpoint, "endpoint");
    // Optimize's context path does not apply to its management port (reference 1.3, 4)
    this.endpoint = new ManagementEndpoint(endpoint.url(), "", endpoint.basePath(), endpoint.credentials());
    this.http = Objects.requireNonNull(http, "http");
  }

  @Override
  public void takeBackup(long backupId) {
    Response response = http.post(backups(""), Map.of("backupId", backupId));
    if (response.isSuccess()) {
      return;
    }
    if (response.status() == 409) {
      throw new BackupIdTakenException(
          COMPONENT, backupId,
          "optimize refused backup ID " + backupId + " with HTTP 409: " + JsonHttp.excerpt(response.body())
              + ". Start a new run with a new ID.");
    }
    throw http.failure(response, CHECK_REPOSITORY);
  }

  @Override
  public ComponentBackup backup(long backupId) {
    Response response = http.get(backups("/" + backupId));
    if (response.status() == 404) {
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
      throw http.failure(response, CHECK_REPOSITORY);
    }
    return ComponentBackups.readAll(http, response);
  }

  @Override
  public void deleteBackup(long backupId) {
    Response response = http.delete(backups("/" + backupId));
    if (response.isSuccess() || response.status() == 404) {
      return;
    }
    throw http.failure(response, CHECK_REPOSITORY);
  }

  private URI backups(String suffix) {
    return endpoint.endpoint("backups" + suffix);
  }
}
