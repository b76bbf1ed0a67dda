package io.github.c8backup.sandbox.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's Zeebe restore application ({@code bin/restore --backupId=<id>}, reference 7.3)
 * for one broker node: refuses a data directory that is not empty, then, partition by partition,
 * reads the backup's manifest and snapshot content back from the S3 store, validates it (exists,
 * COMPLETED, taken with the configured partition count) and writes the partition state into the
 * data directory. A failure after the emptiness check deletes what was written, like the real
 * application ("Failed to restore broker. Deleting data directory").
 *
 * <p>8.9 with RDBMS secondary storage it also runs without {@code --backupId} (reference 7.5):
 * {@link #restoreAligned} reads every partition's {@code EXPORTER_POSITION} from the database,
 * starts each partition from the latest backup at or before that position and chains the log of the
 * following backups of the same range onto it, up to the latest backup common to all partitions
 * (default mode) or to the latest checkpoint at or before {@code --to}.
 */
final class SimulatedRestoreApplication {

  private static final Logger LOG = LoggerFactory.getLogger(CamundaTargetSimulator.class);
  private static final String SNAPSHOT_CONTENT = "snapshot/" + BrokerDataDirectory.STATE_FILE;

  private final SimulatorSettings settings;
  private final ZeebeBackupStore store;
  private final RdbmsExporter rdbms;
  private final ObjectMapper mapper;

  /** @param rdbms the database holding {@code EXPORTER_POSITION}, null without RDBMS secondary storage */
  SimulatedRestoreApplication(SimulatorSettings settings, ZeebeBackupStore store, RdbmsExporter rdbms, ObjectMapper mapper) {
    this.settings = settings;
    this.store = store;
    this.rdbms = rdbms;
    this.mapper = mapper;
  }

  /** Restores the node's partitions from {@code backupId}; returns the lines it logged. */
  List<String> restore(BrokerDataDirectory target, long backupId) {
    if (!target.isEmptyForRestore()) {
      // the real message, typo included (RestoreApp, reference 7.3)
      throw fail("Brokers's data directory " + target.path() + " is not empty. Aborting restore to avoid "
          + "overwriting data. Please restart with a clean directory.");
    }
    List<String> log = new ArrayList<>();
    try {
      List<ObjectNode> manifests = store.manifests(backupId, settings.partitions());
      for (int partition = 1; partition <= settings.partitions(); partition++) {
        ObjectNode manifest = manifestOf(manifests, partition, backupId);
        ObjectNode state = download(manifest, partition, backupId);
        // the restored log ends at this backup's checkpoint, all of it backed up
        state.put("backedUpPosition", manifest.path("checkpointPosition").asLong());
        target.writePartition(partition, state);
        log.add(info("Successfully restored partition " + partition + " from backup " + backupId
            + ". Backup description: " + description(manifest, backupId)));
      }
    } catch (BrokerRestoreFailed e) {
      wipeAfterFailure(target, e);
      throw e;
    } catch (RuntimeException e) {
      BrokerRestoreFailed failure = fail("Failed to restore broker from backup " + backupId + ": " + e.getMessage());
      wipeAfterFailure(target, failure);
      throw failure;
    }
    log.add(info("Successfully restored broker from backup " + backupId));
    return log;
  }

  /**
   * {@code bin/restore --backupId=<id>,<id>,...}: restores every partition from the first backup's
   * snapshot and chains the log of the following ones onto it, up to the last backup's checkpoint
   * (camunda/camunda#36159, "restore from multiple backups, as long as they are contiguous"). The
   * same IDs apply to every partition; the RDBMS's exporter position is not consulted (reference
   * 7.5: own risk). Any backup in the store counts, also one the partition's metadata no longer
   * lists, which is how a history a restore left behind can be restored again.
   */
  List<String> restore(BrokerDataDirectory target, List<Long> backupIds) {
    if (backupIds.size() == 1) {
      return restore(target, backupIds.getFirst());
    }
    if (!target.isEmptyForRestore()) {
      throw fail("Brokers's data directory " + target.path() + " is not empty. Aborting restore to avoid "
          + "overwriting data. Please restart with a clean directory.");
    }
    List<String> log = new ArrayList<>();
    try {
      for (int partition = 1; partition <= settings.partitions(); partition++) {
        List<ObjectNode> chain = new ArrayList<>();
        for (long backupId : backupIds) {
          chain.add(manifestOf(store.manifests(backupId, settings.partitions()), partition, backupId));
        }
        ObjectNode state = replay(partition, chain, chain.getLast().path("checkpointPosition").asLong());
        target.writePartition(partition, state);
        log.add(info("Successfully restored partition " + partition + " from backups " + backupIds + "."));
      }
    } catch (BrokerRestoreFailed e) {
      wipeAfterFailure(target, e);
      throw e;
    } catch (RuntimeException e) {
      BrokerRestoreFailed failure = fail("Failed to restore broker from backups " + backupIds + ": " + e.getMessage());
      wipeAfterFailure(target, failure);
      throw failure;
    }
    log.add(info("Successfully restored broker from backups " + backupIds));
    return log;
  }

  /**
   * {@code bin/restore} without {@code --backupId} on an RDBMS cluster (reference 7.5): the default
   * mode ({@code to} null) or {@code --to}. Per partition it reads {@code EXPORTER_POSITION}, picks
   * the restore point common to all partitions (default: the latest backup; {@code --to}: the
   * latest backup or MARKER checkpoint at or before {@code to}), refuses when that point lies below
   * a partition's exported position (the secondary storage would be ahead of the primary), starts
   * from the latest backup at or before the exported position in the range of the restore point,
   * and replays the log of the following backups up to the restore point. Fails, leaving the data
   * directory empty, on a missing exporter position, a range gap between the exported position and
   * the restore point, or no usable backup.
   *
   * @return the lines it logged, ending with {@code Successfully restored broker to global checkpoint <id>}
   */
  List<String> restoreAligned(BrokerDataDirectory target, Instant to) {
    if (rdbms == null) {
      // RestoreManager.restore(from, to, ...) without an RDBMS (reference 7.3, 7.5)
      throw fail("Expected `from` to not be null, but got <null>. When the restore is not using a RDBMS as secondary "
          + "storage, `from` parameter is required");
    }
    if (!target.isEmptyForRestore()) {
      throw fail("Brokers's data directory " + target.path() + " is not empty. Aborting restore to avoid "
          + "overwriting data. Please restart with a clean directory.");
    }
    List<String> log = new ArrayList<>();
    long global;
    try {
      Map<Integer, Long> exported = exportedPositions();
      log.add(info("Exported positions for all partitions: " + exported));
      Map<Integer, List<ObjectNode>> completed = completedBackups();
      RestorePoint point = restorePoint(completed, exported, to);
      global = point.checkpointId();
      Map<Integer, List<Long>> chains = new TreeMap<>();
      Map<Integer, ObjectNode> states = new TreeMap<>();
      for (int partition = 1; partition <= settings.partitions(); partition++) {
        List<ObjectNode> chain = chain(partition, completed.get(partition), exported.get(partition), point);
        chains.put(partition, chain.stream().map(m -> m.path("backupId").asLong()).toList());
        states.put(partition, replay(partition, chain, point.positions().get(partition)));
      }
      log.add(info("Restoring RDBMS backups in range [null," + to + "] to global checkpoint " + point.checkpointId()
          + " (" + point.type() + " at " + point.timestamp() + "): " + chains));
      for (var entry : states.entrySet()) {
        target.writePartition(entry.getKey(), entry.getValue());
        log.add(info("Successfully restored partition " + entry.getKey() + " from backups " + chains.get(entry.getKey()) + "."));
      }
    } catch (BrokerRestoreFailed e) {
      wipeAfterFailure(target, e);
      throw e;
    } catch (RuntimeException e) {
      BrokerRestoreFailed failure = fail("Failed to restore broker: " + e.getMessage());
      wipeAfterFailure(target, failure);
      throw failure;
    }
    log.add(info("Successfully restored broker to global checkpoint " + global));
    return log;
  }

  /** The checkpoint every partition is restored to, with its log position per partition. */
  private record RestorePoint(long checkpointId, CheckpointType type, Instant timestamp, Map<Integer, Long> positions,
      Map<Integer, ObjectNode> lastBackups) {}

  private Map<Integer, Long> exportedPositions() {
    Map<Integer, Long> exported = new TreeMap<>();
    for (int partition = 1; partition <= settings.partitions(); partition++) {
      try {
        int p = partition;
        exported.put(partition, rdbms.exportedPosition(partition).orElseThrow(() ->
            // RestoreManager.exportedPositions
            fail("No exported position found for partition " + p + " in RDBMS")));
      } catch (SQLException e) {
        throw fail("Cannot read the exported positions from the RDBMS " + rdbms.url() + ": " + e.getMessage());
      }
    }
    return exported;
  }

  /** Per partition its COMPLETED backups of this node, sorted by ID; DELETED, FAILED and IN_PROGRESS ones cannot be restored. */
  private Map<Integer, List<ObjectNode>> completedBackups() {
    Map<Integer, List<ObjectNode>> completed = new TreeMap<>();
    for (int partition = 1; partition <= settings.partitions(); partition++) {
      completed.put(partition, new ArrayList<>());
    }
    // 8.9 reads each partition's backup metadata, synced from the partition's state on every backup
    // confirmation (RestoreManager.loadMetadataForAllPartitions, camunda/camunda#46729): after a
    // restore, once the first backup of the new history is confirmed, the backups the restore left
    // behind are no longer listed and the default mode and --to cannot reach them. Stores written
    // before the simulator kept metadata have none: then every backup counts.
    Map<Integer, java.util.Set<Long>> listed = new TreeMap<>();
    for (int partition = 1; partition <= settings.partitions(); partition++) {
      int p = partition;
      store.metadata(partition).ifPresent(ids -> listed.put(p, ids));
    }
    store.allManifests().values().forEach(manifests -> manifests.stream()
        .filter(m -> m.path("state").asText().equals("COMPLETED"))
        .filter(m -> completed.containsKey(m.path("partitionId").asInt()))
        .filter(m -> !listed.containsKey(m.path("partitionId").asInt())
            || listed.get(m.path("partitionId").asInt()).contains(m.path("backupId").asLong()))
        .forEach(m -> completed.get(m.path("partitionId").asInt()).add(m)));
    for (var entry : completed.entrySet()) {
      if (entry.getValue().isEmpty()) {
        throw fail("No backup metadata found for partition " + entry.getKey());
      }
      entry.getValue().sort(Comparator.comparingLong(m -> m.path("backupId").asLong()));
    }
    return completed;
  }

  private RestorePoint restorePoint(Map<Integer, List<ObjectNode>> completed, Map<Integer, Long> exported, Instant to) {
    SortedSet<Long> common = null;
    for (List<ObjectNode> backups : completed.values()) {
      SortedSet<Long> ids = new TreeSet<>(backups.stream().map(m -> m.path("backupId").asLong()).toList());
      if (common == null) {
        common = ids;
      } else {
        common.retainAll(ids);
      }
    }
    Map<Long, ObjectNode> firstPartition = new LinkedHashMap<>();
    completed.get(1).forEach(m -> firstPartition.put(m.path("backupId").asLong(), m));
    List<Long> candidates = common.stream()
        .filter(id -> to == null || !SimulatedZeebe.checkpointTimestamp(firstPartition.get(id)).isAfter(to))
        .sorted(Comparator.reverseOrder()).toList();
    RestorePoint point;
    if (candidates.isEmpty() && to == null) {
      throw fail("Could not find common checkpoint across partitions. Completed backups per partition: "
          + idsPerPartition(completed));
    } else if (candidates.isEmpty()) {
      // a MARKER before the first backup is no restore point: there is no snapshot at or before it to start from
      throw fail("No backup at or before --to=" + to + " on every partition; the earliest common backup is "
          + common.stream().findFirst().map(String::valueOf).orElse("none") + ". Completed backups per partition: "
          + idsPerPartition(completed));
    } else {
      long id = candidates.getFirst();
      Map<Integer, Long> positions = new TreeMap<>();
      Map<Integer, ObjectNode> lastBackups = new TreeMap<>();
      completed.forEach((partition, backups) -> {
        ObjectNode manifest = backups.stream().filter(m -> m.path("backupId").asLong() == id).findFirst().orElseThrow();
        positions.put(partition, manifest.path("checkpointPosition").asLong());
        lastBackups.put(partition, manifest);
      });
      ObjectNode first = firstPartition.get(id);
      point = new RestorePoint(id, SimulatedZeebe.checkpointType(first), SimulatedZeebe.checkpointTimestamp(first),
          positions, lastBackups);
      if (to != null) {
        // a MARKER after the backup and at or before `to` is a closer restore point (checkpoint-interval, reference 9)
        point = markerBefore(completed, id, to).orElse(point);
      }
    }
    for (var entry : exported.entrySet()) {
      long position = point.positions().get(entry.getKey());
      if (position < entry.getValue()) {
        if (to == null) {
          throw fail("Cannot restore partition " + entry.getKey() + ": its exported position " + entry.getValue()
              + " in the RDBMS is beyond the latest backup common to all partitions, " + point.checkpointId()
              + " at checkpoint position " + position + ". The secondary storage is ahead of every backup: take a "
              + "backup (POST actuator/backupRuntime) or restore the RDBMS to an earlier point.");
        }
        throw fail("Cannot restore to --to=" + to + ": it is earlier than the RDBMS state. Partition " + entry.getKey()
            + " has exported position " + entry.getValue() + ", but the latest checkpoint at or before it, "
            + point.checkpointId() + " (" + point.type() + " at " + point.timestamp() + "), has position " + position
            + ", so the secondary storage would be ahead of the primary. Choose a --to no earlier than the RDBMS state.");
      }
    }
    return point;
  }

  /**
   * The latest MARKER checkpoint at or before {@code to} that lies after backup {@code afterBackupId}
   * and inside the log of the backup that follows it, on every partition.
   */
  private Optional<RestorePoint> markerBefore(Map<Integer, List<ObjectNode>> completed, long afterBackupId, Instant to) {
    Map<Long, Map<Integer, PartitionState.Checkpoint>> markers = new TreeMap<>(Comparator.reverseOrder());
    Map<Integer, ObjectNode> carriers = new TreeMap<>();
    for (var entry : completed.entrySet()) {
      ObjectNode next = entry.getValue().stream()
          .filter(m -> m.path("backupId").asLong() > afterBackupId)
          .findFirst().orElse(null);
      if (next == null) {
        return Optional.empty();
      }
      ObjectNode before = entry.getValue().stream().filter(m -> m.path("backupId").asLong() == afterBackupId).findFirst().orElseThrow();
      if (SimulatedZeebe.firstLogPosition(next) > before.path("checkpointPosition").asLong() + 1) {
        return Optional.empty(); // the next backup starts a new range: nothing after the backup is reachable
      }
      carriers.put(entry.getKey(), next);
      PartitionState log = new PartitionState(entry.getKey());
      log.replay(mapper, segmentOf(next, entry.getKey()), next.path("checkpointPosition").asLong());
      for (PartitionState.Checkpoint checkpoint : log.checkpoints) {
        if (checkpoint.type() == CheckpointType.MARKER && !checkpoint.timestamp().isAfter(to)) {
          markers.computeIfAbsent(checkpoint.id(), id -> new TreeMap<>()).put(entry.getKey(), checkpoint);
        }
      }
    }
    return markers.entrySet().stream()
        .filter(e -> e.getValue().size() == completed.size())
        .findFirst()
        .map(e -> {
          Map<Integer, Long> positions = new TreeMap<>();
          e.getValue().forEach((partition, checkpoint) -> positions.put(partition, checkpoint.position()));
          PartitionState.Checkpoint any = e.getValue().values().iterator().next();
          return new RestorePoint(e.getKey(), CheckpointType.MARKER, any.timestamp(), positions, carriers);
        });
  }

  /**
   * The backups one partition restores from: the latest backup at or before the exported position
   * in the range that holds the restore point, and every later backup of that range up to the one
   * that carries the restore point.
   */
  private List<ObjectNode> chain(int partition, List<ObjectNode> completed, long exported, RestorePoint point) {
    ObjectNode last = point.lastBackups().get(partition);
    List<List<ObjectNode>> ranges = SimulatedZeebe.backupRanges(completed);
    List<ObjectNode> range = ranges.stream()
        .filter(r -> r.stream().anyMatch(m -> m.path("backupId").asLong() == last.path("backupId").asLong()))
        .findFirst().orElseThrow();
    Optional<ObjectNode> start = range.stream()
        .filter(m -> m.path("checkpointPosition").asLong() <= exported)
        .filter(m -> m.path("backupId").asLong() <= last.path("backupId").asLong())
        .reduce((a, b) -> b);
    if (start.isEmpty()) {
      Optional<ObjectNode> earlier = completed.stream().filter(m -> m.path("checkpointPosition").asLong() <= exported).reduce((a, b) -> b);
      if (earlier.isPresent()) {
        // BackupRangeResolver.ReachabilityValidator's message, with the ranges that explain it
        throw fail("Partition " + partition + ": backup range [" + id(range.getFirst()) + ", " + id(range.getLast())
            + "] does not cover required range [" + id(earlier.get()) + ", " + point.checkpointId() + "]: the log between "
            + "the RDBMS's exported position " + exported + " and the restore point has a gap. Backup ranges: "
            + rangesText(ranges));
      }
      throw fail("No safe start checkpoint found for partition " + partition + " with exported position " + exported
          + ": the earliest backup, " + id(completed.getFirst()) + ", has checkpoint position "
          + completed.getFirst().path("checkpointPosition").asLong());
    }
    List<ObjectNode> chain = range.stream()
        .filter(m -> m.path("backupId").asLong() >= id(start.get()) && m.path("backupId").asLong() <= id(last))
        .toList();
    for (ObjectNode manifest : chain) {
      int backupPartitions = numberOfPartitions(manifest, id(manifest));
      if (backupPartitions != settings.partitions()) {
        throw fail("Expected backup to have " + settings.partitions() + " partitions, but has " + backupPartitions);
      }
    }
    return chain;
  }

  /** The first backup's snapshot, then the log of each following backup up to the restore point. */
  private ObjectNode replay(int partition, List<ObjectNode> chain, long untilPosition) {
    ObjectNode first = chain.getFirst();
    PartitionState state = PartitionState.fromJson(download(first, partition, id(first)), partition);
    long previousCheckpoint = first.path("checkpointPosition").asLong();
    for (ObjectNode next : chain.subList(1, chain.size())) {
      long firstLog = SimulatedZeebe.firstLogPosition(next);
      if (firstLog > previousCheckpoint + 1) {
        // BackupRangeResolver.validateBackupChainOverlaps
        throw fail("Partition " + partition + ": has gap in log positions - backup " + id(chain.get(chain.indexOf(next) - 1))
            + " ends at position " + previousCheckpoint + ", but backup " + id(next) + " starts at position " + firstLog
            + " (expected " + (previousCheckpoint + 1) + ")");
      }
      state.replay(mapper, segmentOf(next, partition), Math.min(next.path("checkpointPosition").asLong(), untilPosition));
      previousCheckpoint = next.path("checkpointPosition").asLong();
    }
    state.exportedPosition = Math.min(state.exportedPosition, state.position);
    state.backedUpPosition = Math.min(previousCheckpoint, state.position);
    ObjectNode json = state.toJson(mapper);
    json.put("partitionId", partition);
    return json;
  }

  private String segmentOf(ObjectNode manifest, int partition) {
    for (JsonNode content : manifest.path("contents")) {
      if (content.asText().endsWith(SimulatedZeebe.SEGMENT)) {
        return store.content(content.asText()).orElseThrow(() ->
            new IllegalStateException("log segment of backup " + id(manifest) + " of partition " + partition + " missing from the store"));
      }
    }
    throw fail("Backup " + id(manifest) + " of partition " + partition + " lists no log segment");
  }

  private static long id(ObjectNode manifest) {
    return manifest.path("backupId").asLong();
  }

  private static String idsPerPartition(Map<Integer, List<ObjectNode>> completed) {
    Map<Integer, List<Long>> ids = new TreeMap<>();
    completed.forEach((partition, backups) -> ids.put(partition, backups.stream().map(SimulatedRestoreApplication::id).toList()));
    return ids.toString();
  }

  private static String rangesText(List<List<ObjectNode>> ranges) {
    return ranges.stream().map(r -> "[" + id(r.getFirst()) + ", " + id(r.getLast()) + "]").toList().toString();
  }

  private ObjectNode manifestOf(List<ObjectNode> manifests, int partition, long backupId) {
    // one manifest per node that led the partition when the backup was taken; a completed one wins
    Optional<ObjectNode> found = manifests.stream()
        .filter(m -> m.path("partitionId").asInt() == partition)
        .max(Comparator.comparing((ObjectNode m) -> m.path("state").asText().equals("COMPLETED"))
            .thenComparing(m -> m.path("lastUpdatedAt").asText()));
    if (found.isEmpty()) {
      // the backup stores' ERROR_MSG_BACKUP_NOT_FOUND
      throw fail("Expected to restore from backup with id '" + backupId + "', but does not exist.");
    }
    ObjectNode manifest = found.get();
    String state = manifest.path("state").asText();
    if (!state.equals("COMPLETED")) {
      // the backup stores' ERROR_MSG_BACKUP_WRONG_STATE_TO_RESTORE
      throw fail("Expected to restore from completed backup with id '" + backupId + "', but was in state '" + state + "'");
    }
    int backupPartitions = numberOfPartitions(manifest, backupId);
    if (backupPartitions != settings.partitions()) {
      // zeebe.restore.validateConfig=true (the default): ValidatePartitionCount, camunda/camunda#15814
      throw fail("Expected backup to have " + settings.partitions() + " partitions, but has " + backupPartitions);
    }
    return manifest;
  }

  /** The descriptor's numberOfPartitions; manifests written before it was recorded count the store's partitions. */
  private int numberOfPartitions(ObjectNode manifest, long backupId) {
    JsonNode recorded = manifest.path("numberOfPartitions");
    return recorded.canConvertToInt() ? recorded.asInt() : store.partitionsOf(backupId).size();
  }

  private ObjectNode download(ObjectNode manifest, int partition, long backupId) {
    String key = null;
    for (JsonNode content : manifest.path("contents")) {
      if (content.asText().endsWith(SNAPSHOT_CONTENT)) {
        key = content.asText();
      }
    }
    if (key == null) {
      throw fail("Backup " + backupId + " of partition " + partition + " lists no snapshot content");
    }
    String text = store.content(key).orElseThrow(() -> new IllegalStateException("content object missing from the store"));
    try {
      ObjectNode state = (ObjectNode) mapper.readTree(text);
      state.put("partitionId", partition);
      return state;
    } catch (IOException e) {
      throw new IllegalStateException("unreadable snapshot content of partition " + partition, e);
    }
  }

  private String description(ObjectNode manifest, long backupId) {
    return "BackupDescriptorImpl[snapshotId=Optional[" + manifest.path("snapshotId").asText()
        + "], checkpointPosition=" + manifest.path("checkpointPosition").asLong()
        + ", numberOfPartitions=" + numberOfPartitions(manifest, backupId)
        + ", brokerVersion=" + manifest.path("brokerVersion").asText() + "]";
  }

  private static void wipeAfterFailure(BrokerDataDirectory target, BrokerRestoreFailed failure) {
    LOG.error("[camunda-simulator] Failed to restore broker. Deleting data directory {}: {}", target.path(), failure.getMessage());
    target.wipe();
  }

  private static String info(String line) {
    LOG.info("[camunda-simulator] {}", line);
    return line;
  }

  private static BrokerRestoreFailed fail(String message) {
    return new BrokerRestoreFailed(message);
  }
}
