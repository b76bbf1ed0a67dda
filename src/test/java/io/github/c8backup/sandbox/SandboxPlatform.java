package io.github.c8backup.sandbox;

import io.github.c8backup.restore.ClusterPlatform;
import io.github.c8backup.restore.ClusterPlatform.BrokerRestore.Broker;
import io.github.c8backup.restore.ClusterPlatform.BrokerRestore.State;
import io.github.c8backup.sandbox.simulator.CamundaTargetSimulator;
import io.github.c8backup.sandbox.simulator.SimulatorSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.time.Instant;
import io.github.c8backup.sandbox.storage.PostgresProcess;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The local sandbox as a {@link ClusterPlatform}: the infrastructure steps of a restore done on the
 * {@link CamundaTargetSimulator}. Stopping and starting are the simulator's {@code stopBrokers()} and
 * {@code startBrokers()}; a broker restore wipes the node's data directory and runs the simulated
 * Zeebe restore application on a background thread, so the BPMN polls {@link #brokerRestore} as it
 * would on Kubernetes. A successful restore leaves a marker {@code .restored-from-<id>} in the node's
 * data directory, so a second {@link #startBrokerRestore} (the orchestrator retried, or died and came
 * back) neither wipes nor restores that node again.
 */
public final class SandboxPlatform implements ClusterPlatform {

  private static final String MARKER_PREFIX = ".restored-from-";

  private final java.util.function.Supplier<CamundaTargetSimulator> target;
  private final ExecutorService restores;
  private final java.util.function.Supplier<PostgresProcess> postgres;
  private final Map<Long, Map<Integer, Broker>> progress = new ConcurrentHashMap<>();

  public SandboxPlatform(CamundaTargetSimulator simulator) {
    this(() -> simulator);
  }

  /** Follows the sandbox's current simulator, which a test may restart on the same ports and data. */
  public SandboxPlatform(java.util.function.Supplier<CamundaTargetSimulator> target) {
    this(target, () -> null);
  }

  /** {@code postgres} supplies the RDBMS sandbox's server, or null on an ES/OS sandbox. */
  public SandboxPlatform(java.util.function.Supplier<CamundaTargetSimulator> target, java.util.function.Supplier<PostgresProcess> postgres) {
    this.target = target;
    this.postgres = postgres;
    AtomicInteger threads = new AtomicInteger();
    this.restores = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "sandbox-broker-restore-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  private CamundaTargetSimulator simulator() {
    return target.get();
  }

  @Override
  public String kind() {
    return "sandbox";
  }

  @Override
  public List<String> describe(long backupId, int partitionCount) {
    List<String> steps = new ArrayList<>();
    steps.add("stop simulated brokers, web apps and Optimize (Zeebe management " + simulator().zeebeManagementUrl()
        + ", gateway REST " + simulator().gatewayRestUrl() + ")");
    for (int node : simulator().brokerNodeIds()) {
      steps.add("wipe data directory " + simulator().brokerDataDirectory(node));
      steps.add("restore node " + node + " from backup " + backupId + " read back from " + storeLocation(backupId, node)
          + " (" + partitionCount + " partitions)");
    }
    steps.add("start simulated components");
    return steps;
  }

  private String storeLocation(long backupId, int node) {
    SimulatorSettings settings = simulator().settings();
    String base = settings.s3BasePath().isEmpty() ? "" : settings.s3BasePath() + "/";
    return "s3://" + settings.s3Bucket() + "/" + base + "{manifests,contents}/<partition>/" + backupId + "/" + node + "/…";
  }

  @Override
  public void stopComponents() {
    simulator().stopBrokers();
  }

  @Override
  public boolean componentsStopped() {
    return !simulator().brokersRunning();
  }

  @Override
  public synchronized void startBrokerRestore(long backupId) {
    Map<Integer, Broker> nodes = progress.computeIfAbsent(backupId, id -> new ConcurrentHashMap<>());
    for (int node : simulator().brokerNodeIds()) {
      Broker known = nodes.get(node);
      if (known != null && known.state() == State.IN_PROGRESS) {
        continue;
      }
      // done means the marker is still there: a later wipe (another restore) undoes a restore
      Path marker = marker(node, backupId);
      if (Files.exists(marker)) {
        nodes.put(node, new Broker(node, State.COMPLETED, readMarker(marker)));
        continue;
      }
      nodes.put(node, new Broker(node, State.IN_PROGRESS, "restoring node " + node + " from backup " + backupId));
      restores.submit(() -> restore(nodes, node, backupId));
    }
  }

  private void restore(Map<Integer, Broker> nodes, int node, long backupId) {
    try {
      simulator().wipeBrokerData(node);
      List<String> log = simulator().restoreBroker(node, backupId);
      String success = log.getLast();
      Files.writeString(marker(node, backupId), String.join("\n", log) + "\n");
      nodes.put(node, new Broker(node, State.COMPLETED, success));
    } catch (Exception e) {
      nodes.put(node, new Broker(node, State.FAILED, String.valueOf(e.getMessage())));
    }
  }

  @Override
  public BrokerRestore brokerRestore(long backupId) {
    Map<Integer, Broker> nodes = progress.getOrDefault(backupId, Map.of());
    List<Broker> brokers = new ArrayList<>();
    for (int node : simulator().brokerNodeIds()) {
      Broker broker = nodes.get(node);
      if (broker == null || (broker.state() == State.COMPLETED && !Files.exists(marker(node, backupId)))) {
        Path marker = marker(node, backupId);
        broker = Files.exists(marker)
            ? new Broker(node, State.COMPLETED, readMarker(marker))
            : new Broker(node, State.NOT_STARTED, null);
      }
      brokers.add(broker);
    }
    List<Broker> failed = brokers.stream().filter(b -> b.state() == State.FAILED).toList();
    State overall;
    if (!failed.isEmpty()) {
      overall = State.FAILED;
    } else if (brokers.stream().allMatch(b -> b.state() == State.COMPLETED)) {
      overall = State.COMPLETED;
    } else if (brokers.stream().allMatch(b -> b.state() == State.NOT_STARTED)) {
      overall = State.NOT_STARTED;
    } else {
      overall = State.IN_PROGRESS;
    }
    String failureReason = failed.isEmpty() ? null
        : failed.stream().map(b -> "node " + b.nodeId() + ": " + b.detail()).collect(Collectors.joining("; "));
    return new BrokerRestore(overall, List.copyOf(brokers), failureReason);
  }

  /**
   * Starting ends the restore: the brokers' data moves on from here, so the markers go first. A
   * later restore, even from the same backup, must wipe and restore again.
   */
  @Override
  public synchronized void startComponents() {
    if (!simulator().brokersRunning()) {
      for (int node : simulator().brokerNodeIds()) {
        try (var files = Files.list(simulator().brokerDataDirectory(node))) {
          for (Path file : files.filter(f -> f.getFileName().toString().startsWith(MARKER_PREFIX)).toList()) {
            Files.delete(file);
          }
        } catch (java.nio.file.NoSuchFileException e) {
          // an empty node has no markers
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      progress.clear();
      simulator().startBrokers();
    }
  }

  @Override
  public Optional<String> rdbmsRestoreUnsupported() {
    return postgres.get() == null
        ? Optional.of("this sandbox runs no PostgreSQL (start it with Sandbox.Options.rdbms) and cannot restore an RDBMS cluster")
        : Optional.empty();
  }

  @Override
  public List<String> describeRdbmsRestore(Instant pointOrLatest, int partitionCount) {
    List<String> steps = new ArrayList<>();
    steps.add("sandbox PostgreSQL (port " + postgres.get().port() + "): stop, move the data directory aside, prepare it from the newest"
        + " suitable base backup and the WAL archive " + (pointOrLatest == null ? "(whole archive)" : "to " + pointOrLatest)
        + ", start and wait for the promotion");
    for (int node : simulator().brokerNodeIds()) {
      steps.add("wipe data directory " + simulator().brokerDataDirectory(node) + ", then the simulated restore application "
          + (pointOrLatest == null ? "without parameters (aligned to EXPORTER_POSITION)" : "--to=" + pointOrLatest)
          + " (" + partitionCount + " partitions)");
    }
    return steps;
  }

  /** Runs the whole recovery again on a retry: from the same base backup and archive it reaches the same state. */
  @Override
  public void recoverDatabase(Instant pointOrLatest) {
    if (simulator().brokersRunning()) {
      throw new IllegalStateException("the simulated brokers are running: stop them before the database is recovered");
    }
    postgres.get().recoverTo(pointOrLatest);
  }

  /** Wipes each node first, so a retry restores again from scratch. */
  @Override
  public synchronized List<String> restoreBrokersRdbms(Instant toOrLatest) {
    List<String> lines = new ArrayList<>();
    for (int node : simulator().brokerNodeIds()) {
      simulator().wipeBrokerData(node);
      List<String> log = toOrLatest == null ? simulator().restoreBroker(node) : simulator().restoreBroker(node, toOrLatest);
      lines.add("node " + node + ": " + log.getLast());
    }
    return lines;
  }

  /** Along an earlier history: the server recovers with recovery_target_timeline = '<history>'. */
  @Override
  public void recoverDatabase(Instant point, Integer history) {
    if (simulator().brokersRunning()) {
      throw new IllegalStateException("the simulated brokers are running: stop them before the database is recovered");
    }
    postgres.get().recoverTo(point, history);
  }

  /** Wipes each node first, so a retry restores again from scratch. */
  @Override
  public synchronized List<String> restoreBrokersRdbms(List<Long> backupIds) {
    List<String> lines = new ArrayList<>();
    for (int node : simulator().brokerNodeIds()) {
      simulator().wipeBrokerData(node);
      lines.add("node " + node + ": " + simulator().restoreBroker(node, backupIds).getLast());
    }
    return lines;
  }

  @Override
  public List<String> describeRdbmsRestore(Instant point, int partitionCount, int history, List<Long> backupIds) {
    List<String> steps = new ArrayList<>();
    steps.add("sandbox PostgreSQL (port " + postgres.get().port() + "): stop, move the data directory aside, prepare it from the newest"
        + " suitable base backup and the WAL archive to " + point + " along timeline " + history
        + " (recovery_target_timeline = '" + history + "'), start and wait for the promotion");
    for (int node : simulator().brokerNodeIds()) {
      steps.add("wipe data directory " + simulator().brokerDataDirectory(node) + ", then the simulated restore application --backupId="
          + backupIds.stream().map(String::valueOf).collect(Collectors.joining(",")) + " (" + partitionCount + " partitions)");
    }
    return steps;
  }

  private Path marker(int node, long backupId) {
    return simulator().brokerDataDirectory(node).resolve(MARKER_PREFIX + backupId);
  }

  /** The marker holds the restore application's log; its last line is the success line. */
  private static String readMarker(Path marker) {
    try {
      List<String> lines = Files.readAllLines(marker);
      return lines.isEmpty() ? "" : lines.getLast();
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable restore marker " + marker, e);
    }
  }
}
