package io.github.c8backup.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The orchestrator's HTTP API as the command line uses it: the JSON fields the endpoints return,
 * nothing more. No retries; the caller decides.
 */
final class OrchestratorApi {

  /** The orchestrator did not answer at all (exit code 3). */
  static final class Unreachable extends RuntimeException {
    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The orchestrator answered with an error (exit code 1); the message is its own. */
  static final class Refused extends RuntimeException {
    private final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  // a catalog asks every component; one that hangs costs its request timeout before it is marked unreachable
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

  private final URI base;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  OrchestratorApi(URI base) {
    this.base = base;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  JsonNode clusters() {
    return send(HttpRequest.newBuilder(uri("/api/clusters")).GET());
  }

  JsonNode catalog(String cluster, Integer limit) {
    return send(HttpRequest.newBuilder(uri("/api/clusters/" + segment(cluster) + "/catalog" + (limit == null ? "" : "?limit=" + limit))).GET());
  }

  JsonNode requestBackup(String cluster, Long backupId) {
    String body = backupId == null ? "{}" : write(Map.of("backupId", backupId));
    return send(HttpRequest.newBuilder(uri("/api/clusters/" + segment(cluster) + "/backups"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** {@code backupId}: a number or "latest"; {@code pointInTime}: an instant or "latest"; one of them null. */
  JsonNode requestRestore(String cluster, String backupId, String pointInTime, boolean preApproved) {
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    if (backupId != null) {
      body.put("backupId", backupId.equals("latest") ? backupId : (Object) Long.parseLong(backupId));
    }
    if (pointInTime != null) {
      body.put("pointInTime", pointInTime);
    }
    body.put("preApproved", preApproved);
    return send(HttpRequest.newBuilder(uri("/api/clusters/" + segment(cluster) + "/restores"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(write(body))));
  }

  /** What the orchestrator saw become of a request ({@code GET /api/requests/{id}}); empty while it saw nothing yet. */
  java.util.Optional<JsonNode> requestOutcome(String requestId) {
    try {
      return java.util.Optional.of(send(HttpRequest.newBuilder(uri("/api/requests/" + segment(requestId))).GET()));
    } catch (Refused e) {
      if (e.status() == 404) {
        return java.util.Optional.empty();
      }
      throw e;
    }
  }

  URI base() {
    return base;
  }

  private JsonNode send(HttpRequest.Builder request) {
    HttpRequest built = request.timeout(REQUEST_TIMEOUT).header("Accept", "application/json").build();
    HttpResponse<String> response;
    try {
      response = http.send(built, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      if (e instanceof java.net.http.HttpConnectTimeoutException) {
        throw new Unreachable("Cannot reach the orchestrator at " + base + " (connect timed out). Is it running?"
            + " Give its address with --url or C8BACKUP_URL.", e);
      }
      throw new Unreachable("The orchestrator at " + base + " did not answer " + built.method() + " " + built.uri().getPath()
          + " within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
    } catch (IOException e) {
      throw new Unreachable("Cannot reach the orchestrator at " + base + " (" + describe(e)
          + "). Is it running? Give its address with --url or C8BACKUP_URL.", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("Interrupted while waiting for the orchestrator at " + base, e);
    }
    JsonNode body = parse(response.body());
    if (response.statusCode() >= 400) {
      String message = body != null && body.hasNonNull("message") && !body.get("message").asText().isBlank()
          ? body.get("message").asText()
          : "HTTP " + response.statusCode() + (response.body().isBlank() ? "" : ": " + excerpt(response.body()));
      throw new Refused(response.statusCode(), message);
    }
    if (body == null) {
      throw new Refused(response.statusCode(), "The orchestrator's answer to " + built.uri().getPath() + " is not JSON: " + excerpt(response.body()));
    }
    return body;
  }

  private JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String describe(IOException e) {
    if (e instanceof java.net.ConnectException) {
      return "connection refused";
    }
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      message = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getClass().getSimpleName();
    }
    return message;
  }

  private static String excerpt(String body) {
    String flat = body.replaceAll("\\s+", " ").trim();
    return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
  }
}
