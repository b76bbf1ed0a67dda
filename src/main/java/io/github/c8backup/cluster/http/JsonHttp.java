package io.github.c8backup.cluster.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.c8backup.cluster.ComponentRequestRejectedException;
import io.github.c8backup.cluster.ComponentUnavailableException;
import io.github.c8backup.config.Credentials;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * JSON over HTTP to one component of a target cluster: a {@link RestClient} on the JDK client with
 * explicit timeouts, basic auth when configured, and no retries (the BPMN owns retries).
 *
 * <p>Every call returns the raw {@link Response} whatever its status, so each client can read its
 * component's quirks (a 404 that means "does not exist", a 400 that means "ID taken"). What is left
 * goes through {@link #failure}: 502/503/504 become {@link ComponentUnavailableException}, any
 * other status {@link ComponentRequestRejectedException}. Messages name the component, the method
 * and URL (never credentials), the status and the body, and say what to check.
 */
public final class JsonHttp {

  static final int EXCERPT_LENGTH = 300;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final String component;
  private final RestClient client;
  private final Duration connectTimeout;
  private final Duration requestTimeout;

  private JsonHttp(String component, RestClient client, Duration connectTimeout, Duration requestTimeout) {
    this.component = component;
    this.client = client;
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
  }

  /**
   * @param component name used in messages and exceptions, e.g. "zeebe", "operate"
   * @param credentials basic auth for every request, or null
   */
  public static JsonHttp create(
      String component, Duration connectTimeout, Duration requestTimeout, Credentials credentials) {
    Objects.requireNonNull(component, "component");
    Duration connect = connectTimeout != null ? connectTimeout : Duration.ofSeconds(5);
    Duration request = requestTimeout != null ? requestTimeout : Duration.ofSeconds(10);
    HttpClient httpClient =
        HttpClient.newBuilder()
            // plain HTTP/1.1: actuator ports do not speak h2c, and the upgrade attempt only costs time
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connect)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(httpClient);
    factory.setReadTimeout(request);
    RestClient.Builder builder = RestClient.builder().requestFactory(factory);
    if (credentials != null) {
      builder.defaultHeaders(headers -> headers.setBasicAuth(credentials.username(), credentials.password()));
    }
    return new JsonHttp(component, builder.build(), connect, request);
  }

  public String component() {
    return component;
  }

  public Response get(URI uri) {
    return send(HttpMethod.GET, uri, null);
  }

  public Response post(URI uri, Object jsonBody) {
    return send(HttpMethod.POST, uri, jsonBody);
  }

  public Response put(URI uri, Object jsonBody) {
    return send(HttpMethod.PUT, uri, jsonBody);
  }

  public Response delete(URI uri) {
    return send(HttpMethod.DELETE, uri, null);
  }

  /**
   * Sends one request and returns the answer whatever its status.
   *
   * @param jsonBody serialised with Jackson; null sends no body
   * @throws ComponentUnavailableException when no answer came back (refused, reset, timeout)
   */
  public Response send(HttpMethod method, URI uri, Object jsonBody) {
    RestClient.RequestBodySpec request = client.method(method).uri(uri).accept(MediaType.APPLICATION_JSON);
    if (jsonBody != null) {
      request.contentType(MediaType.APPLICATION_JSON).body(write(jsonBody));
    }
    try {
      return request.exchange(
          (req, res) -> new Response(method, uri, res.getStatusCode().value(), readBody(res.getBody())));
    } catch (ResourceAccessException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new ComponentUnavailableException(
          component,
          0,
          component + " did not answer " + describe(method, uri) + ": " + cause.getClass().getSimpleName()
              + (cause.getMessage() != null ? " " + redact(cause.getMessage(), uri) : "")
              + ". Check that " + component + " is running and reachable at " + safe(uri)
              + " (connect timeout " + connectTimeout + ", request timeout " + requestTimeout + ").",
          cause);
    }
  }

  /**
   * The exception for an answer the caller could not use: 502/503/504 give
   * {@link ComponentUnavailableException}, anything else {@link ComponentRequestRejectedException}.
   *
   * @param check what the user should look at, e.g. "the backup store configuration of the brokers"
   */
  public RuntimeException failure(Response response, String check) {
    return failure(response, response.status(), check);
  }

  /** As {@link #failure(Response, String)}, for a status that is not the HTTP one (Zeebe's exporting body, reference 2.1). */
  public RuntimeException failure(Response response, int status, String check) {
    String excerpt = excerpt(response.body());
    String statusText =
        status == response.status() ? "HTTP " + status : "HTTP " + response.status() + " with status " + status + " in the body";
    String message =
        component + " answered " + statusText + " to " + describe(response.method(), response.uri())
            + (excerpt.isEmpty() ? "" : ": " + excerpt)
            + ". " + (isTransient(status) ? "This is usually temporary; retry later. " : "")
            + "Check " + check + ".";
    if (isTransient(status)) {
      return new ComponentUnavailableException(component, status, message, null);
    }
    return new ComponentRequestRejectedException(component, status, excerpt, message);
  }

  /** An answer whose status was fine but whose body we cannot read. */
  public ComponentRequestRejectedException unreadable(Response response, String problem) {
    String excerpt = excerpt(response.body());
    return new ComponentRequestRejectedException(
        component,
        response.status(),
        excerpt,
        component + " answered HTTP " + response.status() + " to " + describe(response.method(), response.uri())
            + " with a body we cannot read (" + problem + "): " + excerpt
            + ". Check that the configured Camunda version matches the cluster.");
  }

  /** The body as JSON; an empty body is a missing node. */
  public JsonNode json(Response response) {
    if (response.body().isBlank()) {
      return MAPPER.missingNode();
    }
    try {
      return MAPPER.readTree(response.body());
    } catch (JsonProcessingException e) {
      throw unreadable(response, "not JSON");
    }
  }

  /** 502, 503 and 504: a gateway, proxy or the component itself says "not now". */
  public static boolean isTransient(int status) {
    return status == 502 || status == 503 || status == 504;
  }

  /**
   * The human part of an error body: {@code message} (Zeebe, web applications),
   * {@code errorMessage} (Optimize), {@code error.reason} (ES/OS), else the raw text; at most
   * {@value #EXCERPT_LENGTH} characters.
   */
  public static String excerpt(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String text = body.strip();
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node != null && node.isObject()) {
        String readable = firstText(node, "message", "errorMessage", "detailedMessage");
        if (readable == null && node.path("body").isObject()) {
          // Zeebe's exporting endpoint wraps the error: {"body":{"message":..},"status":500} (reference 2.1)
          readable = firstText(node.path("body"), "message");
        }
        if (readable == null && node.path("error").isObject()) {
          JsonNode error = node.path("error");
          String type = error.path("type").asText("");
          String reason = error.path("reason").asText("");
          readable = (type + ": " + reason).replaceAll("^: |: $", "");
        }
        if (readable != null && !readable.isBlank()) {
          text = readable;
        }
      }
    } catch (JsonProcessingException e) {
      // not JSON: keep the raw text
    }
    text = text.replaceAll("\\s+", " ");
    return text.length() <= EXCERPT_LENGTH ? text : text.substring(0, EXCERPT_LENGTH) + "...";
  }

  private static String firstText(JsonNode node, String... fields) {
    for (String field : fields) {
      JsonNode value = node.get(field);
      if (value != null && value.isTextual() && !value.asText().isBlank()) {
        return value.asText();
      }
    }
    return null;
  }

  private static String describe(HttpMethod method, URI uri) {
    return method.name() + " " + safe(uri);
  }

  /** The URI without user info, in case someone configured {@code http://user:secret@host}. */
  static String safe(URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri.toString();
    }
    try {
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString()
          + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
    } catch (URISyntaxException e) {
      return uri.getScheme() + "://" + uri.getHost();
    }
  }

  private static String redact(String text, URI uri) {
    return uri.getRawUserInfo() == null ? text : text.replace(uri.getRawUserInfo(), "***");
  }

  private static String write(Object body) {
    if (body instanceof String text) {
      return text;
    }
    try {
      return MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot serialise request body " + body.getClass().getName(), e);
    }
  }

  private static String readBody(java.io.InputStream in) throws IOException {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** One answer: the request it belongs to, the HTTP status and the body text (empty when none). */
  public record Response(HttpMethod method, URI uri, int status, String body) {

    public boolean isSuccess() {
      return status >= 200 && status < 300;
    }
  }
}
