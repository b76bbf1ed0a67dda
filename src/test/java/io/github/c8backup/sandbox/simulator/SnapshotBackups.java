package io.github.c8backup.sandbox.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.c8backup.sandbox.simulator.SearchEngineCalls.Snapshot;
import io.github.c8backup.sandbox.simulator.SimulatedHttpServer.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backup API whose backups are real ES/OS snapshots: Operate's or Tasklist's
 * {@code actuator/backups} (8.6/8.7), the combined {@code actuator/backupHistory} (8.8+), or
 * Optimize's {@code actuator/backups}. Parts are snapshotted one after another on a single
 * background thread; every GET computes the state from the snapshots in the repository.
 */
final class SnapshotBackups {

  private static final Logger LOG = LoggerFactory.getLogger(CamundaTargetSimulator.class);
  // the web applications' start time format, e.g. 2023-01-01T10:10:10.100+0000 (reference 3.1)
  private static final DateTimeFormatter START_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);
  // 8.8 default incompleteCheckTimeout (reference 3.2)
  private static final Duration INCOMPLETE_CHECK_TIMEOUT = Duration.ofMinutes(5);

  enum Flavour { WEBAPPS, OPTIMIZE }

  private final String app;
  private final Flavour flavour;
  private final SimulatorSettings settings;
  private final List<List<String>> parts;
  private final SearchEngineCalls search;
  private final ObjectMapper mapper;
  private final ExecutorService worker;
  private final Set<Long> running = ConcurrentHashMap.newKeySet();
  private final Map<Long, Instant> finishedAt = new ConcurrentHashMap<>();

  /** @param app the name in the snapshot names: operate, tasklist, webapps or optimize */
  SnapshotBackups(String app, Flavour flavour, SimulatorSettings settings, List<List<String>> parts,
      SearchEngineCalls search, ObjectMapper mapper, ExecutorService worker) {
    this.app = app;
    this.flavour = flavour;
    this.settings = settings;
    this.parts = parts;
    this.search = search;
    this.mapper = mapper;
    this.worker = worker;
  }

  String snapshotName(long backupId, int partNo) {
    return "camunda_" + app + "_" + backupId + "_" + settings.camundaVersion() + "_part_" + partNo + "_of_" + parts.size();
  }

  Response create(JsonNode body) {
    JsonNode idNode = body.path("backupId");
    if (!idNode.canConvertToLong()) {
      return error(400, "badRequest", "A backupId must be provided");
    }
    long backupId = idNode.asLong();
    // 8.6/8.7 standalone controllers accept >= 0, the 8.8 combined controller and Optimize > 0 (reference 1.2)
    boolean zeroAllowed = flavour == Flavour.WEBAPPS && !settings.combinedWebapps();
    if (backupId < 0 || (backupId == 0 && !zeroAllowed)) {
      return error(400, "badRequest", "BackupId must be a " + (zeroAllowed ? "non-negative" : "positive")
          + " Long. Received value: " + backupId);
    }
    List<Snapshot> existing = search.snapshots(pattern(backupId));
    if (!existing.isEmpty() || running.contains(backupId)) {
      String found = existing.stream().map(Snapshot::name).collect(Collectors.joining(", ", "[", "]"));
      String message = "A backup with ID [" + backupId + "] already exists. Found snapshots: " + found;
      // webapps answer a duplicate with 400, Optimize with 409 (reference 1.2)
      return error(flavour == Flavour.OPTIMIZE ? 409 : 400, "conflict", message);
    }
    synchronized (running) {
      // the web applications queue one backup at a time per node (reference 3.1)
      if (flavour == Flavour.WEBAPPS && !running.isEmpty()) {
        return error(400, "badRequest", "Another backup is running at the moment");
      }
      running.add(backupId);
    }
    List<String> names = new ArrayList<>();
    for (int partNo = 1; partNo <= parts.size(); partNo++) {
      names.add(snapshotName(backupId, partNo));
    }
    worker.submit(() -> takeParts(backupId, names));
    if (flavour == Flavour.OPTIMIZE) {
      // Optimize answers 202 with a message (reference 4)
      return Response.json(202, Map.of("message", "Backup creation for ID " + backupId
          + " has been scheduled. Use the GET API to monitor completion of backup process"));
    }
    // the web applications answer 200, not 202 (reference 3.1, 3.2)
    return Response.json(200, Map.of("scheduledSnapshots", names));
  }

  private void takeParts(long backupId, List<String> names) {
    try {
      for (int i = 0; i < names.size(); i++) {
        sleep(settings.backupDuration());
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("backupId", backupId);
        metadata.put("version", settings.camundaVersion());
        metadata.put("partNo", i + 1);
        metadata.put("partCount", names.size());
        String state = search.createSnapshot(names.get(i), parts.get(i), metadata);
        LOG.info("[camunda-simulator] {} snapshot {} -> {}", app, names.get(i), state);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // like the real services, a failed part ends the run; the missing parts make the backup INCOMPLETE or FAILED
      LOG.warn("[camunda-simulator] {} backup {} stopped: {}", app, backupId, e.getMessage());
    } finally {
      finishedAt.put(backupId, Instant.now());
      running.remove(backupId);
    }
  }

  Response get(long backupId) {
    List<Snapshot> snapshots = search.snapshots(pattern(backupId));
    if (snapshots.isEmpty() && !running.contains(backupId)) {
      return notFound(backupId);
    }
    return Response.json(200, describe(backupId, snapshots));
  }

  Response list() {
    Map<Long, List<Snapshot>> byId = new TreeMap<>(Comparator.reverseOrder());
    Pattern idPattern = Pattern.compile("camunda_" + app + "_(\\d+)_.*");
    for (Snapshot snapshot : search.snapshots("camunda_" + app + "_*")) {
      Matcher matcher = idPattern.matcher(snapshot.name());
      if (matcher.matches()) {
        byId.computeIfAbsent(Long.parseLong(matcher.group(1)), id -> new ArrayList<>()).add(snapshot);
      }
    }
    running.forEach(id -> byId.putIfAbsent(id, List.of()));
    return Response.json(200, byId.entrySet().stream().map(e -> describe(e.getKey(), e.getValue())).toList());
  }

  Response delete(long backupId) {
    List<Snapshot> snapshots = search.snapshots(pattern(backupId));
    if (snapshots.isEmpty() && flavour == Flavour.WEBAPPS) {
      return notFound(backupId);
    }
    snapshots.forEach(snapshot -> search.deleteSnapshot(snapshot.name()));
    return Response.noContent();
  }

  private Map<String, Object> describe(long backupId, List<Snapshot> snapshots) {
    List<Snapshot> sorted = snapshots.stream().sorted(Comparator.comparing(Snapshot::name)).toList();
    int expected = sorted.stream().mapToInt(this::partCount).max().orElse(parts.size());
    List<String> failed = sorted.stream().filter(s -> s.state().equals("FAILED")).map(Snapshot::name).toList();
    List<String> partial = sorted.stream().filter(s -> s.state().equals("PARTIAL")).map(Snapshot::name).toList();
    String state;
    String failureReason = null;
    if (!failed.isEmpty()) {
      state = "FAILED";
      failureReason = "There were failures with the following snapshots: " + String.join(", ", failed);
    } else if (!partial.isEmpty()) {
      state = "FAILED";
      failureReason = "Some of the snapshots are partial: " + String.join(", ", partial);
    } else if (sorted.size() > expected) {
      state = "FAILED";
      failureReason = "More snapshots found than expected.";
    } else if (sorted.size() == expected && sorted.stream().allMatch(s -> s.state().equals("SUCCESS"))) {
      // Optimize's code says COMPLETED, its API docs COMPLETE (reference 4)
      state = flavour == Flavour.OPTIMIZE && settings.optimizeSaysComplete() ? "COMPLETE" : "COMPLETED";
    } else if (sorted.stream().anyMatch(s -> s.state().equals("INCOMPATIBLE"))) {
      state = "INCOMPATIBLE";
    } else if (running.contains(backupId) || sorted.stream().anyMatch(s -> s.state().equals("IN_PROGRESS"))) {
      state = "IN_PROGRESS";
    } else if (flavour == Flavour.OPTIMIZE || incompleteCheckTimedOut(backupId, sorted)) {
      // missing parts: Optimize says INCOMPLETE at once; the web applications once the
      // incompleteCheckTimeout has passed since the last part ended (reference 3.2, 4)
      state = "INCOMPLETE";
    } else {
      state = "IN_PROGRESS";
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("backupId", backupId);
    body.put("state", state);
    body.put("failureReason", failureReason);
    body.put("details", sorted.stream().map(this::detail).toList());
    return body;
  }

  /**
   * Missing parts are INCOMPLETE once this simulator knows the run has ended (8.6.9+ keep that in
   * memory, camunda/camunda#33717), or, for a run it does not know (restarted simulator), once the
   * incompleteCheckTimeout has passed since the last part ended (8.8, reference 3.2).
   */
  private boolean incompleteCheckTimedOut(long backupId, List<Snapshot> snapshots) {
    if (finishedAt.containsKey(backupId)) {
      return true;
    }
    Instant lastEnd = snapshots.stream().map(s -> Instant.ofEpochMilli(s.endTimeMillis()))
        .max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
    return Instant.now().isAfter(lastEnd.plus(INCOMPLETE_CHECK_TIMEOUT));
  }

  private Map<String, Object> detail(Snapshot snapshot) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("snapshotName", snapshot.name());
    detail.put("state", snapshot.state());
    detail.put("startTime", START_TIME.format(Instant.ofEpochMilli(snapshot.startTimeMillis())));
    detail.put("failures", snapshot.failures());
    return detail;
  }

  private int partCount(Snapshot snapshot) {
    JsonNode count = snapshot.metadata().path("partCount");
    if (count.canConvertToInt()) {
      return count.asInt();
    }
    Matcher matcher = Pattern.compile(".*_of_(\\d+)$").matcher(snapshot.name());
    return matcher.matches() ? Integer.parseInt(matcher.group(1)) : parts.size();
  }

  private String pattern(long backupId) {
    return "camunda_" + app + "_" + backupId + "_*";
  }

  private Response notFound(long backupId) {
    if (flavour == Flavour.OPTIMIZE) {
      return error(404, "notFound", "No Optimize backup with ID [" + backupId + "] could be found.");
    }
    return error(404, "notFound", "No backup with id [" + backupId + "] found.");
  }

  /** Webapps answer {@code {"message"}}, Optimize its ErrorResponseDto (reference 4). */
  private Response error(int status, String errorCode, String message) {
    if (flavour == Flavour.OPTIMIZE) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("errorCode", errorCode);
      body.put("errorMessage", message);
      body.put("detailedMessage", message);
      return Response.json(status, body);
    }
    return Response.json(status, Map.of("message", message));
  }

  private static void sleep(Duration duration) throws InterruptedException {
    if (!duration.isZero() && !duration.isNegative()) {
      Thread.sleep(duration.toMillis());
    }
  }
}
