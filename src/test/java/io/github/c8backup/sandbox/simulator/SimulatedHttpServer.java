package io.github.c8backup.sandbox.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One port of the simulated cluster: a JDK HTTP server that hands every request to a router. */
final class SimulatedHttpServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CamundaTargetSimulator.class);

  /**
   * A request as the simulator's routers see it; {@code path} is the raw path without query,
   * {@code rawQuery} the raw query or null.
   */
  record Request(String method, String path, String rawQuery, Map<String, String> query, String body) {

    JsonNode json(ObjectMapper mapper) {
      if (body == null || body.isBlank()) {
        return NullNode.getInstance();
      }
      try {
        return mapper.readTree(body);
      } catch (IOException e) {
        return NullNode.getInstance();
      }
    }
  }

  /** A response; a null body is sent as an empty body. */
  record Response(int status, Object body) {

    static Response json(int status, Object body) {
      return new Response(status, body);
    }

    static Response noContent() {
      return new Response(204, null);
    }

    /** Spring Boot's default error body, as a real actuator answers an unknown path. */
    static Response springError(int status, String error, String path) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("timestamp", Instant.now().toString());
      body.put("status", status);
      body.put("error", error);
      body.put("path", path);
      return new Response(status, body);
    }
  }

  @FunctionalInterface
  interface Router {
    Response route(Request request) throws Exception;
  }

  /** Injected faults applied before routing: an answer instead of routing, or empty. May block (a delay). */
  @FunctionalInterface
  interface Gate {
    Optional<Response> admit(Request request) throws InterruptedException;
  }

  private final String name;
  private final HttpServer server;
  private final Gate gate;
  private final Router router;
  private final ObjectMapper mapper;
  private final ExecutorService routing;
  private final Set<Thread> handlers = ConcurrentHashMap.newKeySet();
  private final AtomicReference<String> lastLogged = new AtomicReference<>("");
  private volatile boolean closed;

  /**
   * Binds the port and serves it. Every connection is handled on its own thread from
   * {@code connections} (virtual threads: a request held by an injected delay costs nothing and
   * blocks no other request); the routing itself runs on the bounded {@code routing} pool.
   */
  SimulatedHttpServer(String name, String host, int port, Gate gate, Router router, ObjectMapper mapper,
      Executor connections, ExecutorService routing) {
    this.name = name;
    this.gate = gate;
    this.router = router;
    this.mapper = mapper;
    this.routing = routing;
    try {
      this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("Camunda target simulator: cannot bind " + name + " to " + host + ":" + port, e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(connections);
    server.start();
  }

  URI url() {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://" + address.getHostString() + ":" + address.getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    handlers.add(Thread.currentThread());
    try {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      String query = exchange.getRequestURI().getRawQuery();
      Response response;
      try {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Request request = new Request(method, path, query, parseQuery(query), body);
        Optional<Response> injected = gate.admit(request);
        if (closed) {
          exchange.close(); // the port closed while the request waited: the connection drops, nothing was processed
          return;
        }
        response = injected.isPresent() ? injected.get() : routing.submit(() -> router.route(request)).get();
      } catch (InterruptedException e) {
        exchange.close(); // closing the port interrupts the requests it holds: their connection drops
        return;
      } catch (RejectedExecutionException e) {
        response = Response.json(503, Map.of("message", "the Camunda target simulator is closing"));
      } catch (ExecutionException e) {
        LOG.warn("[camunda-simulator] {} {} {} failed inside the simulator", name, method, path, e.getCause());
        response = Response.json(500, Map.of("message", String.valueOf(e.getCause().getMessage())));
      }
      send(exchange, method, path, query, response);
    } finally {
      handlers.remove(Thread.currentThread());
    }
  }

  private void send(HttpExchange exchange, String method, String path, String query, Response response) throws IOException {
    byte[] bytes = response.body() == null ? new byte[0] : mapper.writeValueAsBytes(response.body());
    if (bytes.length > 0) {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
    }
    exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
    String shown = query == null ? path : path + "?" + query;
    String line = method + " " + shown + " -> " + response.status();
    String previous = lastLogged.getAndSet(line);
    if (response.status() >= 500) {
      LOG.warn("[camunda-simulator] {} {}", name, line);
    } else if (method.equals("GET") && line.equals(previous)) {
      // a client polling the same state is logged once at INFO, the repeats at DEBUG
      LOG.debug("[camunda-simulator] {} {} (again)", name, line);
    } else {
      LOG.info("[camunda-simulator] {} {}", name, line);
    }
  }

  private static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.put(key, value);
    }
    return query;
  }

  /**
   * Closes the port: new connections are refused, open ones drop, and requests waiting for an
   * injected delay are interrupted (their connection drops unanswered). A request already being
   * routed finishes its work.
   */
  @Override
  public void close() {
    closed = true;
    server.stop(0);
    handlers.forEach(Thread::interrupt);
  }
}
