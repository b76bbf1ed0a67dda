package io.github.c8backup.sandbox.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.c8backup.sandbox.simulator.SimulatedHttpServer.Response;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated brokers: one node (id 0) leading every partition. Each partition has a log
 * position that process instances and checkpoints advance; records are exported to ES/OS according
 * to the exporting state; backups are written to and read from the real S3 store.
 */
final class SimulatedZeebe {

  private static final Logger LOG = LoggerFactory.getLogger(CamundaTargetSimulator.class);
  static final int NODE_ID = 0;
  private static final DateTimeFormatter RECORD_INDEX_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  private final SimulatorSettings settings;
  private final SearchEngineCalls search;
  private final ZeebeBackupStore store;
  private final SimulatorFaults faults;
  private final ObjectMapper mapper;
  private final ScheduledExecutorService timer;
  private final BrokerDataDirectory data;

  private final Object lock = new Object();
  private final long[] positions;
  private final long[] exportedPositions;
  private final long[] keyCounters;
  private final List<List<Long>> instanceKeys = new ArrayList<>();
  private final List<Object[]> backlog = new ArrayList<>();
  private final List<ExportingWindow> windows = new ArrayList<>();
  private ExportingState exporting = ExportingState.RUNNING;
  private int roundRobin;
  private long highestBackupId;
  private volatile boolean running;
  private final java.util.Set<Long> interruptedBackups = new java.util.HashSet<>();
  private final java.util.Set<Long> completionsAttempted = java.util.concurrent.ConcurrentHashMap.newKeySet();

  SimulatedZeebe(SimulatorSettings settings, SearchEngineCalls search, ZeebeBackupStore store,
      SimulatorFaults faults, ObjectMapper mapper, ScheduledExecutorService timer, BrokerDataDirectory data) {
    this.settings = settings;
    this.search = search;
    this.store = store;
    this.faults = faults;
    this.mapper = mapper;
    this.timer = timer;
    this.data = data;
    this.positions = new long[settings.partitions()];
    this.exportedPositions = new long[settings.partitions()];
    this.keyCounters = new long[settings.partitions()];
    for (int i = 0; i < settings.partitions(); i++) {
      instanceKeys.add(new ArrayList<>());
    }
    start();
  }

  // ---------------------------------------------------------------- lifecycle and data directory

  /**
   * Loads every partition's state from the data directory (none: a fresh partition) and runs.
   * Exporting is RUNNING after a start; records a hard pause held back are exported if the log
   * still has them, and dropped if a restore rewound the log below them.
   */
  void start() {
    synchronized (lock) {
      long[] before = positions.clone();
      boolean rewound = false;
      for (int p = 1; p <= settings.partitions(); p++) {
        int i = p - 1;
        var state = data.readPartition(p);
        positions[i] = state.map(s -> s.path("position").asLong()).orElse(0L);
        exportedPositions[i] = state.map(s -> s.path("exportedPosition").asLong()).orElse(0L);
        List<Long> keys = new ArrayList<>();
        state.ifPresent(s -> s.path("processInstanceKeys").forEach(k -> keys.add(k.asLong())));
        instanceKeys.set(i, keys);
        // Zeebe keys carry the partition in the top bits; the counter continues after the highest
        keyCounters[i] = keys.stream().mapToLong(k -> k & ((1L << 51) - 1)).max().orElse(0L);
        rewound |= positions[i] < before[i];
      }
      if (exporting != ExportingState.RUNNING) {
        enter(ExportingState.RUNNING);
      }
      if (!backlog.isEmpty()) {
        if (rewound) {
          LOG.info("[camunda-simulator] dropping {} unexported documents: the restored log no longer has them", backlog.size());
        } else {
          export(new ArrayList<>(backlog));
        }
        backlog.clear();
      }
      System.arraycopy(positions, 0, exportedPositions, 0, positions.length);
      for (int p = 1; p <= settings.partitions(); p++) {
        persist(p);
      }
      running = true;
    }
    failInterruptedBackups();
  }

