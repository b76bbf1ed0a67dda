package io.github.c8backup.catalog;

import io.github.c8backup.backup.Components;
import io.github.c8backup.backup.RecordsSnapshotWorker;
import io.github.c8backup.catalog.ComponentState.PartitionState;
import io.github.c8backup.cluster.ClusterConnection;
import io.github.c8backup.cluster.ComponentBackup;
import io.github.c8backup.cluster.ComponentRequestRejectedException;
import io.github.c8backup.cluster.ComponentUnavailableException;
import io.github.c8backup.cluster.DetectedVersion;
import io.github.c8backup.cluster.TargetClusters;
import io.github.c8backup.cluster.search.SnapshotInfo;
import io.github.c8backup.cluster.search.SnapshotState;
import io.github.c8backup.cluster.webapps.WebappsBackupApi;
import io.github.c8backup.cluster.zeebe.BackupRuntimeState;
import io.github.c8backup.cluster.zeebe.PartitionBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackup;
import io.github.c8backup.config.TargetCluster;
import io.github.c8backup.database.ClusterDatabases;
import io.github.c8backup.database.DatabaseBackupException;
import io.github.c8backup.database.RecoverableWindow;
import io.github.c8backup.restore.BackupInventory;
import io.github.c8backup.restore.BackupInventory.Verdict;
import io.github.c8backup.restore.RecoveryPoints;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * The backups of a cluster, found by asking its components, never from our own records: every ID
 * that Zeebe, a web app, Optimize or the snapshot repository still lists (a partial backup whose
 * removal failed shows up too), each judged with the restore preflight's rules
 * ({@link BackupInventory}). A component that does not answer is marked in the entries and named
 * in {@link Catalog#problems()}; it is not asked again within the same request, so one dead
 * component costs one timeout, not one per backup.
 */
@Component
public class BackupCatalog {

  /** How many of the newest IDs are judged when the caller does not say; restore's "latest" looks at as many. */
  public static final int DEFAULT_LIMIT = 20;

  private final TargetClusters clusters;
  private final ClusterDatabases databases;

  public BackupCatalog(TargetClusters clusters, ClusterDatabases databases) {
    this.clusters = clusters;
    this.databases = databases;
  }

  /** @throws io.github.c8backup.cluster.UnknownClusterException */
  public Catalog catalog(String cluster, int limit) {
    TargetCluster settings = clusters.settings(cluster);
    String storage = settings.usesRdbms() ? "rdbms" : "search";
    DetectedVersion version;
    try {
      version = clusters.detectVersion(cluster);
    } catch (ComponentUnavailableException | ComponentRequestRejectedException e) {
      return new Catalog(cluster, null, storage, List.of(), 0,
          List.of("the cluster's Camunda version could not be learnt, so no component was asked: " + e.getMessage()), null);
    }
    ClusterConnection connection = clusters.connect(cluster, version.flavour());
    String shownVersion = version.exactVersion() != null ? version.exactVersion() : version.flavour().minor();
    Asking asking = new Asking();
    return settings.usesRdbms()
        ? rdbms(cluster, shownVersion, connection, asking, limit)
        : search(cluster, shownVersion, connection, Components.of(version.flavour(), connection), asking, limit);
  }

  /** Every configured cluster with its version and newest restorable backup; a cluster that does not answer says so. */
  public List<ClusterSummary> summaries() {
    List<ClusterSummary> result = new ArrayList<>();
    for (String name : clusters.names()) {
      Catalog catalog = catalog(name, DEFAULT_LIMIT);
      Long newestBackup = catalog.backups().stream().filter(e -> Boolean.TRUE.equals(e.restorable()))
          .map(CatalogEntry::backupId).findFirst().orElse(null);
      Catalog.PointInTimeWindow window = catalog.pointInTime();
      String problem = catalog.problems().isEmpty() ? null : String.join("; ", catalog.problems());
      result.add(new ClusterSummary(name, catalog.version(), catalog.secondaryStorage(), newestBackup,
          window == null ? null : window.latest(), problem));
    }
    return result;
  }

  private Catalog search(String cluster, String version, ClusterConnection connection, Components components, Asking asking, int limit) {
    Map<String, WebappsBackupApi> webapps = new LinkedHashMap<>();
    if (components.operate()) {
      connection.operate().ifPresent(api -> webapps.put("operate", api));
    }
    if (components.tasklist()) {
      connection.tasklist().ifPresent(api -> webapps.put("tasklist", api));
    }
    if (components.webapps()) {
      connection.webapps().ifPresent(api -> webapps.put("webapps", api));
    }

    TreeSet<Long> ids = new TreeSet<>(Comparator.reverseOrder());
    asking.ask("zeebe", () -> connection.zeebe().backups()).ifPresent(list -> list.forEach(b -> ids.add(b.backupId())));
    webapps.forEach((name, api) -> asking.ask(name, api::backups).ifPresent(list -> list.forEach(b -> ids.add(b.backupId()))));
    if (components.optimize()) {
      connection.optimize().flatMap(api -> asking.ask("optimize", api::backups)).ifPresent(list -> list.forEach(b -> ids.add(b.backupId())));
    }
    Map<Long, SnapshotState> records = new HashMap<>();
    Map<Long, Instant> recordsStarted = new HashMap<>();
    if (components.recordsSnapshot()) {
      // one listing instead of one request per ID; the list carries each snapshot's state
      connection.search().flatMap(api -> asking.ask("records-snapshot", () -> api.snapshots(RecordsSnapshotWorker.SNAPSHOT_PREFIX)))
          .ifPresent(list -> list.forEach(info -> recordsId(info).ifPresent(id -> {
            records.put(id, info.state());
            if (info.startTimeMillis() != null && info.startTimeMillis() > 0) {
              recordsStarted.put(id, Instant.ofEpochMilli(info.startTimeMillis()));
            }
            ids.add(id);
          })));
    }

    List<CatalogEntry> entries = new ArrayList<>();
    for (long id : ids.stream().limit(limit).toList()) {
      List<ComponentState> states = new ArrayList<>();
      List<String> reasons = new ArrayList<>();
      Set<String> versions = new LinkedHashSet<>();
      List<Instant> times = new ArrayList<>();
      judge(asking, "zeebe", "Zeebe", () -> connection.zeebe().backup(id), z -> z.state().name(),
          z -> BackupInventory.zeebe(id, z), BackupCatalog::partitions, BackupCatalog::zeebeTimes, states, reasons, versions, times);
      webapps.forEach((name, api) -> judge(asking, name, label(name), () -> api.backup(id), b -> b.state().name(),
          b -> BackupInventory.webapp(label(name), b), b -> List.of(), BackupCatalog::snapshotTimes, states, reasons, versions, times));
      if (components.optimize()) {
        Supplier<ComponentBackup> optimize = () -> connection.optimize().map(api -> api.backup(id)).orElse(ComponentBackup.doesNotExist(id));
        judge(asking, "optimize", "Optimize", optimize, b -> b.state().name(), BackupInventory::optimize, b -> List.of(),
            BackupCatalog::snapshotTimes, states, reasons, versions, times);
      }
      if (components.recordsSnapshot()) {
        judge(asking, "records-snapshot", "The records snapshot", () -> records.getOrDefault(id, SnapshotState.DOES_NOT_EXIST), Enum::name,
            s -> BackupInventory.recordsSnapshot(id, s), s -> List.of(), s -> recordsStarted.containsKey(id) ? List.of(recordsStarted.get(id)) : List.of(),
            states, reasons, versions, times);
      }
      Instant takenAt = times.stream().max(Comparator.naturalOrder()).orElse(null);
      entries.add(new CatalogEntry(id, takenAt, reasons.isEmpty(), reasons, versions, states));
    }
    return new Catalog(cluster, version, "search", entries, Math.max(0, ids.size() - limit), asking.problems(), null);
  }

  /**
   * An RDBMS cluster is restored to a point in time, not from one backup ID: the entries are
   * Zeebe's backups as its list reports them, and the window is what {@link RecoveryPoints} allows.
   */
  private Catalog rdbms(String cluster, String version, ClusterConnection connection, Asking asking, int limit) {
    List<ZeebeBackup> backups = asking.ask("zeebe", () -> connection.zeebe().backups()).orElse(List.of());
    List<CatalogEntry> entries = backups.stream()
        .sorted(Comparator.comparingLong(ZeebeBackup::backupId).reversed())
        .limit(limit)
        .map(b -> new CatalogEntry(b.backupId(), zeebeTimes(b).stream().max(Comparator.naturalOrder()).orElse(null), null, null,
            new LinkedHashSet<>(b.partitions().stream().map(PartitionBackup::brokerVersion).filter(v -> v != null).toList()),
            List.of(new ComponentState("zeebe", b.state().name(), partitions(b), List.of()))))
        .toList();
    Catalog.PointInTimeWindow window = window(cluster, connection, asking);
    return new Catalog(cluster, version, "rdbms", entries, Math.max(0, backups.size() - limit), asking.problems(), window);
  }

  private Catalog.PointInTimeWindow window(String cluster, ClusterConnection connection, Asking asking) {
    Optional<BackupRuntimeState> state = asking.ask("zeebe", () -> connection.zeebe().runtimeState());
    if (state.isEmpty()) {
      return new Catalog.PointInTimeWindow(List.of(), null, "Zeebe did not report its backup ranges: " + asking.failure("zeebe"));
    }
    Optional<RecoverableWindow> database;
    try {
      database = databases.of(cluster).recoverableWindow();
    } catch (DatabaseBackupException | IllegalArgumentException e) {
      return new Catalog.PointInTimeWindow(List.of(), null, "the database's backups could not be read: " + e.getMessage());
    }
    RecoveryPoints points = RecoveryPoints.of(database, state.get(), partitionCount(connection, state.get(), asking));
    RecoveryPoints.Verdict latest = points.check(null);
    List<Catalog.Span> spans = points.restorable().stream().map(s -> new Catalog.Span(s.from(), s.to())).toList();
    return new Catalog.PointInTimeWindow(spans, latest.accepted() ? latest.recoveryPoint() : null, latest.accepted() ? null : latest.reason());
  }

  /** The gateway's topology when configured and answering, else the highest partition Zeebe's backup state names. */
  private static int partitionCount(ClusterConnection connection, BackupRuntimeState state, Asking asking) {
    Optional<Integer> fromGateway = connection.gateway().flatMap(g -> asking.ask("gateway", () -> g.topology().partitionsCount()));
    return fromGateway.orElseGet(() -> Stream.concat(
            state.backupStates().stream().map(BackupRuntimeState.Checkpoint::partitionId),
            state.ranges().stream().map(BackupRuntimeState.BackupRange::partitionId))
        .max(Comparator.naturalOrder()).orElse(1));
  }

  /** Asks one component about one ID and adds its state and verdict; a component that did not answer makes the entry not restorable. */
  private static <T> void judge(Asking asking, String component, String label, Supplier<T> call, Function<T, String> stateOf,
      Function<T, Verdict> rule, Function<T, List<PartitionState>> partitions, Function<T, List<Instant>> timesOf,
      List<ComponentState> states, List<String> reasons, Set<String> versions, List<Instant> times) {
    Optional<T> answer = asking.ask(component, call);
    if (answer.isEmpty()) {
      String why = label + " did not answer: " + asking.failure(component);
      states.add(new ComponentState(component, asking.failureState(component), List.of(), List.of(why)));
      reasons.add(why);
      return;
    }
    Verdict verdict = rule.apply(answer.get());
    states.add(new ComponentState(component, stateOf.apply(answer.get()), partitions.apply(answer.get()), verdict.problems()));
    reasons.addAll(verdict.problems());
    versions.addAll(verdict.versions());
    times.addAll(timesOf.apply(answer.get()));
  }

  /** When Zeebe's partitions were backed up ({@code createdAt}); partitions that do not say are left out. */
  private static List<Instant> zeebeTimes(ZeebeBackup backup) {
    return backup.partitions().stream().map(PartitionBackup::createdAt).filter(Objects::nonNull).toList();
  }

  /** When a web app's or Optimize's snapshots started, in the components' own format (reference 3.1). */
  private static List<Instant> snapshotTimes(ComponentBackup backup) {
    return backup.details() == null ? List.of()
        : backup.details().stream().map(d -> parseStartTime(d.startTime())).flatMap(Optional::stream).toList();
  }

  private static final DateTimeFormatter COMPONENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX][XX]");

  /** {@code 2023-01-01T10:10:10.100+0000} as the web apps and Optimize write it, or ISO-8601; empty when neither. */
  static Optional<Instant> parseStartTime(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(text.trim(), COMPONENT_TIME).toInstant());
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(Instant.parse(text.trim()));
      } catch (DateTimeParseException ignored) {
        return Optional.empty(); // an age we cannot read: the entry shows no time rather than a wrong one
      }
    }
  }

  private static List<PartitionState> partitions(ZeebeBackup backup) {
    return backup.partitions().stream().map(p -> new PartitionState(p.partitionId(), p.state().name())).toList();
  }

  private static String label(String component) {
    return switch (component) {
      case "operate" -> "Operate";
      case "tasklist" -> "Tasklist";
      default -> "Web apps";
    };
  }

  private static Optional<Long> recordsId(SnapshotInfo info) {
    try {
      return Optional.of(Long.parseLong(info.name().substring(RecordsSnapshotWorker.SNAPSHOT_PREFIX.length())));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return Optional.empty(); // a snapshot someone else named like ours: not a backup
    }
  }

  /** The answers of one request: a component that failed once is not asked again. */
  private static final class Asking {
    private final Map<String, RuntimeException> failures = new LinkedHashMap<>();

    <T> Optional<T> ask(String component, Supplier<T> call) {
      if (failures.containsKey(component)) {
        return Optional.empty();
      }
      try {
        return Optional.ofNullable(call.get());
      } catch (ComponentUnavailableException | ComponentRequestRejectedException e) {
        failures.put(component, e);
        return Optional.empty();
      }
    }

    String failure(String component) {
      RuntimeException e = failures.get(component);
      return e == null ? "" : e.getMessage();
    }

    String failureState(String component) {
      return failures.get(component) instanceof ComponentUnavailableException ? ComponentState.UNREACHABLE : ComponentState.ERROR;
    }

    List<String> problems() {
      return failures.entrySet().stream()
          .map(e -> e.getKey() + " " + (e.getValue() instanceof ComponentUnavailableException ? "is unreachable" : "answered with an error")
              + ": " + e.getValue().getMessage())
          .toList();
    }
  }
}
