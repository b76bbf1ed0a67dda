package io.github.c8backup.cluster.search;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.c8backup.cluster.BackupIdTakenException;
import io.github.c8backup.cluster.ComponentRequestRejectedException;
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
  private static final Pattern RESTORE_CONFLICT_INDEX = Pattern.compile("cannot restore index \\[([^\\]]+)\\]");
  /** Room for the index names in a {@code _cat/indices} request line, well below the engines' 4 KB limit. */
  private static final int MAX_NAMES_PER_REQUEST_LINE = 2_000;
  private static final String READY = "ready";

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

  @Override
  public void deleteIndex(String index) {
    requireConcreteIndexName(index);
    Response response = http.delete(URI.create(base + "/" + segment(index)));
    if (response.isSuccess() || isMissingIndex(response)) {
      return;
    }
    throw http.failure(response, "that '" + index + "' is a concrete index, not an alias or data stream, and that the"
        + " search credentials have the delete_index privilege on it");
  }

  @Override
  public void restoreSnapshot(String snapshotName) {
    Response response = http.post(
        snapshotUri(snapshotName, "/_restore?wait_for_completion=false"), Map.of("include_global_state", false));
    if (response.isSuccess()) {
      return;
    }
    String raw = response.body();
    if (raw.contains("snapshot_restore_exception") && raw.contains("open index with same name")) {
      Matcher index = RESTORE_CONFLICT_INDEX.matcher(raw);
      String which = index.find() ? "index [" + index.group(1) + "]" : "an index of the snapshot";
      throw new ComponentRequestRejectedException(
          http.component(),
          response.status(),
          JsonHttp.excerpt(raw),
          "Cannot restore snapshot " + snapshotName + ": " + which + " already exists and is open ("
              + JsonHttp.excerpt(raw) + "). The index must be deleted first (restore step 4, reference 7.2),"
              + " then restore again.");
    }
    // ES 8.17 and OS 2.19 answer a missing snapshot with 500 snapshot_restore_exception "snapshot does not exist"
    if (isMissingSnapshot(response)
        || (raw.contains("snapshot_restore_exception") && raw.contains("snapshot does not exist"))) {
      throw new ComponentRequestRejectedException(
          http.component(),
          response.status(),
          JsonHttp.excerpt(raw),
          "Cannot restore snapshot " + snapshotName + ": it does not exist in repository "
              + endpoint.snapshotRepository() + " (" + JsonHttp.excerpt(raw) + "). Check the backup ID and that the"
              + " repository points at the backup store the backup was taken into.");
    }
    throw http.failure(response, checkRepository());
  }

  @Override
  public RestoreProgress restoreProgress(String snapshotName) {
    SnapshotInfo snapshot = snapshot(snapshotName);
    List<String> indices = snapshot.indices();
    switch (snapshot.state()) {
      case DOES_NOT_EXIST, FAILED, INCOMPATIBLE -> {
        return new RestoreProgress(RestoreProgress.State.FAILED, indices, indices,
            "Snapshot " + snapshotName + " in repository " + endpoint.snapshotRepository() + " is "
                + snapshot.state() + "; nothing can be restored from it.");
      }
      default -> {
        // SUCCESS, PARTIAL (restores what it holds), IN_PROGRESS (judged by its indices like the others)
      }
    }
    if (indices.isEmpty()) {
      return new RestoreProgress(RestoreProgress.State.DONE, indices, List.of(),
          "Snapshot " + snapshotName + " holds no index; there is nothing to restore.");
    }
    Map<String, String> health = health(indices);
    List<String> missing = indices.stream().filter(index -> !health.containsKey(index)).toList();
    List<String> notReady = indices.stream()
        .filter(health::containsKey)
        .filter(index -> !READY.equals(health.get(index)))
        .toList();
    RestoreProgress.State state;
    if (missing.size() == indices.size()) {
      state = RestoreProgress.State.NOT_STARTED;
    } else if (missing.isEmpty() && notReady.isEmpty()) {
      state = RestoreProgress.State.DONE;
    } else {
      state = RestoreProgress.State.IN_PROGRESS;
    }
    String detail = (indices.size() - missing.size() - notReady.size()) + " of " + indices.size()
        + " indices of snapshot " + snapshotName + " are restored"
        + (missing.isEmpty() ? "" : "; missing: " + missing)
        + (notReady.isEmpty() ? "" : "; still recovering: " + notReady.stream()
            .map(index -> index + " (" + health.get(index) + ")").toList()) + ".";
    return new RestoreProgress(state, indices, missing, detail);
  }

  @Override
  public long documentCount(String index) {
    Response response = http.get(URI.create(base + "/" + segment(index) + "/_count"));
    if (response.status() == 404) {
      return -1;
    }
    if (!response.isSuccess()) {
      throw http.failure(response, "the search credentials (read privilege) on index " + index);
    }
    JsonNode count = http.json(response).path("count");
    if (!count.canConvertToLong()) {
      throw http.unreadable(response, "expected {\"count\":N}");
    }
    return count.asLong();
  }

  /**
   * Index name to {@link #READY} or what it waits for, for those of the names that exist, from
   * {@code GET _cluster/health/{name1*,...}?level=indices} (same shape on Elasticsearch 8 and
   * OpenSearch 2). Health alone is not enough: both engines report a primary still being restored
   * from a snapshot as yellow, not red, so an index is ready only when all its primaries are
   * active. Each name is asked as {@code name*}: a missing concrete name fails the whole request
   * (404) or, with {@code ignore_unavailable}, stalled OpenSearch 2.19 for more than 10 s, while a
   * wildcard matching nothing is simply absent from the answer. The names go in batches because
   * both engines refuse a request line over 4 KB ({@code http.max_initial_line_length}), and an
   * Optimize snapshot can hold one index per process definition.
   */
  private Map<String, String> health(List<String> indices) {
    Map<String, String> health = new LinkedHashMap<>();
    for (List<String> batch : batches(indices)) {
      Response response = http.get(URI.create(base + "/_cluster/health/"
          + String.join(",", batch.stream().map(index -> segment(index) + "*").toList())
          + "?level=indices"));
      if (!response.isSuccess()) {
        throw http.failure(response, "the search credentials (monitor privilege) on the indices of the snapshot");
      }
      JsonNode perIndex = http.json(response).path("indices");
      if (!perIndex.isObject()) {
        throw http.unreadable(response, "expected {\"indices\":{...}}");
      }
      // only the names asked for, whatever else the wildcards match
      for (String name : batch) {
        JsonNode index = perIndex.get(name);
        if (index != null) {
          int shards = index.path("number_of_shards").asInt(-1);
          int active = index.path("active_primary_shards").asInt(0);
          String status = index.path("status").asText("");
          health.put(name, active == shards && !"red".equals(status)
              ? READY : status + ", " + active + " of " + shards + " primaries active");
        }
      }
    }
    return health;
  }

  private static List<List<String>> batches(List<String> indices) {
    List<List<String>> batches = new ArrayList<>();
    List<String> current = new ArrayList<>();
    int length = 0;
    for (String index : indices) {
      int added = segment(index).length() + 2;
      if (!current.isEmpty() && length + added > MAX_NAMES_PER_REQUEST_LINE) {
        batches.add(List.copyOf(current));
        current.clear();
        length = 0;
      }
      current.add(index);
      length += added;
    }
    if (!current.isEmpty()) {
      batches.add(List.copyOf(current));
    }
    return batches;
  }

  /** We never send a delete that could match more than the one index named (reference 7.2, local-stack pitfalls). */
  private static void requireConcreteIndexName(String index) {
    if (index == null || index.isBlank()) {
      throw new IllegalArgumentException("Refusing to delete an index without a name");
    }
    if (index.contains("*") || index.contains("?") || index.contains(",") || index.contains("_all")
        || index.startsWith("_") || index.startsWith("-") || index.startsWith("+")
        || index.equals(".") || index.equals("..")) {
      throw new IllegalArgumentException("Refusing to delete '" + index + "': only one concrete index name is"
          + " deleted at a time, never a wildcard, list or _all. List the indices with indices(pattern) and delete"
          + " each by name.");
    }
  }

  /** A 404 for the index itself; a 404 from a proxy or for something else is not "already gone". */
  private static boolean isMissingIndex(Response response) {
    return response.status() == 404 && response.body().contains("index_not_found_exception");
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
