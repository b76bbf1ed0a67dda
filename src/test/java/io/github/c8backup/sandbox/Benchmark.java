package io.github.c8backup.sandbox;

import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRecordValue;
import io.github.c8backup.backup.RecordsSnapshotWorker;
import io.github.c8backup.cluster.ClusterConnection;
import io.github.c8backup.cluster.ComponentBackupState;
import io.github.c8backup.cluster.TargetClusters;
import io.github.c8backup.cluster.search.SnapshotApi;
import io.github.c8backup.cluster.search.SnapshotState;
import io.github.c8backup.cluster.webapps.WebappsBackupApi;
import io.github.c8backup.cluster.optimize.OptimizeBackupApi;
import io.github.c8backup.cluster.zeebe.ZeebeBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackupState;
import io.github.c8backup.sandbox.simulator.ExportingWindow;
import io.github.c8backup.sandbox.storage.SearchEngineKind;
import io.github.c8backup.testing.ProcessHistory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Issue 7, item 8: a benchmark command, not a test. On the sandbox with ten simulated 8.8 clusters
 * (sharing one REAL OpenSearch and one REAL S3Proxy), it takes backups of 1, 5 and 10 clusters at
 * once, each way in turn:
 *
 * <ul>
 *   <li><b>BPMN</b>: {@code POST /api/clusters/<c>/backups} to the orchestrator; wall time from
 *       just before that request to the end of the {@code camunda-backup} instance as the control
 *       engine recorded it (its own record timestamp);
 *   <li><b>direct</b>: the same HTTP calls the workers make, through the product's own clients
 *       ({@link TargetClusters} from the running orchestrator), in a tight sequence on one thread
 *       per cluster, polling with the cluster's own poll interval and checking first as the BPMN
 *       does (check, then wait a poll interval): version detection, the list of Zeebe backups and
 *       the reachability reads of prepare, soft pause, web apps and Optimize backups, their checks,
 *       the records snapshot and its checks, the Zeebe backup and its checks, resume, verification.
 * </ul>
 *
 * The exporting-paused window of each comes from the simulator's own record of pause and resume
 * ({@link ExportingWindow}); with several clusters the table shows the longest. Resident memory:
 * the orchestrator alone, started in a JVM of its own on the same classpath and clusters, read from
 * {@code /proc/<pid>/status} (VmRSS) after it has been idle; the sandbox's JVM (control engine,
 * simulators, the measured orchestrator) is shown next to it for reference.
 *
 * <p>Run: {@code ./mvnw -q spring-boot:test-run -Dspring-boot.run.jvmArguments="-Dsandbox.benchmark=true"}.
 * Options (system properties via {@code -Dspring-boot.run.jvmArguments=...}): {@code bench.backup-duration}
 * (default PT3S, the sandbox's: how long each simulated snapshot part and Zeebe backup stays
 * IN_PROGRESS), {@code bench.idle} (default PT20S, idle time before reading the orchestrator's RSS),
 * {@code bench.runs} (default 3: rounds of every scenario; the table shows medians, a single run of
 * a 25 s backup on two shared cores varies by a few seconds either way).
 */
public final class Benchmark {

  private static final List<Integer> SCENARIOS = List.of(1, 5, 10);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Benchmark() {}

  /** One way of backing up some clusters at once: the time until all are done, and the longest pause. */
  record Measurement(Duration wall, Duration longestPause, List<Long> backupIds, String breakdown) {}

  /** Run through {@link SandboxMain} ({@code -Dsandbox.benchmark=true}), which must stay the test classpath's only main class. */
  static void run(String[] args) throws Exception {
    Duration backupDuration = Duration.parse(System.getProperty("bench.backup-duration", "PT3S"));
    Duration idle = Duration.parse(System.getProperty("bench.idle", "PT20S"));
    int runs = Integer.parseInt(System.getProperty("bench.runs", "3"));
    if (runs < 1) {
      throw new IllegalArgumentException("bench.runs must be at least 1, got " + runs);
    }
    int most = SCENARIOS.getLast();
    String[] clusters = IntStream.rangeClosed(1, most).mapToObj(i -> String.format(Locale.ROOT, "c%02d", i)).toArray(String[]::new);
    System.out.println("[bench] starting the sandbox with " + most + " simulated 8.8.3 clusters (backup duration " + backupDuration + ")");
    Instant begin = Instant.now();
    int exit = 0;
    // the job timeout as shipped (application.yaml): the sandbox shortens it for its restart tests,
    // which would also shorten how long a check task looks within its job (half the job's time)
    try (Sandbox sandbox = Sandbox.start(new Sandbox.Options("8.8.3", SearchEngineKind.OPENSEARCH, null, false, backupDuration)
        .withClusters(clusters), Map.of("camunda.client.worker.defaults.timeout", "PT1M"))) {
      System.out.println("[bench] ready in " + Duration.between(begin, Instant.now()).toSeconds() + " s");
      for (String cluster : clusters) {
        sandbox.simulator(cluster).createProcessInstance("order-process");
      }
      TargetClusters targets = sandbox.orchestrator().getBean(TargetClusters.class);

      // warm-up, not counted: the first run of each way loads classes and opens connections
      System.out.println("[bench] warm-up (not counted): one backup each way of " + clusters[0]);
      bpmn(sandbox, List.of(clusters[0]));
      direct(sandbox, targets, List.of(clusters[0]));

      Map<Integer, List<Measurement[]>> results = new HashMap<>();
      for (int round = 1; round <= runs; round++) {
        for (int n : SCENARIOS) {
          List<String> chosen = List.of(clusters).subList(0, n);
          System.out.println("[bench] round " + round + "/" + runs + ", " + n + " cluster(s): BPMN");
          Measurement viaBpmn = bpmn(sandbox, chosen);
          System.out.println("[bench] round " + round + "/" + runs + ", " + n + " cluster(s): direct");
          Measurement viaDirect = direct(sandbox, targets, chosen);
          results.computeIfAbsent(n, k -> new ArrayList<>()).add(new Measurement[] {viaBpmn, viaDirect});
        }
      }

      System.out.println("[bench] measuring the orchestrator's resident memory in a JVM of its own, idle for " + idle.toSeconds() + " s");
      Memory memory = orchestratorMemory(sandbox, idle);
      exit = print(results, memory, backupDuration, runs) ? 0 : 1;
    }
    System.exit(exit);
  }

  // ------------------------------------------------------------------------------------ BPMN

  private static Measurement bpmn(Sandbox sandbox, List<String> chosen) throws Exception {
    ProcessHistory history = sandbox.history();
    Set<Long> known = new HashSet<>(history.instances("camunda-backup"));
    Instant start = Instant.now();
    runAtOnce(chosen, cluster -> {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://localhost:" + sandbox.orchestratorPort() + "/api/clusters/" + cluster + "/backups"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 202) {
        throw new IllegalStateException("Backup request of " + cluster + " answered " + response.statusCode() + ": " + response.body());
      }
      return null;
    });
    // the engine's own timestamps say when each run ended; this loop only waits for that
    Instant deadline = Instant.now().plus(RUN_TIMEOUT);
    List<Long> runs;
    while (true) {
      runs = history.instances("camunda-backup").stream().filter(key -> !known.contains(key)).toList();
      if (runs.size() >= chosen.size() && runs.stream().allMatch(history::isEnded)) {
        break;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("BPMN runs did not end within " + RUN_TIMEOUT + ": " + runs);
      }
      Thread.sleep(200);
    }
    long lastEnd = 0;
    List<Long> ids = new ArrayList<>();
    for (long run : runs) {
      Object outcome = history.variable(run, "outcome").orElse(null);
      if (!"COMPLETED".equals(outcome)) {
        throw new IllegalStateException("BPMN run " + run + " of " + history.variable(run, "cluster").orElse("?") + " ended "
            + outcome + ": " + history.variable(run, "failureReason").orElse(""));
      }
      ids.add(((Number) history.variable(run, "backupId").orElseThrow()).longValue());
      lastEnd = Math.max(lastEnd, processEnd(sandbox, run));
    }
    return new Measurement(Duration.ofMillis(lastEnd - start.toEpochMilli()), longestPause(sandbox, chosen, start), ids,
        breakdown(sandbox, history, runs.getFirst(), start));
  }

  /**
   * Where a BPMN run's time went, from the engine's records: from the request to the start of
   * camunda-backup, in service tasks (each from its activation to its completion: the HTTP call plus
   * the wait for a worker to take the job), in poll timers (and by how much they outlasted their
   * interval), and between elements.
   */
  private static String breakdown(Sandbox sandbox, ProcessHistory history, long run, Instant requested) {
    long activated = -1;
    for (Record<ProcessInstanceRecordValue> r : sandbox.engine().records().processInstanceRecords()) {
      if (r.getKey() == run && r.getIntent() == ProcessInstanceIntent.ELEMENT_ACTIVATED) {
        activated = r.getTimestamp();
        break;
      }
    }
    long tasks = 0;
    int taskCount = 0;
    long timers = 0;
    int timerCount = 0;
    for (ProcessHistory.Step step : history.steps(run)) {
      if (step.completed() == null) {
        continue;
      }
      long ms = Duration.between(step.activated(), step.completed()).toMillis();
      if (step.elementType().equals("SERVICE_TASK")) {
        tasks += ms;
        taskCount++;
      } else if (step.elementType().equals("INTERMEDIATE_CATCH_EVENT")) {
        timers += ms;
        timerCount++;
      }
    }
    long total = processEnd(sandbox, run) - requested.toEpochMilli();
    long beforeStart = activated - requested.toEpochMilli();
    return String.format(Locale.ROOT, "request to camunda-backup started %.2f s; %d service tasks %.2f s; %d poll timers %.2f s"
            + " (%.2f s beyond their PT1S each); rest (gateways, sub-processes, between elements) %.2f s; total %.2f s",
        beforeStart / 1000.0, taskCount, tasks / 1000.0, timerCount, timers / 1000.0, (timers - timerCount * 1000L) / 1000.0,
        (total - beforeStart - tasks - timers) / 1000.0, total / 1000.0);
  }

  private static long processEnd(Sandbox sandbox, long instanceKey) {
    for (Record<ProcessInstanceRecordValue> r : sandbox.engine().records().processInstanceRecords()) {
      if (r.getKey() == instanceKey && r.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED
          && r.getValue().getBpmnElementType() == BpmnElementType.PROCESS) {
        return r.getTimestamp();
      }
    }
    throw new IllegalStateException("No completion record of instance " + instanceKey);
  }

  // ------------------------------------------------------------------------------------ direct

  private static Measurement direct(Sandbox sandbox, TargetClusters targets, List<String> chosen) throws Exception {
    Instant start = Instant.now();
    List<Long> ids = runAtOnce(chosen, cluster -> directBackup(targets, cluster));
    Duration wall = Duration.between(start, Instant.now());
    return new Measurement(wall, longestPause(sandbox, chosen, start), ids, "");
  }

  /** The calls of one 8.8 backup run, in the BPMN's order, without the engine in between. */
  private static long directBackup(TargetClusters targets, String cluster) throws InterruptedException {
    // prepare
    var version = targets.detectVersion(cluster);
    ClusterConnection c = targets.connect(cluster, version.flavour());
    List<ZeebeBackup> existing = c.zeebe().backups();
    WebappsBackupApi webapps = c.webapps().orElseThrow();
    OptimizeBackupApi optimize = c.optimize().orElseThrow();
    SnapshotApi search = c.search().orElseThrow();
    webapps.backups();
    optimize.backups();
    search.snapshots(RecordsSnapshotWorker.SNAPSHOT_PREFIX);
    long id = Math.max(Instant.now().getEpochSecond(), existing.stream().mapToLong(ZeebeBackup::backupId).max().orElse(0) + 1);
    long poll = c.settings().timeouts().pollInterval().toMillis();

    c.zeebe().softPauseExporting();
    webapps.takeBackup(id);
    optimize.takeBackup(id);
    while (!(done(webapps.backup(id).state(), "web apps") & done(optimize.backup(id).state(), "Optimize"))) {
      Thread.sleep(poll);
    }
    String snapshot = RecordsSnapshotWorker.snapshotName(id);
    search.createSnapshot(snapshot, c.settings().search().recordsIndexPrefix() + "*");
    while (search.snapshot(snapshot).state() != SnapshotState.SUCCESS) {
      failIf(search.snapshot(snapshot).state() == SnapshotState.FAILED, "records snapshot failed");
      Thread.sleep(poll);
    }
    c.zeebe().takeBackup(id);
    while (true) {
      ZeebeBackupState state = c.zeebe().backup(id).state();
      failIf(state == ZeebeBackupState.FAILED, "Zeebe backup failed");
      if (state == ZeebeBackupState.COMPLETED) {
        break;
      }
      Thread.sleep(poll);
    }
    c.zeebe().resumeExporting();

    // verify
    failIf(c.zeebe().backup(id).state() != ZeebeBackupState.COMPLETED, "Zeebe backup not COMPLETED");
    failIf(webapps.backup(id).state() != ComponentBackupState.COMPLETED, "web apps backup not COMPLETED");
    failIf(optimize.backup(id).state() != ComponentBackupState.COMPLETED, "Optimize backup not COMPLETED");
    failIf(search.snapshot(snapshot).state() != SnapshotState.SUCCESS, "records snapshot not SUCCESS");
    return id;
  }

  private static boolean done(ComponentBackupState state, String component) {
    failIf(state.isTerminalFailure() || state == ComponentBackupState.INCOMPLETE, component + " backup is " + state);
    return state == ComponentBackupState.COMPLETED;
  }

  private static void failIf(boolean condition, String message) {
    if (condition) {
      throw new IllegalStateException("direct sequence: " + message);
    }
  }

  // ------------------------------------------------------------------------------------ common

  interface ClusterTask<T> {
    T run(String cluster) throws Exception;
  }

  /** Runs the task for every cluster on a thread of its own, all released at the same moment. */
  private static <T> List<T> runAtOnce(List<String> chosen, ClusterTask<T> task) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(chosen.size());
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (String cluster : chosen) {
        Callable<T> call = () -> {
          go.await();
          return task.run(cluster);
        };
        futures.add(threads.submit(call));
      }
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } finally {
      threads.shutdownNow();
    }
  }

  /** The longest exporting pause that began after {@code start} in any of the clusters, by the simulators' own clocks. */
  private static Duration longestPause(Sandbox sandbox, List<String> chosen, Instant start) {
    Duration longest = Duration.ZERO;
    for (String cluster : chosen) {
      List<ExportingWindow> windows = sandbox.simulator(cluster).pausedWindows().stream()
          .filter(w -> !w.start().isBefore(start)).toList();
      if (windows.size() != 1 || windows.getFirst().isOpen()) {
        throw new IllegalStateException("Expected one closed exporting pause of " + cluster + " since " + start + ", got " + windows);
      }
      Duration pause = Duration.between(windows.getFirst().start(), windows.getFirst().end());
      longest = pause.compareTo(longest) > 0 ? pause : longest;
    }
    return longest;
  }

  // ------------------------------------------------------------------------------------ memory

  /** Resident set sizes in KiB: the orchestrator alone in its own JVM, and this JVM (engine, simulators, orchestrator). */
  record Memory(long orchestratorRssKib, String orchestratorJvm, long sandboxRssKib) {}

  /**
   * Starts a second orchestrator on this JVM's classpath (the test classes left out, so it is the
   * product alone) with the sandbox's configuration, waits until it is ready, leaves it idle and
   * reads its VmRSS. It connects to the same control engine; nothing runs meanwhile, so it takes no
   * job.
   */
  private static Memory orchestratorMemory(Sandbox sandbox, Duration idle) throws Exception {
    String classpath = List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)).stream()
        .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("test-classes/"))
        .collect(Collectors.joining(java.io.File.pathSeparator));
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-cp");
    command.add(classpath);
    command.add("io.github.c8backup.BackupOrchestratorApplication");
    for (Map.Entry<String, Object> p : sandbox.orchestratorProperties().entrySet()) {
      if (p.getKey().endsWith(".platform.type")) {
        continue; // the sandbox platform is a test-scope bean, registered only in the sandbox's own orchestrator
      }
      command.add("--" + p.getKey() + "=" + (p.getKey().equals("server.port") ? port : p.getValue()));
    }
    Path log = Files.createTempFile("bench-orchestrator-", ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      awaitHealthy(process, port, log);
      Thread.sleep(idle.toMillis());
      long rss = rssKib(process.pid());
      return new Memory(rss, "JDK " + Runtime.version() + ", default heap settings", rssKib(ProcessHandle.current().pid()));
    } finally {
      process.destroy();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      Files.deleteIfExists(log);
    }
  }

  private static void awaitHealthy(Process process, int port, Path log) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("The orchestrator's own JVM stopped: " + tail(log));
      }
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("The orchestrator's own JVM was not ready within 2 minutes: " + tail(log));
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  private static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("No VmRSS for process " + pid);
  }

  // ------------------------------------------------------------------------------------ report

  /**
   * Prints the table (medians over the rounds; ratio and delta are the medians of each round's
   * BPMN run against the direct run right after it) and the targets, judged on the medians; true
   * when every target is met.
   */
  private static boolean print(Map<Integer, List<Measurement[]>> results, Memory memory, Duration backupDuration, int runs)
      throws IOException {
    StringBuilder out = new StringBuilder();
    out.append("\nBenchmark, ").append(LocalDate.now()).append(": ").append(machine()).append('\n');
    out.append("Load average at the end (1, 5, 15 min; other processes included): ")
        .append(Files.readString(Path.of("/proc/loadavg")).trim()).append('\n');
    out.append("Sandbox: simulated Camunda 8.8.3 clusters (3 partitions, web apps 6 parts, Optimize 2 parts, backup duration ")
        .append(backupDuration).append("), real OpenSearch and S3Proxy, poll interval PT1S; ").append(runs)
        .append(runs == 1 ? " round" : " rounds").append(" of every scenario, each way in turn, after a warm-up; medians\n\n");
    out.append(String.format(Locale.ROOT, "| %-11s | %-14s | %-16s | %-5s | %-11s | %-13s | %-7s |%n",
        "scenario", "wall time BPMN", "wall time direct", "ratio", "paused BPMN", "paused direct", "delta"));
    out.append("|-------------|----------------|------------------|-------|-------------|---------------|---------|\n");
    boolean allMet = true;
    List<String> verdicts = new ArrayList<>();
    List<String> rounds = new ArrayList<>();
    for (int n : SCENARIOS) {
      List<Measurement[]> pairs = results.get(n);
      double ratio = median(pairs.stream().map(p -> seconds(p[0].wall()) / seconds(p[1].wall())).toList());
      double delta = median(pairs.stream().map(p -> seconds(p[0].longestPause()) - seconds(p[1].longestPause())).toList());
      out.append(String.format(Locale.ROOT, "| %-11s | %12.2f s | %14.2f s | %5.3f | %9.2f s | %11.2f s | %+5.2f s |%n",
          n + (n == 1 ? " cluster" : " clusters"), median(pairs, 0, true), median(pairs, 1, true), ratio,
          median(pairs, 0, false), median(pairs, 1, false), delta));
      rounds.add(String.format(Locale.ROOT, "%d cluster(s): ratio %s; delta %s", n,
          pairs.stream().map(p -> String.format(Locale.ROOT, "%.3f", seconds(p[0].wall()) / seconds(p[1].wall()))).collect(Collectors.joining(", ")),
          pairs.stream().map(p -> String.format(Locale.ROOT, "%+.2f s", seconds(p[0].longestPause()) - seconds(p[1].longestPause())))
              .collect(Collectors.joining(", "))));
      boolean wallMet = ratio <= 1.05;
      boolean pauseMet = delta <= 1.0;
      allMet &= wallMet && pauseMet;
      verdicts.add(String.format(Locale.ROOT, "%d cluster(s): wall time within 1.05x of direct: %s (%.3f); paused within direct + 1 s: %s (%+.2f s)",
          n, met(wallMet), ratio, met(pauseMet), delta));
    }
    double scale = median(results.get(SCENARIOS.getLast()), 0, true) / median(results.get(1), 0, true);
    boolean scaleMet = scale <= 1.5;
    allMet &= scaleMet;
    verdicts.add(String.format(Locale.ROOT, "%d clusters within 1.5x of one (median BPMN wall time): %s (%.3f)", SCENARIOS.getLast(), met(scaleMet), scale));
    out.append("\nPaused: the longest exporting pause among the clusters of the scenario, from the simulators' own record of pause and resume.\n");
    out.append("Wall time: until the last cluster's backup ended (BPMN: the engine's completion record of camunda-backup).\n");
    out.append("Each round (BPMN against the direct run right after it):\n");
    rounds.forEach(r -> out.append("  ").append(r).append('\n'));
    out.append('\n');
    verdicts.forEach(v -> out.append("target ").append(v).append('\n'));
    out.append("\nWhere the BPMN run's time went (1 cluster, first round, from the engine's records): ")
        .append(results.get(1).getFirst()[0].breakdown()).append('\n');
    out.append(String.format(Locale.ROOT, "%nResident memory, idle: orchestrator alone in its own JVM (%s, 10 clusters configured): %d MiB VmRSS%n",
        memory.orchestratorJvm(), memory.orchestratorRssKib() / 1024));
    out.append(String.format(Locale.ROOT, "  (for reference, the sandbox's JVM with the control engine, 10 simulators and the measured orchestrator: %d MiB VmRSS)%n",
        memory.sandboxRssKib() / 1024));
    System.out.println(out);
    return allMet;
  }

  /** The median wall time ({@code wall}) or longest pause of way {@code way} (0 BPMN, 1 direct) over the rounds, in seconds. */
  private static double median(List<Measurement[]> pairs, int way, boolean wall) {
    return median(pairs.stream().map(p -> seconds(wall ? p[way].wall() : p[way].longestPause())).toList());
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }

  private static String met(boolean met) {
    return met ? "MET" : "MISSED";
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }

  private static String machine() throws IOException {
    long memKib = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0L);
    String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + (memKib / 1024 / 1024) + " GiB RAM, "
        + System.getProperty("java.vm.vendor") + " JDK " + Runtime.version() + ", " + System.getProperty("os.name") + " "
        + System.getProperty("os.version") + ", JVM " + ManagementFactory.getRuntimeMXBean().getVmName();
  }
}
