package io.github.c8backup.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import org.testcontainers.containers.output.OutputFrame;

/**
 * Writes container output to {@code target/docker-logs/<name>.log}: Camunda's log is far too long
 * for the test output, and a container removed by a restore takes its own log with it. CI keeps
 * the folder when the Docker tests fail.
 */
final class ContainerLogFiles {

  static final Path DIRECTORY = Path.of("target", "docker-logs");

  /** Appends every frame of one container to {@code <name>.log}. */
  Consumer<OutputFrame> consumer(String name) {
    Path file = file(name);
    return frame -> {
      String text = frame.getUtf8String();
      if (!text.isEmpty()) {
        append(file, text);
      }
    };
  }

  /** Replaces {@code <name>.log} with {@code text}. */
  void write(String name, String text) {
    try {
      Files.writeString(file(name), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static synchronized void append(Path file, String text) {
    try {
      Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path file(String name) {
    try {
      Files.createDirectories(DIRECTORY);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return DIRECTORY.resolve(name + ".log");
  }
}
