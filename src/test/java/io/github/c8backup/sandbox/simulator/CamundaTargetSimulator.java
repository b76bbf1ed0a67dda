package io.github.c8backup.sandbox.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.c8backup.sandbox.simulator.SimulatedHttpServer.Request;
import io.github.c8backup.sandbox.simulator.SimulatedHttpServer.Response;
import io.github.c8backup.sandbox.simulator.SimulatedHttpServer.Router;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CONTRACT-FAITHFUL SIMULATOR of a Camunda 8 Self-Managed cluster's management APIs (8.6 to 8.9),
 * for the local sandbox where no Camunda server may run. It is not Camunda: it answers the paths,
 * bodies, status codes and quirks of {@code /work/shared/reference/camunda-backup-api.md} sections
 * 0-6, and does the storage work for real: web application and Optimize backups are real snapshots
 * in the given OpenSearch/Elasticsearch repository, Zeebe backups are real manifest and content
 * objects in the given S3 bucket, exported records are real documents in {@code zeebe-record*}.
 *
 * <p>Per version: 8.6/8.7 run Operate and Tasklist as separate management servers with their own
 * {@code actuator/backups}, Zeebe backups at {@code actuator/backups}; 8.8/8.9 serve
 * {@code actuator/backupRuntime} and {@code actuator/backupHistory} on Zeebe's management port and
 * answer 404 on {@code actuator/backups}; 8.9 adds {@code backupRuntime/state}, the backup ID in the
 * 202 answer and DELETED tombstones. Optimize (optional) has its own port and ignores the context
 * path.
 *
 * <p>8.9 with RDBMS secondary storage ({@link SimulatorSettings.Builder#rdbms}): the exporter writes
 * process instances and {@code EXPORTER_POSITION} into a real PostgreSQL database instead of the web
 * applications' indices, {@code backupHistory} does not exist (404, as the endpoint is only registered
 * for ES/OS secondary storage), and {@link #restoreBroker(int)} / {@link #restoreBroker(int, Instant)}
 * are the restore application's default and {@code --to} modes aligned to the database (reference
 * 7.5). Continuous backups, the backup schedule with generated IDs, MARKER checkpoints and backup
 * ranges ({@code backupRuntime/state}) are settings of their own (reference 9).
 *
 * <p>The brokers keep their state in a data directory ({@link #dataDirectory()}, one
 * {@code node-<id>/} per broker) and can be stopped, wiped, restored and started like real ones:
 * {@link #stopBrokers()} closes every management and gateway port, {@link #restoreBroker} is the
 * Zeebe restore application reading the backup back from S3 (reference 7.3), {@link #startBrokers()}
 * rebinds the same ports and loads the state from the data directory.
 *
 * <p>{@link #faults()} injects faults: failed, delayed or hanging requests per component and
 * endpoint, refused connections on a component's port, failed or stalled Zeebe backups. The S3
 * store itself going away is no injected fault but real: Zeebe's backup endpoints then answer 500
 * with the store error, and a backup that cannot complete is marked FAILED or, when the store
 * cannot even take that, stays IN_PROGRESS (see {@code SimulatedZeebe}).
 */
public final class CamundaTargetSimulator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CamundaTargetSimulator.class);

  private final SimulatorSettings settings;
  private final ObjectMapper mapper = new ObjectMapper();
  private final SimulatorFaults faults = new SimulatorFaults(new PortSwitch());
  private final ExecutorService httpThreads;
  private final ExecutorService connectionThreads =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("camunda-simulator-connection-", 1).factory());
  private final ScheduledExecutorService timer;
  private final List<ExecutorService> snapshotWorkers = new ArrayList<>();
  /** The listening ports by the component that owns them; WEBAPPS (8.8+) lives on ZEEBE's. */
  private final Map<Component, SimulatedHttpServer> servers = new EnumMap<>(Component.class);
  private final Map<Component, URI> boundUrls = new EnumMap<>(Component.class);
  private final Set<Component> refusedPorts = EnumSet.noneOf(Component.class);
  private final ZeebeBackupStore store;
  private final RdbmsExporter rdbms;
  private final SimulatedZeebe zeebe;
  private final List<String> indices;
  private final SearchEngineCalls search;
  private final Path dataDirectory;
  private final boolean ownsDataDirectory;
  private final BrokerDataDirectory node0;
  private final SimulatedRestoreApplication restoreApplication;
  private volatile boolean brokersRunning;
  private boolean closed;
  private SnapshotBackups operate;
  private SnapshotBackups tasklist;
  private SnapshotBackups webapps;
  private SnapshotBackups optimize;

  private CamundaTargetSimulator(SimulatorSettings settings) {
    this.settings = settings;
    this.httpThreads = Executors.newFixedThreadPool(8, daemonThreads("camunda-simulator-http"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("camunda-simulator-timer"));
    // RDBMS without Optimize needs no search engine (reference 4, 6.3)
    this.search = settings.searchUrl() == null ? null : new SearchEngineCalls(settings.searchUrl(),
        settings.elasticsearch(), settings.snapshotRepository(), mapper);
    this.rdbms = settings.rdbms() ? new RdbmsExporter(settings) : null;
    this.ownsDataDirectory = settings.dataDirectory() == null;
    try {
      this.dataDirectory = ownsDataDirectory
          ? Files.createTempDirectory("camunda-simulator-data-")
          : Files.createDirectories(settings.dataDirectory());
    } catch (IOException e) {
      throw new UncheckedIOException("Camunda target simulator: cannot create its data directory", e);
    }
    this.node0 = new BrokerDataDirectory(dataDirectory, SimulatedZeebe.NODE_ID, mapper);
    this.store = new ZeebeBackupStore(settings, mapper);
    this.restoreApplication = new SimulatedRestoreApplication(settings, store, rdbms, mapper);
    try {
      createRdbmsSchema(); // before the brokers start exporting into it
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    this.zeebe = new SimulatedZeebe(settings, search, rdbms, store, faults, mapper, timer, node0);
    List<List<String>> allParts = new ArrayList<>();
    if (settings.webappsBackups()) {
      webapps = snapshotBackups("webapps", SnapshotBackups.Flavour.WEBAPPS, CamundaIndices.prefixed(CamundaIndices.webappsParts(), settings), search);
      allParts.addAll(CamundaIndices.prefixed(CamundaIndices.webappsParts(), settings));
    } else if (!settings.combinedWebapps()) {
      operate = snapshotBackups("operate", SnapshotBackups.Flavour.WEBAPPS, CamundaIndices.prefixed(CamundaIndices.operateParts(), settings), search);
      tasklist = snapshotBackups("tasklist", SnapshotBackups.Flavour.WEBAPPS, CamundaIndices.prefixed(CamundaIndices.tasklistParts(), settings), search);
      allParts.addAll(CamundaIndices.prefixed(CamundaIndices.operateParts(), settings));
      allParts.addAll(CamundaIndices.prefixed(CamundaIndices.tasklistParts(), settings));
    }
    if (settings.optimizeEnabled()) {
      optimize = snapshotBackups("optimize", SnapshotBackups.Flavour.OPTIMIZE, CamundaIndices.prefixed(CamundaIndices.optimizeParts(), settings), search);
      allParts.addAll(CamundaIndices.prefixed(CamundaIndices.optimizeParts(), settings));
    }
    this.indices = CamundaIndices.flatten(allParts);
    try {
      createIndices();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Creates the components' indices in the search engine (as real components do at startup) and
   * starts the management servers. The search engine's snapshot repository and the S3 bucket must
   * exist.
   */
  public static CamundaTargetSimulator start(SimulatorSettings settings) {
    long started = System.nanoTime();
    CamundaTargetSimulator simulator = new CamundaTargetSimulator(settings);
    try {
      simulator.startServers();
    } catch (RuntimeException e) {
      simulator.close();
      throw e;
    }
    LOG.info("[camunda-simulator] Camunda target simulator {} started in {} ms: zeebe management {}{}, gateway REST {}{}{}{}; "
            + "secondary storage {}, search {} ({}, repository {}), S3 {} bucket {}; continuous backups {}, schedule {}; "
            + "data directory {}",
        settings.camundaVersion(), (System.nanoTime() - started) / 1_000_000,
        simulator.boundUrls.get(Component.ZEEBE), settings.contextPath(), simulator.boundUrls.get(Component.GATEWAY),
        simulator.listed(", operate ", Component.OPERATE), simulator.listed(", tasklist ", Component.TASKLIST),
        simulator.listed(", optimize ", Component.OPTIMIZE),
        settings.rdbms() ? "RDBMS " + settings.rdbmsUrl() : settings.secondaryStorage(),
        settings.searchUrl(), settings.elasticsearch() ? "Elasticsearch" : "OpenSearch",
        settings.snapshotRepository(), settings.s3Endpoint(), settings.s3Bucket(), settings.continuousBackups(),
        settings.backupSchedule() == null ? "none" : settings.backupSchedule(), simulator.dataDirectory);
    return simulator;
  }

  private SnapshotBackups snapshotBackups(String app, SnapshotBackups.Flavour flavour, List<List<String>> parts,
      SearchEngineCalls search) {
    ExecutorService worker = Executors.newSingleThreadExecutor(daemonThreads("camunda-simulator-" + app + "-backup"));
    snapshotWorkers.add(worker);
    return new SnapshotBackups(app, flavour, settings, parts, search, mapper, worker);
  }

  /** Camunda's schema in the RDBMS, as the cluster's schema migration creates it at startup. */
  private void createRdbmsSchema() {
    if (rdbms == null) {
      return;
    }
    try {
      rdbms.createSchemaIfAbsent();
    } catch (SQLException e) {
      throw new IllegalStateException("Camunda target simulator could not create its RDBMS schema in "
          + settings.rdbmsUrl() + ": " + e.getMessage(), e);
    }
  }

  private void createIndices() {
    List<Future<?>> creations = new ArrayList<>();
    for (String index : indices) {
      creations.add(httpThreads.submit(() -> search.createIndex(index)));
    }
    for (Future<?> creation : creations) {
      try {
        creation.get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("Camunda target simulator could not create its indices in " + settings.searchUrl(), e);
      }
    }
  }

  private String listed(String label, Component port) {
    URI url = boundUrls.get(port);
    return url == null ? "" : label + url;
  }

  /** The components that have a port of their own in this version, in start order. */
  private List<Component> ports() {
    List<Component> ports = new ArrayList<>(List.of(Component.ZEEBE, Component.GATEWAY));
    if (!settings.combinedWebapps()) {
      // 8.6/8.7: Operate and Tasklist are separate applications with their own management servers (reference 1.3)
      ports.add(Component.OPERATE);
      ports.add(Component.TASKLIST);
    }
    if (optimize != null) {
      ports.add(Component.OPTIMIZE);
    }
    return ports;
  }

  /**
   * Binds the configured ports the first time, and the very same ports on every later start; a
   * port whose connections are refused by fault injection stays closed.
   */
  private void startServers() {
    for (Component port : ports()) {
      if (!refusedPorts.contains(port)) {
        bind(port);
      }
    }
    brokersRunning = true;
  }

  private void bind(Component port) {
    URI bound = boundUrls.get(port);
    int number = bound != null ? bound.getPort() : switch (port) {
      case ZEEBE -> settings.zeebeManagementPort();
      case GATEWAY -> settings.gatewayRestPort();
      case OPERATE -> settings.operatePort();
      case TASKLIST -> settings.tasklistPort();
      case OPTIMIZE -> settings.optimizePort();
      case WEBAPPS -> throw new IllegalArgumentException("WEBAPPS has no port of its own");
    };
    Router router = switch (port) {
      case ZEEBE -> this::routeZeebeManagement;
      case GATEWAY -> this::routeGateway;
      case OPERATE -> r -> routeWebapp(r, Component.OPERATE, operate);
      case TASKLIST -> r -> routeWebapp(r, Component.TASKLIST, tasklist);
      case OPTIMIZE -> this::routeOptimize;
      case WEBAPPS -> throw new IllegalArgumentException("WEBAPPS has no port of its own");
    };
    String name = switch (port) {
      case ZEEBE -> "zeebe-management";
      case GATEWAY -> "gateway-rest";
      default -> port.name().toLowerCase() + "-management";
    };
    SimulatedHttpServer server = new SimulatedHttpServer(name, settings.host(), number,
        request -> faults.apply(requestComponent(port, request), request), router, mapper, connectionThreads, httpThreads);
    servers.put(port, server);
    boundUrls.put(port, server.url());
  }

  /** The component a request on a port addresses: on Zeebe's port (8.8+) backupHistory is WEBAPPS. */
  private Component requestComponent(Component port, Request request) {
    if (port == Component.ZEEBE && settings.webappsBackups()) {
      String path = withoutContextPath(request.path());
      if (path != null && tail(path, "/actuator/backupHistory") != null) {
        return Component.WEBAPPS;
      }
    }
    return port;
  }

  private void stopServers() {
    servers.values().forEach(SimulatedHttpServer::close);
    servers.clear();
  }

  /** The component whose port serves {@code component} in this version; fault injection refuses it. */
  private Component portOf(Component component) {
    return switch (component) {
      case ZEEBE, GATEWAY -> component;
      case WEBAPPS -> {
        if (settings.rdbms()) {
          throw new IllegalArgumentException("WEBAPPS has no backup endpoint with RDBMS secondary storage (reference 3.2)");
        }
        if (!settings.combinedWebapps()) {
          throw new IllegalArgumentException("WEBAPPS exists from 8.8 on; " + settings.minorVersion()
              + " serves OPERATE and TASKLIST on ports of their own");
        }
        yield Component.ZEEBE; // backupHistory shares Zeebe's management port
      }
      case OPERATE, TASKLIST -> {
        if (settings.combinedWebapps()) {
          throw new IllegalArgumentException(component + " has a port of its own only in 8.6/8.7; on "
              + settings.minorVersion() + " its backups are WEBAPPS on Zeebe's management port");
        }
        yield component;
      }
      case OPTIMIZE -> {
        if (optimize == null) {
          throw new IllegalArgumentException("Optimize is not enabled in this simulator");
        }
        yield component;
      }
    };
  }

  /** Closes and binds ports for {@link SimulatorFaults#refuseConnections} and its undo. */
  private final class PortSwitch implements SimulatorFaults.Ports {

    @Override
    public void refuse(Component component) {
      synchronized (CamundaTargetSimulator.this) {
        Component port = portOf(component);
        refusedPorts.add(port);
        SimulatedHttpServer server = servers.remove(port);
        if (server != null) {
          server.close();
          LOG.info("[camunda-simulator] {} refuses connections on {} (fault injection){}", component, boundUrls.get(port),
              port == component ? "" : ", and so does every component on that port");
        }
      }
    }

    @Override
    public void accept(Component component) {
      synchronized (CamundaTargetSimulator.this) {
        Component port = portOf(component);
        refusedPorts.remove(port);
        if (brokersRunning && !servers.containsKey(port)) {
          bind(port);
          LOG.info("[camunda-simulator] {} accepts connections again on {}", component, boundUrls.get(port));
        }
      }
    }

    @Override
    public void acceptAll() {
      synchronized (CamundaTargetSimulator.this) {
        List.copyOf(refusedPorts).forEach(this::accept);
      }
    }
  }

  // ---------------------------------------------------------------- routing

  private Response routeZeebeManagement(Request request) {
    String path = withoutContextPath(request.path());
    if (path == null) {
      return Response.springError(404, "Not Found", request.path());
    }
    if (path.equals("/actuator/health")) {
      return Response.json(200, Map.of("status", "UP"));
    }
    if (path.startsWith("/actuator/exporting/")) {
      return unavailable(Component.ZEEBE).orElseGet(() -> request.method().equals("POST")
          ? zeebe.exporting(path.substring("/actuator/exporting/".length()), "true".equals(request.query().get("soft")))
          : Response.springError(405, "Method Not Allowed", request.path()));
    }
    // Zeebe: actuator/backups up to 8.7, actuator/backupRuntime from 8.8; the other path is 404 (reference 2.2)
    String zeebeBackups = tail(path, "/actuator/" + (settings.combinedWebapps() ? "backupRuntime" : "backups"));
    if (zeebeBackups != null) {
      return unavailable(Component.ZEEBE).orElseGet(() -> {
        try {
          return routeZeebeBackups(request, zeebeBackups);
        } catch (BackupStoreUnavailable e) {
          // the broker's store call failed: an internal error with the exception's message (reference 2.5)
          return message(500, e.getMessage());
        }
      });
    }
    // 8.8+: Operate and Tasklist backed up together through backupHistory on this port (reference 3.2);
    // with RDBMS secondary storage the endpoint is not registered, so the actuator answers 404
    String history = settings.webappsBackups() ? tail(path, "/actuator/backupHistory") : null;
    if (history != null) {
      return unavailable(Component.WEBAPPS).orElseGet(() -> routeSnapshotBackups(request, history, webapps));
    }
    return Response.springError(404, "Not Found", request.path());
  }

  private Response routeZeebeBackups(Request request, String tail) {
    JsonNode body = request.json(mapper);
    if (tail.isEmpty()) {
      return switch (request.method()) {
        case "POST" -> zeebe.takeBackup(body);
        case "GET" -> zeebe.backups(null);
        default -> Response.springError(405, "Method Not Allowed", request.path());
      };
    }
    String argument = tail.substring(1);
    if (argument.contains("/")) {
      if (settings.is89() && argument.equals("state/sync") && request.method().equals("POST")) {
        return zeebe.runtimeState();
      }
      return message(400, "Invalid arguments provided.");
    }
    if (settings.is89() && argument.equals("state")) {
      return switch (request.method()) {
        case "GET" -> zeebe.runtimeState();
        case "DELETE" -> Response.noContent(); // the simulator derives the state from the store; nothing to clear
        default -> Response.springError(405, "Method Not Allowed", request.path());
      };
    }
    if (settings.combinedWebapps() && argument.endsWith("*") && request.method().equals("GET")) {
      return zeebe.backups(argument.substring(0, argument.length() - 1)); // 8.8+ prefix list (reference 2.3)
    }
    Long backupId = parseId(argument);
    if (backupId == null) {
      return message(400, "Expected a backup ID or prefix ending with '*', but got '" + argument + "'.");
    }
    return switch (request.method()) {
      case "GET" -> zeebe.backup(backupId);
      case "DELETE" -> zeebe.deleteBackup(backupId);
      default -> Response.springError(405, "Method Not Allowed", request.path());
    };
  }

  private Response routeWebapp(Request request, Component component, SnapshotBackups backups) {
    String path = withoutContextPath(request.path());
    if (path == null) {
      return Response.springError(404, "Not Found", request.path());
    }
    if (path.equals("/actuator/health")) {
      return Response.json(200, Map.of("status", "UP"));
    }
    String tail = tail(path, "/actuator/backups");
    if (tail == null) {
      return Response.springError(404, "Not Found", request.path());
    }
    return unavailable(component).orElseGet(() -> routeSnapshotBackups(request, tail, backups));
  }

  private Response routeOptimize(Request request) {
    // Optimize's management API ignores the context path (reference 1.3)
    String path = request.path();
    if (path.equals("/actuator/health")) {
      return Response.json(200, Map.of("status", "UP"));
    }
    String tail = tail(path, "/actuator/backups");
    if (tail == null) {
      return Response.springError(404, "Not Found", request.path());
    }
    return unavailable(Component.OPTIMIZE).orElseGet(() -> routeSnapshotBackups(request, tail, optimize));
  }

  private Response routeSnapshotBackups(Request request, String tail, SnapshotBackups backups) {
    if (tail.isEmpty()) {
      return switch (request.method()) {
        case "POST" -> backups.create(request.json(mapper));
        case "GET" -> backups.list();
        default -> Response.springError(405, "Method Not Allowed", request.path());
      };
    }
    Long backupId = parseId(tail.substring(1));
    if (backupId == null) {
      return message(400, "Backup id must be a number, got '" + tail.substring(1) + "'");
    }
    return switch (request.method()) {
      case "GET" -> backups.get(backupId);
      case "DELETE" -> backups.delete(backupId);
      default -> Response.springError(405, "Method Not Allowed", request.path());
    };
  }

  private Response routeGateway(Request request) {
    Optional<Response> down = unavailable(Component.GATEWAY);
    if (down.isPresent()) {
      return down.get();
    }
    if (request.path().equals("/v2/topology") && request.method().equals("GET")) {
      return Response.json(200, zeebe.topology());
    }
    if (request.path().equals("/v2/process-instances") && request.method().equals("POST")) {
      JsonNode body = request.json(mapper);
      String processId = body.path("processDefinitionId").asText("");
      if (processId.isBlank()) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", "INVALID_ARGUMENT");
        problem.put("status", 400);
        problem.put("detail", "At least one of [processDefinitionId, processDefinitionKey] is required");
        problem.put("instance", request.path());
        return Response.json(400, problem);
      }
      long key = zeebe.createProcessInstance(processId, body.path("variables"));
      Map<String, Object> created = new LinkedHashMap<>();
      // 8.8 turned every key in the v2 REST API into a string; 8.6/8.7 answer numbers
      created.put("processDefinitionKey", restKey(((long) 1 << 51) + 1));
      created.put("processDefinitionId", processId);
      created.put("processDefinitionVersion", 1);
      created.put("processInstanceKey", restKey(key));
      created.put("tenantId", "<default>");
      created.put("variables", body.path("variables").isObject() ? body.path("variables") : Map.of());
      return Response.json(200, created);
    }
    return Response.springError(404, "Not Found", request.path());
  }

  private Object restKey(long key) {
    return settings.combinedWebapps() ? String.valueOf(key) : key;
  }

  private Optional<Response> unavailable(Component component) {
    return faults.unavailability(component).map(status -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", status);
      body.put("error", status == 503 ? "Service Unavailable" : status == 502 ? "Bad Gateway" : "Unavailable");
      body.put("message", component + " made unavailable by fault injection (Camunda target simulator)");
      return Response.json(status, body);
    });
  }

  /** The path without the context path, or null when the context path is missing (reference 1.3). */
  private String withoutContextPath(String path) {
    String context = settings.contextPath();
    if (context.isEmpty()) {
      return path;
    }
    return path.startsWith(context + "/") ? path.substring(context.length()) : null;
  }

  /** "" for the base itself, "/rest" below it, null when the path is elsewhere. */
  private static String tail(String path, String base) {
    if (path.equals(base) || path.equals(base + "/")) {
      return "";
    }
    return path.startsWith(base + "/") ? path.substring(base.length()) : null;
  }

  private static Long parseId(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Response message(int status, String message) {
    return Response.json(status, Map.of("message", message));
  }

  // ---------------------------------------------------------------- public API

  public SimulatorSettings settings() {
    return settings;
  }

  /** Zeebe's management server (8.8+: also the web applications' {@code backupHistory}), without the context path. */
  public URI zeebeManagementUrl() {
    return boundUrls.get(Component.ZEEBE);
  }

  /** The gateway's REST API ({@code /v2/topology}, {@code /v2/process-instances}). */
  public URI gatewayRestUrl() {
    return boundUrls.get(Component.GATEWAY);
  }

  /** Operate's management server (8.6/8.7 only), without the context path. */
  public URI operateUrl() {
    return required(boundUrls.get(Component.OPERATE), "Operate has its own management server only in 8.6/8.7; 8.8+ uses zeebeManagementUrl()");
  }

  /** Tasklist's management server (8.6/8.7 only), without the context path. */
  public URI tasklistUrl() {
    return required(boundUrls.get(Component.TASKLIST), "Tasklist has its own management server only in 8.6/8.7; 8.8+ uses zeebeManagementUrl()");
  }

  /** Optimize's management server (only when enabled). */
  public URI optimizeUrl() {
    return required(boundUrls.get(Component.OPTIMIZE), "Optimize is not enabled in this simulator");
  }

  private static URI required(URI url, String message) {
    if (url == null) {
      throw new IllegalStateException(message);
    }
    return url;
  }

  /** Starts an instance like {@code POST /v2/process-instances}; returns its key. */
  public long createProcessInstance(String processId) {
    return createProcessInstance(processId, Map.of());
  }

  public long createProcessInstance(String processId, Map<String, Object> variables) {
    return zeebe.createProcessInstance(processId, mapper.valueToTree(variables));
  }

  public ExportingState exportingState() {
    return zeebe.exportingState();
  }

  /** Every soft or hard pause so far, oldest first; the last one is open while exporting is paused. */
  public List<ExportingWindow> pausedWindows() {
    return zeebe.exportingWindows();
  }

  /** Position of the last record on a partition's log (1-based partition ID). */
  public long position(int partitionId) {
    return zeebe.position(partitionId);
  }

  /** Acknowledged exported position; frozen while soft- or hard-paused. */
  public long exportedPosition(int partitionId) {
    return zeebe.exportedPosition(partitionId);
  }

  /** Documents waiting for export while exporting is hard-paused. */
  public int exportBacklog() {
    return zeebe.backlogSize();
  }

  /** The indices the simulated components created at startup. */
  public List<String> indices() {
    return indices;
  }

  /** Snapshot name of a web application or Optimize backup part, e.g. ("operate", 5, 1). */
  public String snapshotName(String app, long backupId, int partNo) {
    SnapshotBackups backups = switch (app) {
      case "operate" -> operate;
      case "tasklist" -> tasklist;
      case "webapps" -> webapps;
      case "optimize" -> optimize;
      default -> null;
    };
    if (backups == null) {
      throw new IllegalArgumentException("no " + app + " backups in a " + settings.minorVersion() + " simulator");
    }
    return backups.snapshotName(backupId, partNo);
  }

  public SimulatorFaults faults() {
    return faults;
  }

  /** True once the brokers tried to finish Zeebe backup {@code id} (completed, failed or stuck); for tests. */
  boolean zeebeBackupCompletionAttempted(long backupId) {
    return zeebe.completionAttempted(backupId);
  }

  // ---------------------------------------------------------------- lifecycle and restore

  /**
   * Stops the brokers, the gateway, the web applications and Optimize as an operator stopping the
   * cluster would: their ports refuse connections until {@link #startBrokers()}. The state stays
   * in the data directory; the search engine and the S3 store keep running. Idempotent.
   */
  public synchronized void stopBrokers() {
    if (!brokersRunning) {
      return;
    }
    brokersRunning = false;
    zeebe.stop();
    stopServers();
    LOG.info("[camunda-simulator] brokers, gateway, web applications and Optimize stopped; data directory {}", dataDirectory);
  }

  /** True between {@link #start} or {@link #startBrokers()} and {@link #stopBrokers()}. */
  public boolean brokersRunning() {
    return brokersRunning;
  }

  /**
   * Starts the components again on the same ports. The brokers load their state from the data
   * directory (empty: a fresh cluster) and export with RUNNING; the web applications and Optimize
   * create their indices again where missing, as the real ones do at startup. Idempotent.
   */
  public synchronized void startBrokers() {
    if (brokersRunning) {
      return;
    }
    long started = System.nanoTime();
    createIndices();
    createRdbmsSchema();
    zeebe.start();
    startServers();
    LOG.info("[camunda-simulator] components started in {} ms from data directory {}",
        (System.nanoTime() - started) / 1_000_000, dataDirectory);
  }

  /** The broker node IDs; this simulator runs one broker, node 0, leading every partition. */
  public List<Integer> brokerNodeIds() {
    return List.of(SimulatedZeebe.NODE_ID);
  }

  /** Where the simulated brokers keep their state: one {@code node-<id>/} folder per broker. */
  public Path dataDirectory() {
    return dataDirectory;
  }

  /** The data directory of one broker node ({@code node-0}; this simulator runs one broker). */
  public Path brokerDataDirectory(int nodeId) {
    return brokerData(nodeId).path();
  }

  /** Deletes everything in a broker's data directory, as wiping its volume would. Only while stopped. */
  public synchronized void wipeBrokerData(int nodeId) {
    if (brokersRunning) {
      throw new IllegalStateException("the brokers are running; stop them before wiping node " + nodeId);
    }
    brokerData(nodeId).wipe();
  }

  /**
   * The simulator's Zeebe restore application ({@code bin/restore --backupId=<id>}, reference 7.3)
   * for one broker node: needs the brokers stopped and the node's data directory empty, reads the
   * backup's manifests and snapshot contents back from the S3 store, checks that every configured
   * partition has a COMPLETED backup taken with the same partition count, and writes the
   * partitions' state into the data directory. Blocks until done.
   *
   * @return the lines it logged, the per-partition {@code Successfully restored partition N from
   *     backup X. ...} and last {@code Successfully restored broker from backup X}
   * @throws BrokerRestoreFailed with the real application's message; after the emptiness check a
   *     failure leaves the data directory empty, like the real application
   */
  public synchronized List<String> restoreBroker(int nodeId, long backupId) {
    BrokerDataDirectory target = brokerData(nodeId);
    if (brokersRunning) {
      throw new BrokerRestoreFailed("The broker of node " + nodeId + " is running (simulated): stop it before restoring "
          + "backup " + backupId + ", the restore application must not share its data directory");
    }
    long started = System.nanoTime();
    List<String> log = restoreApplication.restore(target, backupId);
    LOG.info("[camunda-simulator] node {} restored from backup {} in {} ms", nodeId, backupId,
        (System.nanoTime() - started) / 1_000_000);
    return log;
  }

  /**
   * The restore application with {@code --backupId=<id>,<id>,...} (camunda/camunda#36159): every
   * partition from the first backup's snapshot plus the log of the following contiguous backups, up
   * to the last one's checkpoint. Any backup in the store counts, also one of a history a restore
   * left behind. Needs the brokers stopped and an empty data directory.
   */
  public synchronized List<String> restoreBroker(int nodeId, List<Long> backupIds) {
    BrokerDataDirectory target = brokerData(nodeId);
    if (brokersRunning) {
      throw new BrokerRestoreFailed("The broker of node " + nodeId + " is running (simulated): stop it before restoring "
          + "backups " + backupIds + ", the restore application must not share its data directory");
    }
    long started = System.nanoTime();
    List<String> log = restoreApplication.restore(target, backupIds);
    LOG.info("[camunda-simulator] node {} restored from backups {} in {} ms", nodeId, backupIds,
        (System.nanoTime() - started) / 1_000_000);
    return log;
  }

  /**
   * The 8.9 restore application without parameters on an RDBMS cluster (reference 7.5, default
   * mode): reads every partition's {@code EXPORTER_POSITION} from the database, starts each partition
   * from the latest backup at or before that position and applies the following backups of its range
   * up to the latest backup common to all partitions. After {@link #startBrokers()} the brokers
   * re-export what the database misses. Needs the brokers stopped and an empty data directory.
   *
   * @return the lines it logged, ending with {@code Successfully restored broker to global checkpoint <id>}
   * @throws BrokerRestoreFailed on a missing exporter position, a database ahead of every backup, a
   *     range gap between the exporter position and the latest backup, or no usable backup; the data
   *     directory is left empty
   */
  public synchronized List<String> restoreBroker(int nodeId) {
    return restoreAligned(nodeId, null);
  }

  /**
   * The 8.9 restore application with {@code --to=<to>} on an RDBMS cluster (reference 7.5): like
   * {@link #restoreBroker(int)}, but to the latest checkpoint (backup, or MARKER between two backups
   * of a range) at or before {@code to}. Refused when that checkpoint lies below a partition's
   * exported position in the database: a {@code --to} earlier than the database's state would leave
   * the secondary storage ahead of the primary.
   */
  public synchronized List<String> restoreBroker(int nodeId, Instant to) {
    return restoreAligned(nodeId, java.util.Objects.requireNonNull(to, "to"));
  }

  private List<String> restoreAligned(int nodeId, Instant to) {
    BrokerDataDirectory target = brokerData(nodeId);
    if (brokersRunning) {
      throw new BrokerRestoreFailed("The broker of node " + nodeId + " is running (simulated): stop it before restoring, "
          + "the restore application must not share its data directory");
    }
    long started = System.nanoTime();
    List<String> log = restoreApplication.restoreAligned(target, to);
    LOG.info("[camunda-simulator] node {} restored {} in {} ms", nodeId, to == null ? "aligned to the RDBMS" : "to " + to,
        (System.nanoTime() - started) / 1_000_000);
    return log;
  }

  private BrokerDataDirectory brokerData(int nodeId) {
    if (nodeId != SimulatedZeebe.NODE_ID) {
      throw new IllegalArgumentException("the simulated cluster has one broker, node " + SimulatedZeebe.NODE_ID
          + "; there is no node " + nodeId);
    }
    return node0;
  }

  /** Keys of the process instances the running brokers know (their live state, not the search engine). */
  public List<Long> processInstanceKeys() {
    requireRunning();
    return zeebe.processInstanceKeys();
  }

  public boolean hasProcessInstance(long key) {
    return processInstanceKeys().contains(key);
  }

  private void requireRunning() {
    if (!brokersRunning) {
      throw new IllegalStateException("the simulated brokers are stopped");
    }
  }

  /**
   * Stops servers and threads; snapshots and S3 objects stay, and so does a data directory given in
   * the settings. Requests held by an injected delay are dropped at once.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (zeebe != null) {
      zeebe.stop();
    }
    brokersRunning = false;
    stopServers();
    faults.releaseDelayed();
    connectionThreads.shutdownNow();
    snapshotWorkers.forEach(ExecutorService::shutdownNow);
    timer.shutdownNow();
    httpThreads.shutdownNow();
    if (store != null) {
      store.close();
    }
    if (ownsDataDirectory && dataDirectory != null) {
      try {
        BrokerDataDirectory.deleteRecursively(dataDirectory);
      } catch (IOException e) {
        LOG.warn("[camunda-simulator] could not delete data directory {}: {}", dataDirectory, e.getMessage());
      }
    }
    LOG.info("[camunda-simulator] Camunda target simulator {} stopped", settings.camundaVersion());
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
