package io.github.c8backup.cluster.search;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.c8backup.cluster.BackupIdTakenException;
import io.github.c8backup.cluster.http.JsonHttp;
import io.github.c8backup.cluster.http.JsonHttp.Response;
import io.github.c8backup.config.SearchEndpoint;
import io.github.c8backup.config.SearchEndpoint.SearchEngineType;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.util.UriUtils;

/**
 * {@link SnapshotApi} for the one snapshot repository of an Elasticsearch or OpenSearch cluster.
 * The engine type comes from configuration or, when absent, from {@code GET /} once.
 */
public final class HttpSnapshotApi implements SnapshotApi {

  private static final Pattern TRAILING_ID = Pattern.compile("(\\d+)$");

  private final SearchEndpoint endpoint;
  private final JsonHttp http;
  private final String base;
  private volatile SearchEngineType engine;

  public HttpSnapshotApi(SearchEndpoint endpoint, JsonHttp http) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.http = Objects.requireNonNull(http, "http");
    this.base = endpoint.url().toString().replaceAll("/+$", "");
    this.engine = endpoint.type();
  }

  /**
   * The configured type, else detected from {@code GET /}: {@code version.distribution ==
   * "opensearch"} is OpenSearch, any other answer Elasticsearch (the minimal Elasticsearch
   * distribution answers {@code GET /} with 405). A missing or 502/503/504 answer is not cached.
   */
  public SearchEngineType engine() {
    SearchEngineType known = engine;
    if (known != null) {
      return known;
    }
    Response response = http.get(URI.create(base + "/"));
    if (JsonHttp.isTransient(response.status())) {
      throw http.failure(response, "that the search cluster is healthy");
    }
    SearchEngineType detected = SearchEngineType.ELASTICSEARCH;
    if (response.isSuccess()) {
      try {
        if ("opensearch".equalsIgnoreCase(http.json(response).path("version").path("distribution").asText())) {
          detected = SearchEngineType.OPENSEARCH;
        }
      } catch (RuntimeException notJson) {
        // not a JSON banner: treat as Elasticsearch, as for any other answer
      }
    }
    engine = detected;
    return detected;
  }

  @Override
  public void createSnapshot(String snapshotName, String indexPattern) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("indices", indexPattern);
    body.put("include_global_state", false);
    if (engine() == SearchEngineType.ELASTICSEARCH) {
      // OpenSearch rejects the unknown field; Elasticsearch would otherwise snapshot feature states (reference 5)
      body.put("feature_states", List.of("none"));
    }
    Response response = http.put(snapshotUri(snapshotName, "?wait_for_completion=false"), body);
    if (response.isSuccess()) {
      return;
    }
    String raw = response.body();
    if (response.status() == 400
        && (raw.contains("invalid_snapshot_name_exception")
            || raw.contains("snapshot_name_already_in_use_exception")
            || raw.contains("already exists"))) {
      throw new BackupIdTakenException(
          http.component(),
          backupIdOf(snapshotName),
          "Snapshot " + snapshotName + " already exists in repository " + endpoint.snapshotRepository()
              + " (" + JsonHttp.excerpt(raw) + "). Start a new run with a new ID.");
    }
    throw http.failure(response, checkRepository());
  }

  @Override
  public SnapshotInfo snapshot(String snapshotName) {
    Response response = http.get(snapshotUri(snapshotName, ""));
    if (isMissingSnapshot(response)) {
      return new SnapshotInfo(snapshotName, SnapshotState.DOES_NOT_EXIST, List.of(), null, null);
    }
    if (!response.isSuccess()) {
      throw http.failure(response, checkRepository());
    }
    List<SnapshotInfo> found = readSnapshots(response);
    return found.stream()
        .filter(info -> snapshotName.equals(info.name()))
        .findFirst()
        .orElse(new SnapshotInfo(snapshotName, SnapshotState.DOES_NOT_EXIST, List.of(), null, null));
  }

  @Override
  public List<SnapshotInfo> snapshots(String namePrefix) {
    Response response = http.get(snapshotUri(namePrefix + "*", ""));
    if (isMissingSnapshot(response)) {
      return List.of();
    }
    if (!response.isSuccess()) {
      throw http.failure(response, checkRepository());
    }
    return readSnapshots(response).stream().filter(info -> info.name().startsWith(namePrefix)).toList();
  }

  @Override
  public void deleteSnapshot(String snapshotName) {
    Response response = http.delete(snapshotUri(snapshotName, ""));
    if (response.isSuccess() || isMissingSnapshot(response)) {
      return;
    }
    throw http.failure(response, checkRepository());
  }

  @Override
  public List<String> indices(String pattern) {
    Response response = http.get(URI.create(base + "/_cat/indices/" + segment(pattern) + "?h=index&format=json"));
    if (response.status() == 404) {
      return List.of();
    }
    if (!response.isSuccess()) {
      throw http.failure(response, "the search credentials (monitor privilege) and the index pattern " + pattern);
    }
    JsonNode array = http.json(response);
    if (!array.isArray()) {
      throw http.unreadable(response, "expected [{\"index\":...}]");
    }
    List<String> names = new ArrayList<>();
    array.forEach(row -> names.add(row.path("index").asText()));
    return List.copyOf(names);
  }

  /**
   * A 404 for the snapshot, but not for the repository: {@code repository_missing_exception} is a
   * misconfiguration and must not read as "no snapshot".
   */
  private static boolean isMissingSnapshot(Response response) {
    String body = response.body();
    if (body.contains("repository_missing_exception")) {
      return false;
    }
    return response.status() == 404 || (!response.isSuccess() && body.contains("snapshot_missing_exception"));
  }

  private List<SnapshotInfo> readSnapshots(Response response) {
    JsonNode snapshots = http.json(response).path("snapshots");
    if (!snapshots.isArray()) {
      throw http.unreadable(response, "expected {\"snapshots\":[...]}");
    }
    List<SnapshotInfo> result = new ArrayList<>();
    for (JsonNode node : snapshots) {
      List<String> indices = new ArrayList<>();
      node.path("indices").forEach(index -> indices.add(index.asText()));
      result.add(
          new SnapshotInfo(
              node.path("snapshot").asText(),
              state(response, node.path("state").asText()),
              List.copyOf(indices),
              millis(node, "start_time_in_millis"),
              millis(node, "end_time_in_millis")));
    }
    return List.copyOf(result);
  }

  private SnapshotState state(Response response, String state) {
    try {
      return SnapshotState.valueOf(state);
    } catch (IllegalArgumentException e) {
      throw http.unreadable(
          response, "unknown snapshot state '" + state + "', expected one of " + Arrays.toString(SnapshotState.values()));
    }
  }

  /** Running snapshots report an end time of 0; that is "not yet", not 1970. */
  private static Long millis(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || !value.canConvertToLong() || value.asLong() <= 0 ? null : value.asLong();
  }

  private URI snapshotUri(String snapshotName, String query) {
    return URI.create(base + "/_snapshot/" + segment(endpoint.snapshotRepository()) + "/" + segment(snapshotName) + query);
  }

  private static String segment(String value) {
    return UriUtils.encodePathSegment(value, java.nio.charset.StandardCharsets.UTF_8);
  }

  private String checkRepository() {
    return "that snapshot repository '" + endpoint.snapshotRepository()
        + "' is registered and the search credentials have the create_snapshot and monitor_snapshot privileges";
  }

  /** Our snapshot names end in the backup ID ({@code camunda_zeebe_records_backup_{id}}); 0 if not. */
  private static long backupIdOf(String snapshotName) {
    Matcher matcher = TRAILING_ID.matcher(snapshotName);
    try {
      return matcher.find() ? Long.parseLong(matcher.group(1)) : 0L;
    } catch (NumberFormatException tooLong) {
      return 0L;
    }
  }
}