  /** Stops processing: backups still running stay IN_PROGRESS (a restart fails them, see {@link #start()}). */
  void stop() {
    synchronized (lock) {
      running = false;
    }
  }

  boolean isRunning() {
    return running;
  }

  /** Every process instance key the brokers know, partition by partition. */
  List<Long> processInstanceKeys() {
    synchronized (lock) {
      return instanceKeys.stream().flatMap(List::stream).toList();
    }
  }

  private void persist(int partitionId) {
    int i = partitionId - 1;
    ObjectNode state = mapper.createObjectNode();
    state.put("partitionId", partitionId);
    state.put("position", positions[i]);
    state.put("exportedPosition", exportedPositions[i]);
    state.set("processInstanceKeys", mapper.valueToTree(instanceKeys.get(i)));
    data.writePartition(partitionId, state);
  }

  /**
   * A backup this node was taking when it stopped cannot complete any more; the restarted broker
   * marks it FAILED so it never hangs IN_PROGRESS.
   */
  private void failInterruptedBackups() {
    List<Long> interrupted;
    synchronized (lock) {
      interrupted = List.copyOf(interruptedBackups);
      interruptedBackups.clear();
    }
    for (long backupId : interrupted) {
      try {
        for (ObjectNode manifest : store.manifests(backupId, settings.partitions())) {
          if (manifest.path("state").asText().equals("IN_PROGRESS")) {
            manifest.put("state", "FAILED");
            manifest.put("failureReason", "Simulated: the broker stopped before the backup of partition "
                + manifest.path("partitionId").asInt() + " completed");
            manifest.put("lastUpdatedAt", Instant.now().toString());
            store.putManifest(manifest);
          }
        }
      } catch (RuntimeException e) {
        LOG.warn("[camunda-simulator] could not fail interrupted Zeebe backup {}: {}", backupId, e.getMessage());
      }
    }
  }

  // ---------------------------------------------------------------- workload and exporting

  /** Appends a process instance to the next partition (round robin) and exports it as the state allows. */
  long createProcessInstance(String processId, JsonNode variables) {
    synchronized (lock) {
      if (!running) {
        throw new IllegalStateException("the simulated brokers are stopped");
      }
      int partition = roundRobin++ % settings.partitions() + 1;
      int i = partition - 1;
      long key = ((long) partition << 51) + ++keyCounters[i]; // Zeebe keys carry the partition in the top bits
      instanceKeys.get(i).add(key);
      long now = System.currentTimeMillis();
      List<Object[]> docs = new ArrayList<>();
      Map<String, Object> listView = new LinkedHashMap<>();
      listView.put("key", key);
      listView.put("processInstanceKey", key);
      listView.put("bpmnProcessId", processId);
      listView.put("partitionId", partition);
      listView.put("state", "ACTIVE");
      listView.put("startDate", Instant.ofEpochMilli(now).toString());
      listView.put("joinRelation", "processInstance");
      listView.put("variables", variables == null || variables.isMissingNode() ? Map.of() : variables);
      for (String intent : List.of("ELEMENT_ACTIVATING", "ELEMENT_ACTIVATED")) {
        long position = ++positions[i];
        if (settings.recordsExporterEnabled()) {
          docs.add(new Object[] {recordIndex(now), partition + "-" + position, record(partition, position, key, processId, intent, now)});
        }
      }
      // the list view is written by the Camunda exporter (8.8+) or Operate's importer reading the
      // exported records (8.6/8.7): either way it stops while exporting is hard-paused
      docs.add(new Object[] {CamundaIndices.LIST_VIEW, String.valueOf(key), listView});
      if (exporting == ExportingState.PAUSED) {
        backlog.addAll(docs);
      } else {
        export(docs);
        if (exporting == ExportingState.RUNNING) {
          exportedPositions[i] = positions[i];
        }
        // SOFT_PAUSED: records are exported, the acknowledged exported position stays frozen (reference 2.1)
      }
      persist(partition);
      return key;
    }
  }

