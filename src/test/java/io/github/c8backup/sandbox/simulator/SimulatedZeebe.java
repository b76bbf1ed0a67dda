package io.github.c8backup.sandbox.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.c8backup.sandbox.simulator.SimulatedHttpServer.Response;
import java.sql.SQLException;
import java.time.Duration;
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
 * position that process instances and checkpoints advance; records are exported to ES/OS, or with
 * RDBMS secondary storage (8.9) into the real PostgreSQL database, according to the exporting state;
 * backups are written to and read from the real S3 store.
 *
 * <p>8.9 continuous backups (reference 2.3, 6.3, 9): backups are requested without an ID, or taken
 * on the schedule, with an ID generated from the checkpoint's epoch milliseconds plus the offset;
 * MARKER checkpoints are written every checkpoint interval; every backup records the first log
 * position it carries, the log after the last completed backup, so consecutive backups form a range
 * that a gap in the log (a deleted backup, {@link SimulatorFaults#breakBackupRange()}) splits.
 */
final class SimulatedZeebe {

  private static final Logger LOG = LoggerFactory.getLogger(CamundaTargetSimulator.class);
  static final int NODE_ID = 0;
  /** The content object with the log a backup carries, one record per line ({@link PartitionState#segment}). */
  static final String SEGMENT = "segments/1.log";
  private static final DateTimeFormatter RECORD_INDEX_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  private final SimulatorSettings settings;
  private final SearchEngineCalls search;
  private final ZeebeBackupStore store;
  private final SimulatorFaults faults;
  private final ObjectMapper mapper;
  private final ScheduledExecutorService timer;
  private final BrokerDataDirectory data;

  /** The RDBMS exporter's position is not known (yet, or after a failed export): read it from the database. */
  private static final long UNKNOWN = Long.MIN_VALUE;

  private final RdbmsExporter rdbms;
  private final Object lock = new Object();
  private final PartitionState[] partitions;
  private final long[] keyCounters;
  /** Per partition, the database's exported position as this broker last wrote or read it. */
  private final long[] rdbmsPositions;
  private boolean rdbmsFailing;
  private final List<Object[]> backlog = new ArrayList<>();
  private final List<ExportingWindow> windows = new ArrayList<>();
  private ExportingState exporting = ExportingState.RUNNING;
  private int roundRobin;
  private long highestBackupId;
  private volatile boolean running;
  private final java.util.Set<Long> interruptedBackups = new java.util.HashSet<>();
  private final java.util.Set<Long> completionsAttempted = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * @param search the search engine, null when nothing is exported there (RDBMS without Optimize)
   * @param rdbms the RDBMS exporter, null unless the secondary storage is RDBMS
   */
  SimulatedZeebe(SimulatorSettings settings, SearchEngineCalls search, RdbmsExporter rdbms, ZeebeBackupStore store,
      SimulatorFaults faults, ObjectMapper mapper, ScheduledExecutorService timer, BrokerDataDirectory data) {
    this.settings = settings;
    this.search = search;
    this.rdbms = rdbms;
    this.store = store;
    this.faults = faults;
    this.mapper = mapper;
    this.timer = timer;
    this.data = data;
    this.partitions = new PartitionState[settings.partitions()];
    this.keyCounters = new long[settings.partitions()];
    this.rdbmsPositions = new long[settings.partitions()];
    for (int i = 0; i < settings.partitions(); i++) {
      partitions[i] = new PartitionState(i + 1);
    }
    start();
    scheduleBackgroundWork();
  }

  /** The 8.9 backup scheduler, the MARKER checkpoints, and the RDBMS exporter's retry; each skips while stopped. */
  private void scheduleBackgroundWork() {
    if (settings.backupSchedule() != null) {
      long every = settings.backupSchedule().toMillis();
      timer.scheduleAtFixedRate(this::scheduledBackup, every, every, TimeUnit.MILLISECONDS);
    }
    if (settings.checkpointInterval() != null) {
      long every = settings.checkpointInterval().toMillis();
      timer.scheduleAtFixedRate(this::markerCheckpoint, every, every, TimeUnit.MILLISECONDS);
    }
    if (settings.retentionWindow() != null) {
      Duration every = settings.retentionCleanupSchedule() != null ? settings.retentionCleanupSchedule()
          : settings.backupSchedule() != null ? settings.backupSchedule() : settings.retentionWindow();
      timer.scheduleAtFixedRate(this::applyRetention, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }
    if (rdbms != null) {
      // a database that was down gets what it missed once it is back, like the exporter's retries
      timer.scheduleWithFixedDelay(this::catchUpRdbms, 1, 1, TimeUnit.SECONDS);
    }
  }

  // ---------------------------------------------------------------- lifecycle and data directory

  /**
   * Loads every partition's state from the data directory (none: a fresh partition) and runs.
   * Exporting is RUNNING after a start; records a hard pause held back are exported if the log
   * still has them, and dropped if a restore rewound the log below them.
   */
  void start() {
    synchronized (lock) {
      boolean rewound = false;
      for (int p = 1; p <= settings.partitions(); p++) {
        int i = p - 1;
        int partitionId = p;
        long before = partitions[i].position;
        partitions[i] = data.readPartition(p).map(s -> PartitionState.fromJson(s, partitionId))
            .orElseGet(() -> new PartitionState(partitionId));
        // Zeebe keys carry the partition in the top bits; the counter continues after the highest
        keyCounters[i] = partitions[i].keys().stream().mapToLong(k -> k & ((1L << 51) - 1)).max().orElse(0L);
        rewound |= partitions[i].position < before;
        rdbmsPositions[i] = UNKNOWN; // the database may have been restored while the brokers were down
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
      for (PartitionState partition : partitions) {
        partition.exportedPosition = partition.position;
        persist(partition.partitionId);
      }
      running = true;
      // the RDBMS exporter resumes from the database's own position: after a restore it re-exports
      // what the database misses (reference 7.5 step 4)
      for (int i = 0; i < partitions.length; i++) {
        exportToRdbms(i);
      }
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
      List<Long> keys = new ArrayList<>();
      for (PartitionState partition : partitions) {
        keys.addAll(partition.keys());
      }
      return keys;
    }
  }

  private void persist(int partitionId) {
    data.writePartition(partitionId, partitions[partitionId - 1].toJson(mapper));
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
      PartitionState state = partitions[i];
      long key = ((long) partition << 51) + ++keyCounters[i]; // Zeebe keys carry the partition in the top bits
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
        long position = ++state.position;
        if (settings.recordsExporterEnabled() && search != null) {
          docs.add(new Object[] {recordIndex(now), partition + "-" + position, record(partition, position, key, processId, intent, now)});
        }
      }
      state.instances.add(new PartitionState.Instance(key, processId, state.position, Instant.ofEpochMilli(now)));
      if (!settings.rdbms()) {
        // the list view is written by the Camunda exporter (8.8+) or Operate's importer reading the
        // exported records (8.6/8.7): either way it stops while exporting is hard-paused
        docs.add(new Object[] {settings.indexName(CamundaIndices.LIST_VIEW), String.valueOf(key), listView});
      }
      if (exporting == ExportingState.PAUSED) {
        backlog.addAll(docs);
      } else {
        export(docs);
        exportToRdbms(i);
        if (exporting == ExportingState.RUNNING) {
          state.exportedPosition = state.position;
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
    return settings.recordsIndexPrefix() + "_process-instance_" + settings.camundaVersion() + "_"
        + RECORD_INDEX_DATE.format(Instant.ofEpochMilli(timestamp));
  }

  private void export(List<Object[]> docs) {
    if (docs.isEmpty() || search == null) {
      return;
    }
    try {
      search.bulkIndex(docs);
    } catch (RuntimeException e) {
      LOG.warn("[camunda-simulator] exporting {} documents failed: {}", docs.size(), e.getMessage());
    }
  }

  /**
   * The RDBMS exporter (under the lock): writes the partition's log up to its position into the
   * database, unless exporting is hard-paused or the database already has it. Every record counts,
   * checkpoints included, as the exporter acknowledges the records it does not write.
   */
  private void exportToRdbms(int i) {
    if (rdbms == null || exporting == ExportingState.PAUSED || !running) {
      return;
    }
    PartitionState state = partitions[i];
    if (rdbmsPositions[i] != UNKNOWN && rdbmsPositions[i] >= state.position) {
      return;
    }
    List<RdbmsExporter.ExportedInstance> candidates = state.instances.stream()
        .filter(instance -> rdbmsPositions[i] == UNKNOWN || instance.position() > rdbmsPositions[i])
        .map(instance -> new RdbmsExporter.ExportedInstance(instance.key(), instance.bpmnProcessId(),
            state.partitionId, instance.position(), instance.startDate()))
        .toList();
    try {
      rdbmsPositions[i] = rdbms.export(state.partitionId, candidates, state.position);
      if (rdbmsPositions[i] > state.position) {
        LOG.warn("[camunda-simulator] the RDBMS's exported position {} of partition {} is ahead of the broker's log "
            + "({}): the secondary storage is ahead of the primary", rdbmsPositions[i], state.partitionId, state.position);
      }
      if (rdbmsFailing) {
        rdbmsFailing = false;
        LOG.info("[camunda-simulator] the RDBMS exporter writes to {} again", rdbms.url());
      }
    } catch (SQLException e) {
      rdbmsPositions[i] = UNKNOWN;
      if (!rdbmsFailing) {
        rdbmsFailing = true;
        LOG.warn("[camunda-simulator] the RDBMS exporter cannot write partition {} to {}, it retries: {}",
            state.partitionId, rdbms.url(), e.getMessage());
      }
    }
  }

  private void catchUpRdbms() {
    try {
      synchronized (lock) {
        for (int i = 0; i < partitions.length; i++) {
          exportToRdbms(i);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("[camunda-simulator] RDBMS exporter retry failed: {}", e.getMessage());
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
            for (int i = 0; i < partitions.length; i++) {
              exportToRdbms(i);
              partitions[i].exportedPosition = partitions[i].position;
              persist(i + 1);
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
      return partitions[partitionId - 1].position;
    }
  }

  long exportedPosition(int partitionId) {
    synchronized (lock) {
      return partitions[partitionId - 1].exportedPosition;
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
   * {@code POST backupRuntime} (or {@code backups} up to 8.7). With 8.9 continuous backups the ID
   * is generated and a body with an ID is refused; otherwise the ID is required (reference 2.3).
   */
  Response takeBackup(JsonNode body) {
    JsonNode idNode = body.path("backupId");
    if (settings.continuousBackups()) {
      if (!idNode.isMissingNode() && !idNode.isNull()) {
        return message(400, "Cannot take backup with predetermined backupId when continuous backups are enabled. "
            + "Use POST actuator/backupRuntime without specifying a backupId.");
      }
      return takeGeneratedBackup(CheckpointType.MANUAL_BACKUP);
    }
    long backupId = idNode.canConvertToLong() ? idNode.asLong() : 0;
    if (backupId <= 0) {
      return message(400, "A backupId must be provided and it must be > 0"); // reference 1.2
    }
    return takeBackup(backupId, CheckpointType.MANUAL_BACKUP);
  }

  /** A backup with a generated ID: a MANUAL_BACKUP requested without a body, or a SCHEDULED_BACKUP. */
  private Response takeGeneratedBackup(CheckpointType type) {
    return takeBackup(0, type);
  }

  /**
   * The next checkpoint ID (under the lock): epoch milliseconds plus the offset, as
   * {@code CheckpointIdGenerator} does (reference 1.2), and above every ID taken so far, so two
   * checkpoints in one millisecond or a clock stepping back never reuse one.
   */
  private long nextCheckpointId(Instant now) {
    long generated = now.toEpochMilli() + settings.backupIdOffset();
    long latest = Math.max(highestBackupId, highestIdInStore());
    for (PartitionState partition : partitions) {
      latest = Math.max(latest, partition.lastCheckpoint().map(PartitionState.Checkpoint::id).orElse(0L));
    }
    return Math.max(generated, latest + 1);
  }

  /**
   * Takes a checkpoint on every partition and writes its IN_PROGRESS manifests; the backup completes
   * after {@code backupDuration}. Real Zeebe accepts the checkpoint (202) whatever the store's
   * state and fails the backup later; the simulator keeps it simpler: it answers 202 only when the
   * IN_PROGRESS manifests are in the store, and otherwise 500 with the store error, having taken no
   * checkpoint (the manifests already written are deleted again where the store lets it).
   *
   * @param requestedId the ID the client gave, or 0 to generate one
   */
  private Response takeBackup(long requestedId, CheckpointType type) {
    Map<Integer, ObjectNode> stateAtCheckpoint = new LinkedHashMap<>();
    Map<Integer, String> segments = new LinkedHashMap<>();
    List<ObjectNode> manifests = new ArrayList<>();
    long backupId;
    synchronized (lock) {
      Instant now = Instant.now();
      if (requestedId == 0) {
        backupId = nextCheckpointId(now);
        // the ID is the checkpoint's timestamp: the epoch milliseconds behind the offset
        now = Instant.ofEpochMilli(backupId - settings.backupIdOffset());
      } else {
        backupId = requestedId;
        // IDs never come back, even after a delete: the highest one ever taken is the tombstone (reference 1.2)
        long latest = Math.max(highestBackupId, highestIdInStore());
        if (backupId <= latest) {
          return message(409, "Requested backup has ID " + backupId + ". The latest backup has ID " + latest
              + ". The backup ID must be greater than the ID of previous backups that are completed, failed, or deleted.");
        }
      }
      // the log a compaction dropped without a backup: the next backup cannot chain to the ones before
      boolean compacted = settings.continuousBackups() && faults.takeBackupRangeBreak();
      long[] checkpointPositions = new long[settings.partitions()];
      long[] firstLogPositions = new long[settings.partitions()];
      long[] exportedAtCheckpoint = new long[settings.partitions()];
      for (int p = 1; p <= settings.partitions(); p++) {
        int i = p - 1;
        PartitionState state = partitions[i];
        long lost = compacted ? 1 : 0;
        checkpointPositions[i] = state.position + lost + 1; // the checkpoint record itself
        if (!settings.continuousBackups()) {
          firstLogPositions[i] = 1; // without continuous backups the simulated log is never compacted
        } else if (compacted) {
          firstLogPositions[i] = checkpointPositions[i];
        } else {
          // continuous: the log is kept from the last completed backup on, and this backup carries it (reference 9)
          firstLogPositions[i] = state.backedUpPosition + 1;
        }
        exportedAtCheckpoint[i] = exporting == ExportingState.RUNNING ? checkpointPositions[i] : state.exportedPosition;
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
        if (settings.is89()) {
          // 8.9 descriptors also carry the checkpoint's type and timestamp and the first log position (reference 2.3)
          manifest.put("checkpointType", type.name());
          manifest.put("checkpointTimestamp", now.toString());
          manifest.put("firstLogPosition", firstLogPositions[i]);
        }
        manifest.put("createdAt", now.toString());
        manifest.put("lastUpdatedAt", now.toString());
        manifest.put("simulated", true);
        manifest.putArray("contents");
        manifests.add(manifest);
      }
      writeOrUndo(manifests);
      highestBackupId = backupId;
      if (compacted) {
        LOG.info("[camunda-simulator] backup {} starts a new backup range: the log before it was compacted "
            + "without a backup (fault injection)", backupId);
      }
      for (int p = 1; p <= settings.partitions(); p++) {
        int i = p - 1;
        PartitionState state = partitions[i];
        state.position = checkpointPositions[i];
        state.exportedPosition = exportedAtCheckpoint[i];
        state.checkpoints.add(new PartitionState.Checkpoint(backupId, type, checkpointPositions[i], now));
        stateAtCheckpoint.put(p, state.toJson(mapper));
        segments.put(p, state.segment(mapper, firstLogPositions[i], checkpointPositions[i]));
        persist(p);
        exportToRdbms(i);
      }
    }
    if (faults.takeNextZeebeBackupFailure()) {
      faults.failZeebeBackup(backupId);
    }
    if (faults.stallsZeebeBackup(backupId)) {
      LOG.info("[camunda-simulator] Zeebe backup {} stalls IN_PROGRESS (fault injection)", backupId);
    } else {
      timer.schedule(() -> completeBackup(backupId, manifests, stateAtCheckpoint, segments),
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

  /** The 8.9 scheduler: a SCHEDULED_BACKUP with a generated ID while the brokers run. */
  private void scheduledBackup() {
    if (!running) {
      return;
    }
    try {
      Response taken = takeGeneratedBackup(CheckpointType.SCHEDULED_BACKUP);
      LOG.info("[camunda-simulator] scheduled Zeebe backup {} taken", ((Map<?, ?>) taken.body()).get("backupId"));
    } catch (RuntimeException e) {
      // a store that is down fails this backup only; the schedule goes on
      LOG.warn("[camunda-simulator] scheduled Zeebe backup not taken: {}", e.getMessage());
    }
  }

  /**
   * 8.9 {@code backup.retention.window} (reference 6.4, 9): deletes the backups whose checkpoint is
   * older than the window, oldest first, whatever their type (those taken before the scheduler was
   * enabled too), and always keeps the newest completed one. Deleting from the oldest end shrinks
   * the ranges from their start; IN_PROGRESS and already DELETED backups are left alone.
   */
  private void applyRetention() {
    if (!running) {
      return;
    }
    try {
      Instant cutoff = Instant.now().minus(settings.retentionWindow());
      Map<Long, List<ObjectNode>> all = new java.util.TreeMap<>(store.allManifests());
      long newestCompleted = all.entrySet().stream()
          .filter(e -> e.getValue().stream().allMatch(m -> m.path("state").asText().equals("COMPLETED")))
          .mapToLong(Map.Entry::getKey).max().orElse(Long.MAX_VALUE);
      for (Map.Entry<Long, List<ObjectNode>> backup : all.entrySet()) {
        boolean done = backup.getValue().stream().map(m -> m.path("state").asText()).noneMatch(st -> st.equals("IN_PROGRESS") || st.equals("DELETED"));
        boolean old = backup.getValue().stream().map(SimulatedZeebe::checkpointTimestamp).allMatch(at -> at.isBefore(cutoff));
        if (backup.getKey() < newestCompleted && done && old) {
          deleteBackup(backup.getKey());
          LOG.info("[camunda-simulator] retention deleted Zeebe backup {} (older than {})", backup.getKey(), settings.retentionWindow());
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("[camunda-simulator] retention did not run: {}", e.getMessage());
    }
  }

  /** {@code checkpoint-interval}: a MARKER checkpoint on every partition, no backup (reference 9). */
  private void markerCheckpoint() {
    try {
      synchronized (lock) {
        if (!running) {
          return;
        }
        Instant now = Instant.now();
        long id = nextCheckpointId(now);
        Instant timestamp = Instant.ofEpochMilli(id - settings.backupIdOffset());
        for (int i = 0; i < partitions.length; i++) {
          PartitionState state = partitions[i];
          state.position++;
          state.checkpoints.add(new PartitionState.Checkpoint(id, CheckpointType.MARKER, state.position, timestamp));
          if (exporting == ExportingState.RUNNING) {
            state.exportedPosition = state.position;
          }
          persist(state.partitionId);
          exportToRdbms(i);
        }
        highestBackupId = Math.max(highestBackupId, id);
      }
    } catch (RuntimeException e) {
      LOG.warn("[camunda-simulator] MARKER checkpoint not taken: {}", e.getMessage());
    }
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
   * What a partition's backup does when its snapshot is uploaded: contents (the snapshot and the
   * log segment from the first log position to the checkpoint), then the COMPLETED manifest, and
   * the log up to the checkpoint counts as backed up. When the store fails, Zeebe marks the backup
   * FAILED with the store error as reason; when that write fails too (the store is still down), the
   * manifest stays IN_PROGRESS in the store for good (camunda/camunda#10547). Zeebe tracks its
   * running backups itself: a store that cannot be read does not stop the attempt.
   */
  private void completeBackup(long backupId, List<ObjectNode> started, Map<Integer, ObjectNode> stateAtCheckpoint,
      Map<Integer, String> segments) {
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
          contents.add(store.putContent(p, backupId, NODE_ID, "snapshot/" + BrokerDataDirectory.STATE_FILE, state.toPrettyString()));
          contents.add(store.putContent(p, backupId, NODE_ID, SEGMENT, segments.get(p)));
          manifest.put("state", "COMPLETED");
        }
        manifest.put("lastUpdatedAt", Instant.now().toString());
        synchronized (lock) {
          // COMPLETED and the backed-up log move together: a backup taken right after sees both
          store.putManifest(manifest);
          if (!fail) {
            backedUp(p, manifest.path("checkpointPosition").asLong());
            // the confirmation syncs the partition's metadata from its state: the checkpoints of the
            // history the brokers are on (CheckpointConfirmBackupProcessor -> BackupManager.syncMetadata)
            store.putMetadata(p, partitions[p - 1].checkpoints.stream().map(PartitionState.Checkpoint::id).toList());
          }
        }
        outcomes.add(manifest.path("state").asText());
      } catch (BackupStoreUnavailable e) {
        outcomes.add(markFailed(manifest, e));
      }
    }
    LOG.info("[camunda-simulator] Zeebe backup {} per partition: {}{}", backupId, outcomes, fail ? " (fault injection)" : "");
    completionsAttempted.add(backupId);
  }

  /** The log up to {@code checkpointPosition} is in a completed backup: continuous backups may compact it. */
  private void backedUp(int partitionId, long checkpointPosition) {
    synchronized (lock) {
      PartitionState state = partitions[partitionId - 1];
      if (checkpointPosition > state.backedUpPosition && checkpointPosition <= state.position) {
        state.backedUpPosition = checkpointPosition;
        persist(partitionId);
      }
    }
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

  /**
   * 8.9 {@code GET backupRuntime/state} (reference 2.3): per partition the latest checkpoint the
   * brokers took (any type, MARKERs included; from the store's manifests when the brokers know none),
   * the latest completed backup, and the ranges of completed backups. A range is a run of backups
   * each of which carries the log from where the one before it ends
   * ({@code firstLogPosition <= previous checkpointPosition + 1}); a backup whose log starts later
   * (a deleted backup before it, a compacted log) starts a new range. FAILED, IN_PROGRESS and
   * DELETED backups are in no range. Nested range ends carry no partitionId (8.9 API docs).
   */
  Response runtimeState() {
    Map<Integer, List<ObjectNode>> byPartition = new LinkedHashMap<>();
    store.allManifests().values().forEach(list -> list.forEach(m ->
        byPartition.computeIfAbsent(m.path("partitionId").asInt(), p -> new ArrayList<>()).add(m)));
    Map<Integer, PartitionState.Checkpoint> brokerCheckpoints = new LinkedHashMap<>();
    // Zeebe answers from the partitions' state (RocksDB: checkpoint info, BACKUP_RANGES), which
    // holds only the history the brokers are on: after a restore to checkpoint X, backups taken
    // after X on the abandoned history are still in the store but no longer in the state
    // (camunda/camunda DbBackupRangeState, CheckpointBackupConfirmedApplier). A broker that knows
    // no checkpoint (fresh data directory) falls back to the store.
    Map<Integer, java.util.Set<Long>> onHistory = new LinkedHashMap<>();
    synchronized (lock) {
      for (PartitionState partition : partitions) {
        partition.lastCheckpoint().ifPresent(c -> brokerCheckpoints.put(partition.partitionId, c));
        onHistory.put(partition.partitionId, partition.checkpoints.stream().map(PartitionState.Checkpoint::id)
            .collect(java.util.stream.Collectors.toSet()));
      }
    }
    List<Map<String, Object>> checkpointStates = new ArrayList<>();
    List<Map<String, Object>> backupStates = new ArrayList<>();
    List<Map<String, Object>> ranges = new ArrayList<>();
    java.util.SortedSet<Integer> partitionIds = new java.util.TreeSet<>(byPartition.keySet());
    partitionIds.addAll(brokerCheckpoints.keySet());
    for (int partitionId : partitionIds) {
      List<ObjectNode> manifests = byPartition.getOrDefault(partitionId, List.of()).stream()
          .sorted(Comparator.comparingLong(m -> m.path("backupId").asLong())).toList();
      PartitionState.Checkpoint known = brokerCheckpoints.get(partitionId);
      if (known != null) {
        checkpointStates.add(checkpoint(known, partitionId));
      } else {
        checkpointStates.add(checkpoint(manifests.getLast(), partitionId, false));
      }
      List<ObjectNode> completed = manifests.stream().filter(m -> m.path("state").asText().equals("COMPLETED"))
          .filter(m -> onHistory.getOrDefault(partitionId, java.util.Set.of()).isEmpty()
              || onHistory.get(partitionId).contains(m.path("backupId").asLong()))
          .toList();
      if (!completed.isEmpty()) {
        backupStates.add(checkpoint(completed.getLast(), partitionId, true));
      }
      // ranges are tracked only with continuous backups (reference 9: `continuous` ... "track backup ranges")
      for (List<ObjectNode> range : settings.continuousBackups() ? backupRanges(completed) : List.<List<ObjectNode>>of()) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("partitionId", partitionId);
        entry.put("start", checkpoint(range.getFirst(), null, true));
        entry.put("end", checkpoint(range.getLast(), null, true));
        ranges.add(entry);
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("checkpointStates", checkpointStates);
    body.put("backupStates", backupStates);
    body.put("ranges", ranges);
    return Response.json(200, body);
  }

  /**
   * Splits one partition's COMPLETED manifests, sorted by ID, into ranges of backups whose logs
   * chain without a gap. Manifests without {@code firstLogPosition} (before 8.9) chain always.
   */
  static List<List<ObjectNode>> backupRanges(List<ObjectNode> completedSortedById) {
    List<List<ObjectNode>> ranges = new ArrayList<>();
    for (ObjectNode manifest : completedSortedById) {
      if (!ranges.isEmpty()) {
        ObjectNode previous = ranges.getLast().getLast();
        if (firstLogPosition(manifest) <= previous.path("checkpointPosition").asLong() + 1) {
          ranges.getLast().add(manifest);
          continue;
        }
      }
      ranges.add(new ArrayList<>(List.of(manifest)));
    }
    return ranges;
  }

  static long firstLogPosition(ObjectNode manifest) {
    return manifest.path("firstLogPosition").asLong(1);
  }

  static CheckpointType checkpointType(ObjectNode manifest) {
    return CheckpointType.valueOf(manifest.path("checkpointType").asText(CheckpointType.MANUAL_BACKUP.name()));
  }

  static Instant checkpointTimestamp(ObjectNode manifest) {
    return Instant.parse(manifest.path("checkpointTimestamp").asText(manifest.path("createdAt").asText()));
  }

  private static Map<String, Object> checkpoint(PartitionState.Checkpoint known, int partitionId) {
    Map<String, Object> checkpoint = new LinkedHashMap<>();
    checkpoint.put("checkpointId", known.id());
    checkpoint.put("partitionId", partitionId);
    checkpoint.put("checkpointType", known.type().name());
    checkpoint.put("checkpointPosition", known.position());
    checkpoint.put("checkpointTimestamp", known.timestamp().toString());
    return checkpoint;
  }

  /** A checkpoint or backup state from a manifest; {@code partitionId} null inside a range. */
  private static Map<String, Object> checkpoint(ObjectNode manifest, Integer partitionId, boolean withFirstLogPosition) {
    Map<String, Object> checkpoint = new LinkedHashMap<>();
    checkpoint.put("checkpointId", manifest.path("backupId").asLong());
    if (partitionId != null) {
      checkpoint.put("partitionId", partitionId);
    }
    checkpoint.put("checkpointType", checkpointType(manifest).name());
    checkpoint.put("checkpointPosition", manifest.path("checkpointPosition").asLong());
    checkpoint.put("checkpointTimestamp", checkpointTimestamp(manifest).toString());
    if (withFirstLogPosition) {
      checkpoint.put("firstLogPosition", firstLogPosition(manifest));
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
        if (manifest.has("firstLogPosition")) {
          detail.put("firstLogPosition", manifest.path("firstLogPosition").asLong()); // 8.9 (reference 2.3)
        }
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
