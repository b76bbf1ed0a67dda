package io.github.c8backup.sandbox.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a simulated broker knows about one partition, kept in its data directory and in a backup's
 * snapshot content: the log position, the acknowledged exported position, the process instances
 * with the position of their record, the checkpoints taken on the log, and (continuous backups) the
 * position up to which the log is backed up. The simulated log is never compacted, so the instances
 * and checkpoints are the log; {@link #segment} cuts the part a backup carries.
 *
 * <p>JSON fields: {@code partitionId}, {@code position}, {@code exportedPosition},
 * {@code processInstanceKeys} (as before 8.9 support, kept for readers of old directories),
 * {@code instances}, {@code checkpoints}, {@code backedUpPosition}.
 */
final class PartitionState {

  /** A process instance's creation record on the log. */
  record Instance(long key, String bpmnProcessId, long position, Instant startDate) {}

  /** A checkpoint record on the log; backups and MARKERs alike. */
  record Checkpoint(long id, CheckpointType type, long position, Instant timestamp) {}

  final int partitionId;
  long position;
  long exportedPosition;
  /** Continuous backups: the log up to here is in a completed backup, so compaction may drop it. */
  long backedUpPosition;
  final List<Instance> instances = new ArrayList<>();
  final List<Checkpoint> checkpoints = new ArrayList<>();

  PartitionState(int partitionId) {
    this.partitionId = partitionId;
  }

  List<Long> keys() {
    return instances.stream().map(Instance::key).toList();
  }

  Optional<Checkpoint> lastCheckpoint() {
    return checkpoints.isEmpty() ? Optional.empty() : Optional.of(checkpoints.getLast());
  }

  PartitionState copy() {
    PartitionState copy = new PartitionState(partitionId);
    copy.position = position;
    copy.exportedPosition = exportedPosition;
    copy.backedUpPosition = backedUpPosition;
    copy.instances.addAll(instances);
    copy.checkpoints.addAll(checkpoints);
    return copy;
  }

  ObjectNode toJson(ObjectMapper mapper) {
    ObjectNode state = mapper.createObjectNode();
    state.put("partitionId", partitionId);
    state.put("position", position);
    state.put("exportedPosition", exportedPosition);
    state.set("processInstanceKeys", mapper.valueToTree(keys()));
    ArrayNode instancesNode = state.putArray("instances");
    instances.forEach(instance -> instancesNode.add(instanceJson(mapper, instance)));
    ArrayNode checkpointsNode = state.putArray("checkpoints");
    checkpoints.forEach(checkpoint -> checkpointsNode.add(checkpointJson(mapper, checkpoint)));
    state.put("backedUpPosition", backedUpPosition);
    return state;
  }

  /** Reads a state; directories and snapshots written before the log was kept have keys only (position 0). */
  static PartitionState fromJson(JsonNode json, int partitionId) {
    PartitionState state = new PartitionState(partitionId);
    state.position = json.path("position").asLong();
    state.exportedPosition = json.path("exportedPosition").asLong();
    state.backedUpPosition = json.path("backedUpPosition").asLong();
    if (json.has("instances")) {
      json.path("instances").forEach(node -> state.instances.add(instance(node)));
    } else {
      json.path("processInstanceKeys").forEach(key ->
          state.instances.add(new Instance(key.asLong(), "unknown", 0, Instant.EPOCH)));
    }
    json.path("checkpoints").forEach(node -> state.checkpoints.add(checkpoint(node)));
    return state;
  }

  /**
   * The log a backup carries, {@code [firstPosition, lastPosition]}: one JSON document per line, a
   * process instance ({@code "record":"PROCESS_INSTANCE"}) or a checkpoint ({@code "record":"CHECKPOINT"}).
   */
  String segment(ObjectMapper mapper, long firstPosition, long lastPosition) {
    StringBuilder lines = new StringBuilder();
    for (Instance instance : instances) {
      if (instance.position() >= firstPosition && instance.position() <= lastPosition) {
        lines.append(instanceJson(mapper, instance).put("record", "PROCESS_INSTANCE")).append('\n');
      }
    }
    for (Checkpoint checkpoint : checkpoints) {
      if (checkpoint.position() >= firstPosition && checkpoint.position() <= lastPosition) {
        lines.append(checkpointJson(mapper, checkpoint).put("record", "CHECKPOINT")).append('\n');
      }
    }
    return lines.toString();
  }

  /**
   * Replays a segment onto this state: every record above the current position and at most
   * {@code untilPosition} is appended, and the position moves to {@code untilPosition}. This is how
   * the restore application chains the log of later backups onto the first backup's snapshot.
   */
  void replay(ObjectMapper mapper, String segment, long untilPosition) {
    List<JsonNode> records = new ArrayList<>();
    for (String line : segment.split("\n")) {
      if (!line.isBlank()) {
        try {
          records.add(mapper.readTree(line));
        } catch (IOException e) {
          throw new UncheckedIOException("unreadable log record of partition " + partitionId + ": " + line, e);
        }
      }
    }
    records.sort((a, b) -> Long.compare(a.path("position").asLong(), b.path("position").asLong()));
    for (JsonNode record : records) {
      long recordPosition = record.path("position").asLong();
      if (recordPosition <= position || recordPosition > untilPosition) {
        continue;
      }
      if (record.path("record").asText().equals("CHECKPOINT")) {
        checkpoints.add(checkpoint(record));
      } else {
        instances.add(instance(record));
      }
    }
    position = Math.max(position, untilPosition);
  }

  static ObjectNode checkpointJson(ObjectMapper mapper, Checkpoint checkpoint) {
    ObjectNode node = mapper.createObjectNode();
    node.put("checkpointId", checkpoint.id());
    node.put("checkpointType", checkpoint.type().name());
    node.put("position", checkpoint.position());
    node.put("checkpointTimestamp", checkpoint.timestamp().toString());
    return node;
  }

  private static ObjectNode instanceJson(ObjectMapper mapper, Instance instance) {
    ObjectNode node = mapper.createObjectNode();
    node.put("key", instance.key());
    node.put("bpmnProcessId", instance.bpmnProcessId());
    node.put("position", instance.position());
    node.put("startDate", instance.startDate().toString());
    return node;
  }

  private static Instance instance(JsonNode node) {
    return new Instance(node.path("key").asLong(), node.path("bpmnProcessId").asText(),
        node.path("position").asLong(), Instant.parse(node.path("startDate").asText(Instant.EPOCH.toString())));
  }

  private static Checkpoint checkpoint(JsonNode node) {
    return new Checkpoint(node.path("checkpointId").asLong(), CheckpointType.valueOf(node.path("checkpointType").asText()),
        node.path("position").asLong(), Instant.parse(node.path("checkpointTimestamp").asText()));
  }
}