  private Map<String, Object> record(int partition, long position, long key, String processId, String intent, long timestamp) {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("bpmnProcessId", processId);
    value.put("version", 1);
    value.put("processDefinitionKey", ((long) partition << 51) + 1);
    value.put("processInstanceKey", key);
    value.put("elementId", processId);
    value.put("flowScopeKey", -1);
    value.put("bpmnElementType", "PROCESS");
    value.put("tenantId", "<default>");
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("partitionId", partition);
    record.put("position", position);
    record.put("sourceRecordPosition", position - 1);
    record.put("key", key);
    record.put("processInstanceKey", key);
    record.put("timestamp", timestamp);
    record.put("recordType", "EVENT");
    record.put("valueType", "PROCESS_INSTANCE");
    record.put("intent", intent);
    record.put("brokerVersion", settings.camundaVersion());
    record.put("value", value);
    return record;
  }

  private String recordIndex(long timestamp) {
    // the ES/OS exporter's naming: {prefix}_{valueType}_{version}_{date} (reference 5)
    return "zeebe-record_process-instance_" + settings.camundaVersion() + "_"
        + RECORD_INDEX_DATE.format(Instant.ofEpochMilli(timestamp));
  }

  private void export(List<Object[]> docs) {
    try {
      search.bulkIndex(docs);
    } catch (RuntimeException e) {
      LOG.warn("[camunda-simulator] exporting {} documents failed: {}", docs.size(), e.getMessage());
    }
  }

  Response exporting(String operation, boolean soft) {
    var failure = faults.takeExportingFailure();
    if (failure.isPresent()) {
      return wrapped(failure.get(), "Simulated failure (fault injection): expected 1 members of partition 1 but found 0");
    }
    synchronized (lock) {
      switch (operation) {
        case "pause" -> {
          if (soft) {
            // hard pause supersedes soft pause: a soft pause on a hard-paused broker changes nothing (reference 2.1)
            if (exporting == ExportingState.RUNNING) {
              enter(ExportingState.SOFT_PAUSED);
            }
          } else if (exporting == ExportingState.SOFT_PAUSED) {
            // soft pause then hard pause corrupts .exporterPaused on real brokers (camunda/camunda#55838)
            LOG.warn("[camunda-simulator] refused hard pause while soft-paused: real brokers corrupt "
                + ".exporterPaused (camunda/camunda#55838); resume first");
            return wrapped(500, "Hard pause while exporting is soft-paused is refused by the Camunda target "
                + "simulator: it corrupts the broker state (camunda/camunda#55838). Resume first.");
          } else if (exporting == ExportingState.RUNNING) {
            enter(ExportingState.PAUSED);
          }
        }
        case "resume" -> {
          if (exporting != ExportingState.RUNNING) {
            enter(ExportingState.RUNNING);
            List<Object[]> pending = new ArrayList<>(backlog);
            backlog.clear();
            export(pending);
            System.arraycopy(positions, 0, exportedPositions, 0, positions.length);
            for (int p = 1; p <= settings.partitions(); p++) {
              persist(p);
            }
          }
        }
        default -> {
          return Response.springError(404, "Not Found", "/actuator/exporting/" + operation);
        }
      }
    }
    return wrapped(204, null);
  }

  private void enter(ExportingState next) {
    Instant now = Instant.now();
    if (!windows.isEmpty() && windows.getLast().isOpen()) {
      ExportingWindow open = windows.removeLast();
      windows.add(new ExportingWindow(open.state(), open.start(), now));
    }
    if (next != ExportingState.RUNNING) {
      windows.add(new ExportingWindow(next, now, null));
    }
    exporting = next;
  }

  /** The exporting endpoint's quirk: HTTP 200 with the real status inside the body (reference 2.1). */
  private static Response wrapped(int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("body", message == null ? null : Map.of("message", message));
    body.put("status", status);
    body.put("contentType", null);
    return Response.json(200, body);
  }

  ExportingState exportingState() {
    synchronized (lock) {
      return exporting;
    }
  }

  List<ExportingWindow> exportingWindows() {
    synchronized (lock) {
      return List.copyOf(windows);
    }
  }

  long position(int partitionId) {
    synchronized (lock) {
      return positions[partitionId - 1];
    }
  }

