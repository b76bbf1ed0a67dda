package io.github.c8backup.sandbox.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The data directory of one simulated broker node, {@code <dataDirectory>/node-<nodeId>/}, laid out
 * like a real broker's: {@code raft-partition/partitions/<partitionId>/} per partition. Instead of
 * a log and RocksDB snapshots each partition holds one {@value #STATE_FILE} with what the
 * simulator needs to survive a restart: {@code partitionId}, {@code position},
 * {@code exportedPosition} and {@code processInstanceKeys}, the same document a Zeebe backup's
 * snapshot content object carries. Files are replaced atomically, so a crash never leaves half a
 * state behind.
 */
final class BrokerDataDirectory {

  static final String STATE_FILE = "simulated-partition-state.json";
  /** {@code zeebe.restore.ignoreFilesInTarget} default (reference 7.3). */
  static final List<String> IGNORED_BY_RESTORE = List.of("lost+found");

  private final Path root;
  private final ObjectMapper mapper;

  BrokerDataDirectory(Path dataDirectory, int nodeId, ObjectMapper mapper) {
    this.root = dataDirectory.resolve("node-" + nodeId);
    this.mapper = mapper;
  }

  Path path() {
    return root;
  }

  Path partitionDirectory(int partitionId) {
    return root.resolve("raft-partition").resolve("partitions").resolve(String.valueOf(partitionId));
  }

  Optional<ObjectNode> readPartition(int partitionId) {
    Path file = partitionDirectory(partitionId).resolve(STATE_FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of((ObjectNode) mapper.readTree(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable broker state " + file, e);
    }
  }

  void writePartition(int partitionId, ObjectNode state) {
    Path directory = partitionDirectory(partitionId);
    try {
      Files.createDirectories(directory);
      Path temporary = Files.createTempFile(directory, STATE_FILE, ".tmp");
      Files.writeString(temporary, state.toPrettyString());
      try {
        Files.move(temporary, directory.resolve(STATE_FILE), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, directory.resolve(STATE_FILE), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write broker state of partition " + partitionId + " to " + directory, e);
    }
  }

  /** Empty as the restore application sees it: missing, or holding only ignored entries. */
  boolean isEmptyForRestore() {
    if (!Files.exists(root)) {
      return true;
    }
    try (Stream<Path> entries = Files.list(root)) {
      return entries.noneMatch(entry -> !IGNORED_BY_RESTORE.contains(entry.getFileName().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  /** Deletes everything inside the node's directory; the directory itself stays. */
  void wipe() {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> entries = Files.list(root)) {
      for (Path entry : entries.toList()) {
        deleteRecursively(entry);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot wipe " + root, e);
    }
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
