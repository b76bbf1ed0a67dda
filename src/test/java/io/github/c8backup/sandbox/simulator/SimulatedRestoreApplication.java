package io.github.c8backup.sandbox.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's Zeebe restore application ({@code bin/restore --backupId=<id>}, reference 7.3)
 * for one broker node: refuses a data directory that is not empty, then, partition by partition,
 * reads the backup's manifest and snapshot content back from the S3 store, validates it (exists,
 * COMPLETED, taken with the configured partition count) and writes the partition state into the
 * data directory. A failure after the emptiness check deletes what was written, like the real
 * application ("Failed to restore broker. Deleting data directory").
 */
final class SimulatedRestoreApplication {

  private static final Logger LOG = LoggerFactory.getLogger(CamundaTargetSimulator.class);
  private static final String SNAPSHOT_CONTENT = "snapshot/" + BrokerDataDirectory.STATE_FILE;

  private final SimulatorSettings settings;
  private final ZeebeBackupStore store;
  private final ObjectMapper mapper;

  SimulatedRestoreApplication(SimulatorSettings settings, ZeebeBackupStore store, ObjectMapper mapper) {
    this.settings = settings;
    this.store = store;
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