  long exportedPosition(int partitionId) {
    synchronized (lock) {
      return exportedPositions[partitionId - 1];
    }
  }

  int backlogSize() {
    synchronized (lock) {
      return backlog.size();
    }
  }

  Map<String, Object> topology() {
    List<Map<String, Object>> partitions = new ArrayList<>();
    for (int p = 1; p <= settings.partitions(); p++) {
      Map<String, Object> partition = new LinkedHashMap<>();
      partition.put("partitionId", p);
      partition.put("role", "leader");
      partition.put("health", "healthy");
      partitions.add(partition);
    }
    Map<String, Object> broker = new LinkedHashMap<>();
    broker.put("nodeId", NODE_ID);
    broker.put("host", settings.host());
    broker.put("port", 26501);
    broker.put("partitions", partitions);
    broker.put("version", settings.camundaVersion());
    Map<String, Object> topology = new LinkedHashMap<>();
    topology.put("brokers", List.of(broker));
    topology.put("clusterSize", 1);
    topology.put("partitionsCount", settings.partitions());
    topology.put("replicationFactor", 1);
    topology.put("gatewayVersion", settings.camundaVersion());
    return topology;
  }

  // ---------------------------------------------------------------- backups

  /**
   * Takes a checkpoint on every partition and writes its IN_PROGRESS manifests; the backup completes
   * after {@code backupDuration}. Real Zeebe accepts the checkpoint (202) whatever the store's
   * state and fails the backup later; the simulator keeps it simpler: it answers 202 only when the
   * IN_PROGRESS manifests are in the store, and otherwise 500 with the store error, having taken no
   * checkpoint (the manifests already written are deleted again where the store lets it).
   */
  Response takeBackup(JsonNode body) {
    JsonNode idNode = body.path("backupId");
    long backupId = idNode.canConvertToLong() ? idNode.asLong() : 0;
    if (backupId <= 0) {
      return message(400, "A backupId must be provided and it must be > 0"); // reference 1.2
    }
    Map<Integer, ObjectNode> stateAtCheckpoint = new LinkedHashMap<>();
    List<ObjectNode> manifests = new ArrayList<>();
    synchronized (lock) {
      // IDs never come back, even after a delete: the highest one ever taken is the tombstone (reference 1.2)
      long latest = Math.max(highestBackupId, highestIdInStore());
      if (backupId <= latest) {
        return message(409, "Requested backup has ID " + backupId + ". The latest backup has ID " + latest
            + ". The backup ID must be greater than the ID of previous backups that are completed, failed, or deleted.");
      }
      Instant now = Instant.now();
      long[] checkpointPositions = new long[settings.partitions()];
      long[] exportedAtCheckpoint = new long[settings.partitions()];
      for (int p = 1; p <= settings.partitions(); p++) {
        int i = p - 1;
        checkpointPositions[i] = positions[i] + 1; // the checkpoint record itself
        exportedAtCheckpoint[i] = exporting == ExportingState.RUNNING ? checkpointPositions[i] : exportedPositions[i];
        ObjectNode manifest = mapper.createObjectNode();
        manifest.put("backupId", backupId);
        manifest.put("partitionId", p);
        manifest.put("nodeId", NODE_ID);
        manifest.put("state", "IN_PROGRESS");
        manifest.putNull("failureReason");
        manifest.put("checkpointPosition", checkpointPositions[i]);
        // snapshotId is index-term-processedPosition-exportedPosition; a frozen exported position shows here
        manifest.put("snapshotId", checkpointPositions[i] + "-1-" + checkpointPositions[i] + "-" + exportedAtCheckpoint[i]);
        manifest.put("brokerVersion", settings.camundaVersion());
        // BackupDescriptor.numberOfPartitions, which the restore application validates (reference 7.3)
        manifest.put("numberOfPartitions", settings.partitions());
        manifest.put("createdAt", now.toString());
        manifest.put("lastUpdatedAt", now.toString());
        manifest.put("simulated", true);
        manifest.putArray("contents");
        manifests.add(manifest);
      }
      writeOrUndo(manifests);
      highestBackupId = backupId;
      for (int p = 1; p <= settings.partitions(); p++) {
        int i = p - 1;
        positions[i] = checkpointPositions[i];
        exportedPositions[i] = exportedAtCheckpoint[i];
        ObjectNode state = mapper.createObjectNode();
        state.put("partitionId", p);
        state.put("position", positions[i]);
        state.put("exportedPosition", exportedPositions[i]);
        state.set("processInstanceKeys", mapper.valueToTree(instanceKeys.get(i)));
        stateAtCheckpoint.put(p, state);
        persist(p);
      }
    }
    if (faults.stallsZeebeBackup(backupId)) {
      LOG.info("[camunda-simulator] Zeebe backup {} stalls IN_PROGRESS (fault injection)", backupId);
    } else {
      timer.schedule(() -> completeBackup(backupId, manifests, stateAtCheckpoint),
          settings.backupDuration().toMillis(), TimeUnit.MILLISECONDS);
    }
    Map<String, Object> response = new LinkedHashMap<>();
    if (settings.is89()) {
      response.put("backupId", backupId); // 8.9 docs show the ID in the answer (reference 2.3)
    }
    // the text names actuator/backups even on backupRuntime (reference 2.3)
    response.put("message", "A backup with id " + backupId + " has been scheduled. Use GET actuator/backups/"
        + backupId + " to monitor the status.");
    return Response.json(202, response);
  }

