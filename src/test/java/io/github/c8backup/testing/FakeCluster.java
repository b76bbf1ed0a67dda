package io.github.c8backup.testing;

import io.github.c8backup.cluster.BackupIdTakenException;
import io.github.c8backup.cluster.ClusterConnection;
import io.github.c8backup.cluster.ComponentBackup;
import io.github.c8backup.cluster.ComponentBackupState;
import io.github.c8backup.cluster.DetectedVersion;
import io.github.c8backup.cluster.SnapshotDetail;
import io.github.c8backup.cluster.TargetClusters;
import io.github.c8backup.cluster.UnknownClusterException;
import io.github.c8backup.cluster.optimize.OptimizeBackupApi;
import io.github.c8backup.cluster.search.RestoreProgress;
import io.github.c8backup.cluster.search.SnapshotApi;
import io.github.c8backup.cluster.search.SnapshotInfo;
import io.github.c8backup.cluster.search.SnapshotState;
import io.github.c8backup.cluster.webapps.WebappsBackupApi;
import io.github.c8backup.cluster.zeebe.PartitionBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackupState;
import io.github.c8backup.cluster.zeebe.ZeebeManagement;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.TargetCluster;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * In-memory target clusters for worker and process tests. Every call is appended to
 * {@link #calls()} as "component.operation", so tests can assert the order the process drove the
 * components in. Backups complete after a configurable number of checks; faults are injected per
 * operation.
 */
public final class FakeCluster implements TargetClusters {

  private final Map<String, TargetCluster> settings;
  private final Map<String, CamundaVersion> versions = new ConcurrentHashMap<>();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final Map<String, Supplier<RuntimeException>> faults = new ConcurrentHashMap<>();
  private final Map<String, Integer> checksUntilDone = new ConcurrentHashMap<>();
  private final Map<String, Integer> checks = new ConcurrentHashMap<>();
  private final Map<String, String> finalStates = new ConcurrentHashMap<>();
  private final Map<String, String> statesUntilDone = new ConcurrentHashMap<>();
  private final List<Long> existingZeebeBackups = new CopyOnWriteArrayList<>();
  private final Map<String, Set<Long>> taken = new ConcurrentHashMap<>();
  private volatile String exporting = "RUNNING";
  private volatile int partitions = 3;
  private volatile String topologyVersion;
  private volatile int topologyPartitions = 3;
  private final Map<Long, Set<String>> storedBackups = new ConcurrentHashMap<>();
  private final List<String> existingIndices = new CopyOnWriteArrayList<>();
  private final Set<String> restoredSnapshots = ConcurrentHashMap.newKeySet();

  public FakeCluster(Map<String, TargetCluster> settings) {
    this.settings = new TreeMap<>(settings);
  }

  public FakeCluster version(String cluster, CamundaVersion version) {
    versions.put(cluster, version);
    return this;
  }

  public List<String> calls() {
    return Collections.unmodifiableList(calls);
  }

  public String exportingState() {
    return exporting;
  }

  /** Zeebe lists this backup as IN_PROGRESS (another run or tool is taking it). */
  public FakeCluster zeebeBackupInProgress(long id) {
    zeebeBackupsInProgress.add(id);
    existingZeebeBackups.add(id);
    return this;
  }

  /** The gateway topology reports the partition's leader with this health, or no leader when {@code health} is null. */
  public FakeCluster partitionLeader(int partition, String health) {
    leaderHealth.put(partition, health == null ? "none" : health);
    return this;
  }

  private final Set<Long> zeebeBackupsInProgress = ConcurrentHashMap.newKeySet();
  private final Map<Integer, String> leaderHealth = new ConcurrentHashMap<>();

  public FakeCluster existingZeebeBackups(Long... ids) {
    existingZeebeBackups.addAll(List.of(ids));
    return this;
  }

  /** The next calls of {@code component.operation} throw. */
  public FakeCluster fail(String operation, Supplier<RuntimeException> fault) {
    faults.put(operation, fault);
    return this;
  }

  /** The next {@code component.operation} takes effect, then its answer is lost (a 504 after the fact). */
  public FakeCluster loseAnswerOnce(String operation) {
    lostAnswers.add(operation);
    return this;
  }

  private void answer(String operation) {
    if (lostAnswers.remove(operation)) {
      throw new io.github.c8backup.cluster.ComponentUnavailableException(operation.substring(0, operation.indexOf('.')), 504,
          "Gateway Timeout after the request took effect", null);
    }
  }

  private final Set<String> lostAnswers = ConcurrentHashMap.newKeySet();

  public FakeCluster clearFault(String operation) {
    faults.remove(operation);
    return this;
  }

  /** {@code component} reports IN_PROGRESS for n checks, then {@code state} (COMPLETED by default). */
  public FakeCluster completeAfterChecks(String component, int n) {
    checksUntilDone.put(component, n);
    return this;
  }

  /** {@code component} reports {@code state} instead of IN_PROGRESS during its {@link #completeAfterChecks} checks. */
  public FakeCluster reportsWhileRunning(String component, String state) {
    statesUntilDone.put(component, state);
    return this;
  }

  public FakeCluster endsIn(String component, String state) {
    finalStates.put(component, state);
    return this;
  }

  /** What the gateway's topology reports; the backups of {@link #storedBackup} are taken with this version. */
  public FakeCluster topology(String version, int partitionCount) {
    topologyVersion = version;
    topologyPartitions = partitionCount;
    return this;
  }

  /** A backup taken earlier, COMPLETED in every component (Zeebe with 3 partitions, snapshots named with the topology's version). */
  public FakeCluster storedBackup(long id) {
    storedBackups.put(id, ConcurrentHashMap.newKeySet());
    storedVersions.put(id, topologyVersion == null ? "8.8.3" : topologyVersion);
    storedBackups.get(id).addAll(List.of("zeebe", "operate", "tasklist", "webapps", "optimize", "search"));
    existingZeebeBackups.add(id);
    return this;
  }

  /** Every part of that stored backup reports this time (Zeebe's createdAt, the snapshots' start times); now by default. */
  public FakeCluster storedBackupAt(long id, Instant takenAt) {
    storedTimes.put(id, takenAt);
    return this;
  }

  private final Map<Long, Instant> storedTimes = new ConcurrentHashMap<>();
  private static final String RECORDS_SNAPSHOT = "camunda_zeebe_records_backup_";
  private final Map<Long, Instant> createdRecordsSnapshots = new ConcurrentHashMap<>();

  private Instant storedTime(long id) {
    return storedTimes.getOrDefault(id, Instant.now());
  }

  /** The components still holding a part of a stored backup; empty once every part is deleted. */
  public Set<String> storedParts(long id) {
    return Set.copyOf(storedBackups.getOrDefault(id, Set.of()));
  }

  /** A delete removes the part of a stored backup, as the real APIs do. */
  private void deleteStored(String component, long id) {
    Set<String> parts = storedBackups.get(id);
    if (parts != null) {
      parts.remove(component);
    }
  }

  /** The component holds nothing of that stored backup. */
  public FakeCluster storedBackupMissing(String component, long id) {
    storedBackups.getOrDefault(id, ConcurrentHashMap.newKeySet()).remove(component);
    return this;
  }

  public FakeCluster existingIndices(String... names) {
    existingIndices.addAll(List.of(names));
    return this;
  }

  private Optional<String> stored(String component, long id) {
    Set<String> parts = storedBackups.get(id);
    if (parts == null) {
      return Optional.empty();
    }
    return Optional.of(parts.contains(component) ? "COMPLETED" : "DOES_NOT_EXIST");
  }


  private final Map<Long, String> storedVersions = new ConcurrentHashMap<>();
  private static final java.time.format.DateTimeFormatter STORED_START_TIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(java.time.ZoneOffset.UTC);

  private String storedVersion(long id) {
    return storedVersions.getOrDefault(id, "8.8.3");
  }

  public void reset() {
    calls.clear();
    faults.clear();
    checksUntilDone.clear();
    checks.clear();
    finalStates.clear();
    statesUntilDone.clear();
    existingZeebeBackups.clear();
    zeebeBackupsInProgress.clear();
    leaderHealth.clear();
    listedCreatedAt.clear();
    taken.clear();
    exporting = "RUNNING";
    continuousBackups = true;
    gapOnPartition = 0;
    storedBackups.clear();
    lostAnswers.clear();
    storedVersions.clear();
    storedTimes.clear();
    createdRecordsSnapshots.clear();
    existingIndices.clear();
    restoredSnapshots.clear();
    topologyVersion = null;
    topologyPartitions = 3;
  }

  private void call(String operation) {
    calls.add(operation);
    Supplier<RuntimeException> fault = faults.get(operation);
    if (fault != null) {
      throw fault.get();
    }
  }

  private String observe(String component) {
    if (!taken.getOrDefault(component, Set.of()).iterator().hasNext()) {
      return "DOES_NOT_EXIST";
    }
    int seen = checks.merge(component, 1, Integer::sum);
    if (seen <= checksUntilDone.getOrDefault(component, 1)) {
      return statesUntilDone.getOrDefault(component, "IN_PROGRESS");
    }
    return finalStates.getOrDefault(component, "COMPLETED");
  }

  private void take(String component, long id) {
    Set<Long> ids = taken.computeIfAbsent(component, k -> ConcurrentHashMap.newKeySet());
    if (!ids.add(id)) {
      throw new BackupIdTakenException(component, id, component + " backup " + id + " already exists");
    }
  }

  @Override
  public Set<String> names() {
    return settings.keySet();
  }

  @Override
  public TargetCluster settings(String cluster) {
    TargetCluster s = settings.get(cluster);
    if (s == null) {
      throw new UnknownClusterException(cluster, names());
    }
    return s;
  }

  @Override
  public DetectedVersion detectVersion(String cluster) {
    settings(cluster);
    call("zeebe.detectVersion");
    CamundaVersion v = versions.getOrDefault(cluster, settings(cluster).version());
    return new DetectedVersion(v, v.minor() + ".3", "fake");
  }

  @Override
  public ClusterConnection connect(String cluster, CamundaVersion version) {
    TargetCluster s = settings(cluster);
    boolean combined = version.hasCombinedWebapps();
    return new ClusterConnection(
        cluster,
        version,
        s,
        new Zeebe(version),
        s.zeebeRest() != null ? Optional.of(this::topologyNow) : Optional.empty(),
        !combined && s.operate() != null ? Optional.of(new Webapps("operate", "camunda_operate_%d_" + version.minor() + ".3_part_%d_of_2")) : Optional.empty(),
        !combined && s.tasklist() != null ? Optional.of(new Webapps("tasklist", "camunda_tasklist_%d_" + version.minor() + ".3_part_%d_of_2")) : Optional.empty(),
        combined && s.webapps() != null ? Optional.of(new Webapps("webapps", "camunda_webapps_%d_" + version.minor() + ".3_part_%d_of_2")) : Optional.empty(),
        s.optimize() != null ? Optional.of(new Optimize(version)) : Optional.empty(),
        s.search() != null ? Optional.of(new Search()) : Optional.empty());
  }

  private io.github.c8backup.cluster.zeebe.Topology topologyNow() {
    call("gateway.topology");
    String version = topologyVersion == null ? "8.8.3" : topologyVersion;
    List<io.github.c8backup.cluster.zeebe.Topology.Partition> led = new ArrayList<>();
    for (int p = 1; p <= topologyPartitions; p++) {
      String health = leaderHealth.getOrDefault(p, "healthy");
      led.add(new io.github.c8backup.cluster.zeebe.Topology.Partition(p, health.equals("none") ? "follower" : "leader",
          health.equals("none") ? "healthy" : health));
    }
    return new io.github.c8backup.cluster.zeebe.Topology(version, 1, topologyPartitions, 1,
        List.of(new io.github.c8backup.cluster.zeebe.Topology.Broker(0, "localhost", 26501, version, led)));
  }

  private final class Zeebe implements ZeebeManagement {
    private final CamundaVersion version;

    Zeebe(CamundaVersion version) {
      this.version = version;
    }

    @Override
    public void softPauseExporting() {
      call("zeebe.softPauseExporting");
      exporting = "SOFT_PAUSED";
    }

    @Override
    public void resumeExporting() {
      call("zeebe.resumeExporting");
      exporting = "RUNNING";
    }

    @Override
    public void takeBackup(long backupId) {
      call("zeebe.takeBackup");
      long latest = existingZeebeBackups.stream().mapToLong(Long::longValue).max().orElse(0);
      if (backupId <= latest) {
        throw new BackupIdTakenException("zeebe", backupId, "Requested backup has ID " + backupId + ". The latest backup has ID " + latest + ".");
      }
      take("zeebe", backupId);
      existingZeebeBackups.add(backupId);
      answer("zeebe.takeBackup");
    }

    @Override
    public ZeebeBackup backup(long backupId) {
      call("zeebe.backup");
      Optional<String> stored = stored("zeebe", backupId);
      if (stored.isPresent()) {
        if (stored.get().equals("DOES_NOT_EXIST")) {
          return ZeebeBackup.doesNotExist(backupId);
        }
        List<PartitionBackup> parts = new ArrayList<>();
        for (int p = 1; p <= 3; p++) {
          parts.add(new PartitionBackup(p, ZeebeBackupState.COMPLETED, null, storedTime(backupId), storedTime(backupId), "1-1-" + p, 10L * p, 0, storedVersion(backupId)));
        }
        return new ZeebeBackup(backupId, ZeebeBackupState.COMPLETED, null, parts);
      }
      String state = observe("zeebe");
      if (state.equals("DOES_NOT_EXIST")) {
        return ZeebeBackup.doesNotExist(backupId);
      }
      List<PartitionBackup> parts = new ArrayList<>();
      for (int p = 1; p <= partitions; p++) {
        parts.add(new PartitionBackup(p, ZeebeBackupState.valueOf(state), null, Instant.now(), Instant.now(), "1-1-" + p, 10L * p, 0, version.minor() + ".3"));
      }
      return new ZeebeBackup(backupId, ZeebeBackupState.valueOf(state), state.equals("FAILED") ? "simulated failure" : null, parts);
    }

    @Override
    public List<ZeebeBackup> backups() {
      call("zeebe.backups");
      return existingZeebeBackups.stream()
          .filter(id -> !stored("zeebe", id).map("DOES_NOT_EXIST"::equals).orElse(false))
          .map(id -> new ZeebeBackup(id, zeebeBackupsInProgress.contains(id) ? ZeebeBackupState.IN_PROGRESS : ZeebeBackupState.COMPLETED,
              null, listedPartitions(id))).toList();
    }

    @Override
    public void deleteBackup(long backupId) {
      call("zeebe.deleteBackup");
      deleteStored("zeebe", backupId);
    }

    @Override
    public long takeBackupWithGeneratedId() {
      call("zeebe.takeBackupWithGeneratedId");
      if (!continuousBackups) {
        throw new io.github.c8backup.cluster.ComponentRequestRejectedException("zeebe", 400,
            "{\"message\":\"A backupId must be provided and it must be > 0\"}", "zeebe answered HTTP 400: A backupId must be provided and it must be > 0");
      }
      long id = existingZeebeBackups.stream().mapToLong(Long::longValue).max().orElse(1_700_000_000_000L) + 1;
      take("zeebe", id);
      existingZeebeBackups.add(id);
      return id;
    }

    @Override
    public io.github.c8backup.cluster.zeebe.BackupRuntimeState runtimeState() {
      call("zeebe.runtimeState");
      List<io.github.c8backup.cluster.zeebe.BackupRuntimeState.Checkpoint> latest = new ArrayList<>();
      List<io.github.c8backup.cluster.zeebe.BackupRuntimeState.BackupRange> ranges = new ArrayList<>();
      long newest = existingZeebeBackups.stream().mapToLong(Long::longValue).max().orElse(0);
      Instant now = Instant.now(); // one clock reading: every partition's newest backup is the same checkpoint
      if (continuousBackups && newest > 0) {
        for (int p = 1; p <= partitions; p++) {
          var first = new io.github.c8backup.cluster.zeebe.BackupRuntimeState.Checkpoint(newest - 10, p, "SCHEDULED_BACKUP", 10L, now.minusSeconds(3600), 1L);
          var last = new io.github.c8backup.cluster.zeebe.BackupRuntimeState.Checkpoint(newest, p, "MANUAL_BACKUP", 100L, now, 50L);
          latest.add(last);
          if (gapOnPartition == p) {
            var before = new io.github.c8backup.cluster.zeebe.BackupRuntimeState.Checkpoint(newest - 5, p, "SCHEDULED_BACKUP", 60L, now.minusSeconds(600), 55L);
            ranges.add(new io.github.c8backup.cluster.zeebe.BackupRuntimeState.BackupRange(p, first, before));
          }
          ranges.add(new io.github.c8backup.cluster.zeebe.BackupRuntimeState.BackupRange(p, gapOnPartition == p ? last : first, last));
        }
      }
      return new io.github.c8backup.cluster.zeebe.BackupRuntimeState(List.copyOf(latest), List.copyOf(latest), List.copyOf(ranges));
    }
  }

  private final Map<Long, Instant> listedCreatedAt = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The listing ({@code GET backupRuntime}) shows every backup with three COMPLETED partitions,
   * created at the given time, or now for backups not named; by default it shows no partitions.
   */
  public FakeCluster listedBackupsCreatedAt(Map<Long, Instant> createdAt) {
    listedCreatedAt.putAll(createdAt);
    return this;
  }

  private List<PartitionBackup> listedPartitions(long id) {
    if (listedCreatedAt.isEmpty()) {
      return List.of();
    }
    Instant at = listedCreatedAt.getOrDefault(id, Instant.now());
    List<PartitionBackup> parts = new ArrayList<>();
    for (int p = 1; p <= 3; p++) {
      parts.add(new PartitionBackup(p, ZeebeBackupState.COMPLETED, null, at, at, "1-1-" + p, 10L * p, 0, "8.9.1"));
    }
    return parts;
  }

  private volatile boolean continuousBackups = true;
  private volatile int gapOnPartition = 0;

  /** Whether the brokers run continuous backups (8.9 RDBMS path); on by default. */
  public FakeCluster continuousBackups(boolean on) {
    continuousBackups = on;
    return this;
  }

  /** The runtime state shows two backup ranges on this partition. */
  public FakeCluster backupRangeGap(int partition) {
    gapOnPartition = partition;
    return this;
  }

  private final class Webapps implements WebappsBackupApi {
    private final String component;
    private final String pattern;
    private final String version;

    Webapps(String component, String pattern) {
      this.component = component;
      this.pattern = pattern;
      this.version = pattern.replaceAll(".*_%d_(\\d+\\.\\d+)\\.3_part.*", "$1");
    }

    private List<String> names(long id) {
      return List.of(String.format(pattern, id, 1), String.format(pattern, id, 2));
    }

    @Override
    public List<String> takeBackup(long backupId) {
      call(component + ".takeBackup");
      take(component, backupId);
      answer(component + ".takeBackup");
      return names(backupId);
    }

    @Override
    public ComponentBackup backup(long backupId) {
      call(component + ".backup");
      Optional<String> stored = stored(component, backupId);
      if (stored.isPresent()) {
        return stored.get().equals("DOES_NOT_EXIST") ? ComponentBackup.doesNotExist(backupId) : storedAnswer(backupId);
      }
      String state = observe(component);
      if (state.equals("DOES_NOT_EXIST")) {
        return ComponentBackup.doesNotExist(backupId);
      }
      String snapshotState = state.equals("COMPLETED") ? "SUCCESS" : state.equals("IN_PROGRESS") ? "IN_PROGRESS" : "FAILED";
      return new ComponentBackup(backupId, ComponentBackupState.valueOf(state), null,
          names(backupId).stream().map(n -> new SnapshotDetail(n, snapshotState, "2026-11-25T10:00:00.000+0000", List.of())).toList());
    }

    private ComponentBackup storedAnswer(long backupId) {
      return new ComponentBackup(backupId, ComponentBackupState.COMPLETED, null,
          names(backupId).stream().map(n -> new SnapshotDetail(n.replace(version + ".3", storedVersion(backupId)), "SUCCESS",
              STORED_START_TIME.format(storedTime(backupId)), List.of())).toList());
    }

    /** The stored backups this component holds. */
    @Override
    public List<ComponentBackup> backups() {
      call(component + ".backups");
      return storedBackups.entrySet().stream().filter(e -> e.getValue().contains(component)).map(e -> storedAnswer(e.getKey())).toList();
    }

    @Override
    public void deleteBackup(long backupId) {
      call(component + ".deleteBackup");
      deleteStored(component, backupId);
    }
  }

  private final class Optimize implements OptimizeBackupApi {
    private final Webapps delegate;

    Optimize(CamundaVersion version) {
      this.delegate = new Webapps("optimize", "camunda_optimize_%d_" + version.minor() + ".3_part_%d_of_2");
    }

    @Override
    public void takeBackup(long backupId) {
      delegate.takeBackup(backupId);
    }

    @Override
    public ComponentBackup backup(long backupId) {
      return delegate.backup(backupId);
    }

    @Override
    public List<ComponentBackup> backups() {
      return delegate.backups();
    }

    @Override
    public void deleteBackup(long backupId) {
      delegate.deleteBackup(backupId);
    }
  }

  private final class Search implements SnapshotApi {
    @Override
    public void createSnapshot(String snapshotName, String indexPattern) {
      call("search.createSnapshot");
      take("search", 0);
      if (snapshotName.startsWith(RECORDS_SNAPSHOT)) {
        createdRecordsSnapshots.put(Long.parseLong(snapshotName.substring(RECORDS_SNAPSHOT.length())), Instant.now());
      }
    }

    @Override
    public SnapshotInfo snapshot(String snapshotName) {
      call("search.snapshot");
      for (Map.Entry<Long, Set<String>> stored : storedBackups.entrySet()) {
        if (snapshotName.equals("camunda_zeebe_records_backup_" + stored.getKey())) {
          return new SnapshotInfo(snapshotName, stored.getValue().contains("search") ? SnapshotState.SUCCESS : SnapshotState.DOES_NOT_EXIST,
              List.of("zeebe-record_process-instance_" + storedVersion(stored.getKey()) + "_2026-11-25"), 1L, 2L);
        }
      }
      String state = observe("search");
      SnapshotState s = switch (state) {
        case "COMPLETED" -> SnapshotState.SUCCESS;
        case "DOES_NOT_EXIST" -> SnapshotState.DOES_NOT_EXIST;
        case "IN_PROGRESS" -> SnapshotState.IN_PROGRESS;
        default -> SnapshotState.valueOf(state);
      };
      return new SnapshotInfo(snapshotName, s, List.of("zeebe-record_process-instance_8.6.3_2026-11-25"), 1L, 2L);
    }

    @Override
    public List<SnapshotInfo> snapshots(String namePrefix) {
      call("search.snapshots");
      List<SnapshotInfo> listed = storedBackups.entrySet().stream()
          .filter(e -> e.getValue().contains("search"))
          .map(e -> new SnapshotInfo("camunda_zeebe_records_backup_" + e.getKey(), SnapshotState.SUCCESS, List.of(),
              storedTime(e.getKey()).toEpochMilli(), storedTime(e.getKey()).toEpochMilli() + 1))
          .filter(info -> info.name().startsWith(namePrefix))
          .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
      // records snapshots the process took are listed too, as the repository lists them
      createdRecordsSnapshots.forEach((id, at) -> listed.add(
          new SnapshotInfo(RECORDS_SNAPSHOT + id, SnapshotState.SUCCESS, List.of(), at.toEpochMilli(), at.toEpochMilli() + 1)));
      return listed.stream().filter(info -> info.name().startsWith(namePrefix)).toList();
    }

    @Override
    public void deleteSnapshot(String snapshotName) {
      call("search.deleteSnapshot");
      if (snapshotName.startsWith(RECORDS_SNAPSHOT)) {
        long id = Long.parseLong(snapshotName.substring(RECORDS_SNAPSHOT.length()));
        deleteStored("search", id);
        createdRecordsSnapshots.remove(id);
      }
    }

    @Override
    public List<String> indices(String pattern) {
      call("search.indices");
      String prefix = pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : pattern;
      return existingIndices.stream().filter(i -> pattern.endsWith("*") ? i.startsWith(prefix) : i.equals(prefix)).sorted().toList();
    }

    @Override
    public void deleteIndex(String index) {
      call("search.deleteIndex:" + index);
      existingIndices.remove(index);
    }

    @Override
    public void restoreSnapshot(String snapshotName) {
      call("search.restoreSnapshot:" + snapshotName);
      restoredSnapshots.add(snapshotName);
    }

    @Override
    public RestoreProgress restoreProgress(String snapshotName) {
      call("search.restoreProgress");
      boolean done = restoredSnapshots.contains(snapshotName);
      return new RestoreProgress(done ? RestoreProgress.State.DONE : RestoreProgress.State.NOT_STARTED,
          done ? List.of(snapshotName + "-index") : List.of(), List.of(), "fake");
    }

    @Override
    public long documentCount(String index) {
      call("search.documentCount");
      return 10;
    }
  }
}
