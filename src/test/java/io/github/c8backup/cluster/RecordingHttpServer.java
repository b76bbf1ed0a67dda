package io.github.c8backup.cluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An in-process HTTP server on a free port that answers stubbed responses (the real bodies from
 * the reference) and records every request. Unstubbed requests get 404 {@code {"message":"not stubbed"}}.
 */
public final class RecordingHttpServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, Stub> stubs = new ConcurrentHashMap<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

  private RecordingHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public static RecordingHttpServer start() {
    try {
      return new RecordingHttpServer();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A port on which nothing listens (bound, then released). */
  public static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** @param pathAndQuery e.g. {@code /actuator/exporting/pause?soft=true}; matched exactly */
  public RecordingHttpServer respond(String method, String pathAndQuery, int status, String body) {
    return respond(method, pathAndQuery, status, body, Duration.ZERO);
  }

  public RecordingHttpServer respond(String method, String pathAndQuery, int status, String body, Duration delay) {
    stubs.put(method + " " + pathAndQuery, new Stub(status, body, delay));
    return this;
  }

  /** Answers the given bodies (status 200) one per request, in turn; the last one is repeated. */
  public RecordingHttpServer respondInTurn(String method, String pathAndQuery, List<String> bodies) {
    turns.put(method + " " + pathAndQuery, new java.util.concurrent.ConcurrentLinkedDeque<>(bodies));
    return this;
  }

  private final Map<String, java.util.Deque<String>> turns = new ConcurrentHashMap<>();

  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public RecordedRequest lastRequest() {
    if (requests.isEmpty()) {
      throw new AssertionError("no request reached the server");
    }
    return requests.get(requests.size() - 1);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(
          new RecordedRequest(
              exchange.getRequestMethod(), pathAndQuery, Map.copyOf(exchange.getRequestHeaders()), body));
      java.util.Deque<String> inTurn = turns.get(exchange.getRequestMethod() + " " + pathAndQuery);
      if (inTurn != null) {
        String next = inTurn.size() > 1 ? inTurn.pollFirst() : inTurn.peekFirst();
        respond(exchange.getRequestMethod(), pathAndQuery, 200, next);
      }
      Stub stub = stubs.getOrDefault(
          exchange.getRequestMethod() + " " + pathAndQuery, new Stub(404, "{\"message\":\"not stubbed\"}", Duration.ZERO));
      if (!stub.delay().isZero()) {
        try {
          Thread.sleep(stub.delay());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      byte[] bytes = stub.body() == null ? new byte[0] : stub.body().getBytes(StandardCharsets.UTF_8);
      if (bytes.length > 0) {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
      }
      exchange.sendResponseHeaders(stub.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  private record Stub(int status, String body, Duration delay) {}

  /** One request as the server saw it; {@code path} includes the raw query. */
  public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String body) {

    public String header(String name) {
      return headers.entrySet().stream()
          .filter(entry -> entry.getKey().equalsIgnoreCase(name))
          .map(entry -> entry.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }
}