  /** Writes every manifest, or deletes those written (where the store lets it) and rethrows. */
  private void writeOrUndo(List<ObjectNode> manifests) {
    List<ObjectNode> written = new ArrayList<>();
    try {
      for (ObjectNode manifest : manifests) {
        store.putManifest(manifest);
        written.add(manifest);
      }
    } catch (BackupStoreUnavailable e) {
      for (ObjectNode manifest : written) {
        try {
          store.deleteManifest(manifest);
        } catch (BackupStoreUnavailable again) {
          LOG.warn("[camunda-simulator] an IN_PROGRESS manifest of partition {} stays in the store: {}",
              manifest.path("partitionId").asInt(), again.getMessage());
        }
      }
      throw e;
    }
  }

  /**
   * What a partition's backup does when its snapshot is uploaded: contents, then the COMPLETED
   * manifest. When the store fails, Zeebe marks the backup FAILED with the store error as reason;
   * when that write fails too (the store is still down), the manifest stays IN_PROGRESS in the
   * store for good (camunda/camunda#10547). Zeebe tracks its running backups itself: a store that
   * cannot be read does not stop the attempt.
   */
  private void completeBackup(long backupId, List<ObjectNode> started, Map<Integer, ObjectNode> stateAtCheckpoint) {
    synchronized (lock) {
      if (!running) {
        LOG.info("[camunda-simulator] Zeebe backup {} cannot complete: the brokers are stopped", backupId);
        interruptedBackups.add(backupId);
        return;
      }
    }
    List<ObjectNode> inProgress;
    try {
      inProgress = store.manifests(backupId, settings.partitions()).stream()
          .filter(manifest -> manifest.path("state").asText().equals("IN_PROGRESS")) // else deleted or decided meanwhile
          .toList();
    } catch (BackupStoreUnavailable e) {
      inProgress = started.stream().map(ObjectNode::deepCopy).toList();
    }
    boolean fail = faults.failsZeebeBackup(backupId);
    List<String> outcomes = new ArrayList<>();
    for (ObjectNode manifest : inProgress) {
      int p = manifest.path("partitionId").asInt();
      try {
        if (fail) {
          manifest.put("state", "FAILED");
          manifest.put("failureReason", "Simulated failure (fault injection): failed to upload snapshot of partition " + p);
        } else {
          ObjectNode state = stateAtCheckpoint.get(p);
          ArrayNode contents = manifest.putArray("contents");
          contents.add(store.putContent(p, backupId, NODE_ID, "snapshot/simulated-partition-state.json", state.toPrettyString()));
          contents.add(store.putContent(p, backupId, NODE_ID, "segments/1.log",
              "simulated log segment of partition " + p + " up to position " + state.path("position").asLong() + "\n"));
          manifest.put("state", "COMPLETED");
        }
        manifest.put("lastUpdatedAt", Instant.now().toString());
        store.putManifest(manifest);
        outcomes.add(manifest.path("state").asText());
      } catch (BackupStoreUnavailable e) {
        outcomes.add(markFailed(manifest, e));
      }
    }
    LOG.info("[camunda-simulator] Zeebe backup {} per partition: {}{}", backupId, outcomes, fail ? " (fault injection)" : "");
    completionsAttempted.add(backupId);
  }

