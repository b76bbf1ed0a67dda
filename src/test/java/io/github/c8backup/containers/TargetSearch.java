package io.github.c8backup.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;

/** What the tests ask the target's Elasticsearch directly: snapshots, Camunda's indices, exported records. */
final class TargetSearch {

  /** Camunda's indices in 8.8 (reference 7.2 step 4) and the Elasticsearch exporter's. */
  static final String CAMUNDA_INDICES = "operate-*,tasklist-*,camunda-*,zeebe-record*";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final CamundaTargetStack stack;

  TargetSearch(CamundaTargetStack stack) {
    this.stack = stack;
  }

  /** Every snapshot in the repository by name, with the state Elasticsearch reports (SUCCESS, ...). */
  Map<String, String> snapshots() {
    JsonNode all = get("/_snapshot/" + CamundaTargetStack.SNAPSHOT_REPOSITORY + "/_all");
    Map<String, String> states = new TreeMap<>();
    all.get("snapshots").forEach(s -> states.put(s.get("snapshot").asText(), s.get("state").asText()));
    return states;
  }

  /** Documents per Camunda index, after a refresh. */
  Map<String, Long> documentCounts() {
    stack.send(HttpRequest.newBuilder(uri("/" + CAMUNDA_INDICES + "/_refresh")).POST(HttpRequest.BodyPublishers.noBody()).build());
    JsonNode indices = get("/_cat/indices/" + CAMUNDA_INDICES + "?format=json&h=index,docs.count&expand_wildcards=open");
    Map<String, Long> counts = new TreeMap<>();
    indices.forEach(index -> counts.put(index.get("index").asText(), index.get("docs.count").asLong()));
    return counts;
  }

  /** Deletes Camunda's indices one by one: Elasticsearch 8 refuses wildcard deletes. */
  void deleteCamundaIndices() {
    for (String index : documentCounts().keySet()) {
      HttpResponse<String> response = stack.send(HttpRequest.newBuilder(uri("/" + index)).DELETE().build());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("DELETE /" + index + ": " + response.statusCode() + " " + response.body());
      }
    }
  }

  /** How many records of this process instance the Elasticsearch exporter wrote into {@code zeebe-record*}. */
  long exportedRecordsOf(long processInstanceKey) {
    String query = "{\"query\": {\"term\": {\"value.processInstanceKey\": " + processInstanceKey + "}}}";
    HttpResponse<String> response = stack.send(HttpRequest.newBuilder(uri("/zeebe-record*/_count"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(query)).build());
    return read(response, "POST zeebe-record*/_count").get("count").asLong();
  }

  private JsonNode get(String path) {
    return read(stack.send(HttpRequest.newBuilder(uri(path)).GET().build()), "GET " + path);
  }

  private URI uri(String path) {
    return URI.create(stack.elasticsearch() + path);
  }

  static JsonNode read(HttpResponse<String> response, String what) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException(what + ": " + response.statusCode() + " " + response.body());
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
