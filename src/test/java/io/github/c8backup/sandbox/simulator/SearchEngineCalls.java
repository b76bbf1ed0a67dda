package io.github.c8backup.sandbox.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The few Elasticsearch/OpenSearch calls the simulated components make: create their indices,
 * index exported documents, and take, read and delete snapshots in the one repository.
 */
final class SearchEngineCalls {

  /** One snapshot as {@code GET _snapshot/{repo}/{pattern}} lists it. */
  record Snapshot(String name, String state, long startTimeMillis, long endTimeMillis, JsonNode metadata,
      List<String> failures) {}

  /** Thrown when the search engine answers a status we did not expect. */
  static final class SearchEngineException extends RuntimeException {
    final int status;

    SearchEngineException(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private final URI baseUrl;
  private final boolean elasticsearch;
  private final String repository;
  private final ObjectMapper mapper;
  private final HttpClient http;

  SearchEngineCalls(URI baseUrl, boolean elasticsearch, String repository, ObjectMapper mapper) {
    this.baseUrl = URI.create(baseUrl.toString().replaceAll("/+$", "") + "/");
    this.elasticsearch = elasticsearch;
    this.repository = repository;
    this.mapper = mapper;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Creates the index with 1 shard and 0 replicas; an existing index is left as it is. */
  void createIndex(String index) {
    ObjectNode body = mapper.createObjectNode();
    body.putObject("settings").put("number_of_shards", 1).put("number_of_replicas", 0);
    HttpResponse<String> response = send("PUT", encode(index), body.toString(), Duration.ofSeconds(30));
    if (response.statusCode() >= 300 && !response.body().contains("resource_already_exists_exception")) {
      throw new SearchEngineException(response.statusCode(), "create index " + index + ": " + response.body());
    }
  }

  /** {@code POST _bulk?refresh=true} with index actions; each document is {@code [index, id, source]}. */
  void bulkIndex(List<Object[]> documents) {
    if (documents.isEmpty()) {
      return;
    }
    StringBuilder ndjson = new StringBuilder();
    for (Object[] doc : documents) {
      ObjectNode action = mapper.createObjectNode();
      action.putObject("index").put("_index", (String) doc[0]).put("_id", (String) doc[1]);
      ndjson.append(action).append('\n').append(toJson(doc[2])).append('\n');
    }
    HttpResponse<String> response = send("POST", "_bulk?refresh=true", ndjson.toString(), Duration.ofSeconds(30));
    JsonNode answer = read(response);
    if (response.statusCode() >= 300 || answer.path("errors").asBoolean(false)) {
      throw new SearchEngineException(response.statusCode(), "bulk index failed: " + abbreviate(response.body()));
    }
  }

  /**
   * {@code PUT _snapshot/{repo}/{name}?wait_for_completion=true} of an explicit index list, as the
   * web applications take their parts (reference 3.2): no unavailable indices ignored, no global
   * state, {@code feature_states: ["none"]} only on Elasticsearch (OpenSearch rejects the field).
   *
   * @return the snapshot state the engine reports (SUCCESS, PARTIAL, FAILED)
   */
  String createSnapshot(String name, List<String> indices, Map<String, Object> metadata) {
    ObjectNode body = mapper.createObjectNode();
    body.put("indices", String.join(",", indices));
    body.put("ignore_unavailable", false);
    body.put("include_global_state", false);
    if (elasticsearch) {
      body.putArray("feature_states").add("none");
    }
    body.set("metadata", mapper.valueToTree(metadata));
    HttpResponse<String> response = send("PUT",
        "_snapshot/" + encode(repository) + "/" + encode(name) + "?wait_for_completion=true",
        body.toString(), Duration.ofMinutes(5));
    if (response.statusCode() >= 300) {
      throw new SearchEngineException(response.statusCode(), "snapshot " + name + ": " + abbreviate(response.body()));
    }
    return read(response).path("snapshot").path("state").asText("UNKNOWN");
  }

  /** Snapshots whose names match the pattern; none (or a missing match) gives an empty list. */
  List<Snapshot> snapshots(String pattern) {
    HttpResponse<String> response = send("GET",
        "_snapshot/" + encode(repository) + "/" + encode(pattern) + "?ignore_unavailable=true", null,
        Duration.ofSeconds(30));
    if (response.statusCode() == 404) {
      return List.of();
    }
    if (response.statusCode() >= 300) {
      throw new SearchEngineException(response.statusCode(), "list snapshots " + pattern + ": " + abbreviate(response.body()));
    }
    List<Snapshot> result = new ArrayList<>();
    for (JsonNode snapshot : read(response).path("snapshots")) {
      List<String> failures = new ArrayList<>();
      snapshot.path("failures").forEach(f -> failures.add(f.toString()));
      result.add(new Snapshot(snapshot.path("snapshot").asText(), snapshot.path("state").asText(),
          snapshot.path("start_time_in_millis").asLong(0), snapshot.path("end_time_in_millis").asLong(0),
          snapshot.path("metadata"), failures));
    }
    return result;
  }

  void deleteSnapshot(String name) {
    HttpResponse<String> response = send("DELETE", "_snapshot/" + encode(repository) + "/" + encode(name), null,
        Duration.ofMinutes(2));
    if (response.statusCode() >= 300 && response.statusCode() != 404) {
      throw new SearchEngineException(response.statusCode(), "delete snapshot " + name + ": " + abbreviate(response.body()));
    }
  }

  private HttpResponse<String> send(String method, String path, String body, Duration timeout) {
    HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(timeout);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      String contentType = path.startsWith("_bulk") ? "application/x-ndjson" : "application/json";
      request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("search engine " + baseUrl + " unreachable: " + method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + method + " " + path, e);
    }
  }

  private JsonNode read(HttpResponse<String> response) {
    try {
      return mapper.readTree(response.body());
    } catch (IOException e) {
      throw new SearchEngineException(response.statusCode(), "not JSON: " + abbreviate(response.body()));
    }
  }

  private String toJson(Object source) {
    try {
      return mapper.writeValueAsString(source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String encode(String segment) {
    // keep '*' and ',' readable in paths; both are legal in a path segment
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("%2A", "*").replace("%2C", ",").replace("+", "%20");
  }

  private static String abbreviate(String text) {
    return text.length() > 500 ? text.substring(0, 500) + "…" : text;
  }
}