  /** True once the brokers tried to complete the backup, whatever the store made of it. */
  boolean completionAttempted(long backupId) {
    return completionsAttempted.contains(backupId);
  }

  /** Zeebe's reaction to a failed upload; answers the state the store keeps. */
  private String markFailed(ObjectNode manifest, BackupStoreUnavailable failure) {
    ObjectNode failed = manifest.deepCopy();
    failed.put("state", "FAILED");
    failed.put("failureReason", failure.getMessage());
    failed.putArray("contents");
    failed.put("lastUpdatedAt", Instant.now().toString());
    try {
      store.putManifest(failed);
      LOG.warn("[camunda-simulator] Zeebe backup {} of partition {} FAILED: {}", failed.path("backupId").asLong(),
          failed.path("partitionId").asInt(), failure.getMessage());
      return "FAILED";
    } catch (BackupStoreUnavailable again) {
      LOG.warn("[camunda-simulator] Zeebe backup {} of partition {} failed and cannot be marked FAILED, it stays "
              + "IN_PROGRESS in the store (camunda/camunda#10547): {}", failed.path("backupId").asLong(),
          failed.path("partitionId").asInt(), again.getMessage());
      return "IN_PROGRESS";
    }
  }

  private long highestIdInStore() {
    return store.backupIds().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  Response backup(long backupId) {
    List<ObjectNode> manifests = store.manifests(backupId, settings.partitions());
    if (manifests.isEmpty()) {
      return message(404, "Backup with id " + backupId + " does not exist");
    }
    return Response.json(200, describe(backupId, manifests));
  }

  /** All backups, or those whose ID starts with {@code prefix} (8.8+ {@code GET backupRuntime/10*}); ID descending. */
  Response backups(String prefix) {
    List<Map<String, Object>> result = new ArrayList<>();
    store.allManifests().entrySet().stream()
        .filter(e -> prefix == null || String.valueOf(e.getKey()).startsWith(prefix))
        .sorted(Map.Entry.<Long, List<ObjectNode>>comparingByKey().reversed())
        .forEach(e -> result.add(describe(e.getKey(), e.getValue())));
    return Response.json(200, result);
  }

  Response deleteBackup(long backupId) {
    List<ObjectNode> manifests = store.manifests(backupId, settings.partitions());
    if (!manifests.isEmpty()) {
      synchronized (lock) {
        // a deleted ID stays taken (reference 1.2); the store alone would forget it on 8.6-8.8
        highestBackupId = Math.max(highestBackupId, backupId);
      }
    }
    store.deleteContents(backupId, settings.partitions());
    if (settings.is89()) {
      // 8.9 knows DELETED: the manifest stays as a tombstone (reference 2.4, PR camunda/camunda#46894)
      for (ObjectNode manifest : manifests) {
        manifest.put("state", "DELETED");
        manifest.putArray("contents");
        manifest.put("lastUpdatedAt", Instant.now().toString());
        store.putManifest(manifest);
      }
    } else {
      store.deleteManifests(backupId, settings.partitions());
    }
    return Response.noContent();
  }

  /** 8.9 {@code GET backupRuntime/state} (reference 2.3), derived from the manifests in the store. */
  Response runtimeState() {
    Map<Integer, List<ObjectNode>> byPartition = new LinkedHashMap<>();
    store.allManifests().values().forEach(list -> list.forEach(m ->
        byPartition.computeIfAbsent(m.path("partitionId").asInt(), p -> new ArrayList<>()).add(m)));
    List<Map<String, Object>> checkpointStates = new ArrayList<>();
    List<Map<String, Object>> backupStates = new ArrayList<>();
    List<Map<String, Object>> ranges = new ArrayList<>();
    byPartition.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
      List<ObjectNode> manifests = entry.getValue().stream()
          .sorted(Comparator.comparingLong(m -> m.path("backupId").asLong())).toList();
      checkpointStates.add(checkpoint(manifests.getLast(), false));
      List<ObjectNode> completed = manifests.stream().filter(m -> m.path("state").asText().equals("COMPLETED")).toList();
      if (!completed.isEmpty()) {
        backupStates.add(checkpoint(completed.getLast(), true));
        Map<String, Object> range = new LinkedHashMap<>();
        range.put("partitionId", entry.getKey());
        range.put("start", checkpoint(completed.getFirst(), true));
        range.put("end", checkpoint(completed.getLast(), true));
        ranges.add(range);
      }
    });
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("checkpointStates", checkpointStates);
    body.put("backupStates", backupStates);
    body.put("ranges", ranges);
    return Response.json(200, body);
  }

  private static Map<String, Object> checkpoint(ObjectNode manifest, boolean withFirstLogPosition) {
    Map<String, Object> checkpoint = new LinkedHashMap<>();
    checkpoint.put("checkpointId", manifest.path("backupId").asLong());
    checkpoint.put("partitionId", manifest.path("partitionId").asInt());
    checkpoint.put("checkpointType", "MANUAL_BACKUP");
    checkpoint.put("checkpointPosition", manifest.path("checkpointPosition").asLong());
    checkpoint.put("checkpointTimestamp", manifest.path("createdAt").asText());
    if (withFirstLogPosition) {
      checkpoint.put("firstLogPosition", 1); // the simulated log is never compacted
    }
    return checkpoint;
  }

  /** BackupInfo with the overall state aggregated as in reference 2.4. */
  private Map<String, Object> describe(long backupId, List<ObjectNode> manifests) {
    List<Map<String, Object>> details = new ArrayList<>();
    List<String> states = new ArrayList<>();
    String failureReason = null;
    for (int p = 1; p <= settings.partitions(); p++) {
      int partition = p;
      ObjectNode manifest = manifests.stream().filter(m -> m.path("partitionId").asInt() == partition)
          .max(Comparator.comparing(m -> m.path("lastUpdatedAt").asText())).orElse(null);
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("partitionId", p);
      if (manifest == null) {
        detail.put("state", "DOES_NOT_EXIST");
        states.add("DOES_NOT_EXIST");
      } else {
        String state = manifest.path("state").asText();
        states.add(state);
        detail.put("state", state);
        if (manifest.hasNonNull("failureReason")) {
          detail.put("failureReason", manifest.path("failureReason").asText());
          failureReason = failureReason == null ? manifest.path("failureReason").asText() : failureReason;
        }
        detail.put("createdAt", manifest.path("createdAt").asText());
        detail.put("lastUpdatedAt", manifest.path("lastUpdatedAt").asText());
        detail.put("snapshotId", manifest.path("snapshotId").asText());
        detail.put("checkpointPosition", manifest.path("checkpointPosition").asLong());
        detail.put("brokerId", manifest.path("nodeId").asInt());
        detail.put("brokerVersion", manifest.path("brokerVersion").asText());
      }
      details.add(detail);
    }
    String overall;
    if (states.stream().allMatch("COMPLETED"::equals)) {
      overall = "COMPLETED";
    } else if (states.contains("FAILED")) {
      overall = "FAILED";
    } else if (states.contains("DOES_NOT_EXIST")) {
      overall = "INCOMPLETE";
    } else if (states.contains("IN_PROGRESS")) {
      overall = "IN_PROGRESS";
    } else {
      overall = "DELETED";
    }
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("backupId", backupId);
    info.put("state", overall);
    if (failureReason != null) {
      info.put("failureReason", failureReason);
    }
    info.put("details", details);
    return info;
  }

  private static Response message(int status, String message) {
    return Response.json(status, Map.of("message", message));
  }
}
