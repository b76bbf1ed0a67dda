package io.github.c8backup.sandbox.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child process of the sandbox whose output goes to a log file in its run folder. It is stopped,
 * with everything it started, on {@link #close()} or when the JVM shuts down (Ctrl-C), and then its
 * run folder is deleted. In between it can be {@linkplain #stop() stopped} and
 * {@linkplain #restart() started again} with the same command in the same run folder, for tests of
 * an outage.
 */
final class ManagedProcess implements AutoCloseable {

  private static final Duration GRACE = Duration.ofSeconds(20);
  private static final Duration FORCED = Duration.ofSeconds(10);

  private final String name;
  private final ProcessBuilder builder;
  private final Path log;
  private final Path runDirectory;
  private final Thread shutdownHook;
  private volatile Process process;
  private boolean closed;

  private ManagedProcess(String name, ProcessBuilder builder, Process process, Path log, Path runDirectory) {
    this.name = name;
    this.builder = builder;
    this.process = process;
    this.log = log;
    this.runDirectory = runDirectory;
    this.shutdownHook = new Thread(this::stopAndDelete, "sandbox-stop-" + name);
  }

  /**
   * Starts {@code command} in {@code runDirectory}. {@code environment} entries with a null value
   * are removed from the inherited environment.
   */
  static ManagedProcess start(String name, List<String> command, Map<String, String> environment,
      Path runDirectory) {
    Path log = runDirectory.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(runDirectory.toFile())
        .redirectErrorStream(true)
        // appended, so that the output before a restart stays readable
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    environment.forEach((key, value) -> {
      if (value == null) {
        builder.environment().remove(key);
      } else {
        builder.environment().put(key, value);
      }
    });
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      SandboxDirectories.deleteRecursively(runDirectory);
      throw new UncheckedIOException("Could not start " + name + ": " + String.join(" ", command), e);
    }
    ManagedProcess managed = new ManagedProcess(name, builder, process, log, runDirectory);
    Runtime.getRuntime().addShutdownHook(managed.shutdownHook);
    SandboxDirectories.recordProcess(runDirectory, process.pid());
    return managed;
  }

  /**
   * Stops the process and everything it started, as {@link #close()} does, but keeps the run
   * folder: its data, configuration and log survive for {@link #restart()}. Idempotent.
   */
  synchronized void stop() {
    requireOpen();
    stopTree();
  }

  /** Starts the same command again in the same run folder, stopping the running one first. */
  synchronized void restart() {
    requireOpen();
    stopTree();
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start " + name + " again: " + String.join(" ", builder.command()), e);
    }
    SandboxDirectories.recordProcess(runDirectory, process.pid());
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException(name + " is closed: its run folder " + runDirectory + " is gone");
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  Path log() {
    return log;
  }

  /** The last lines of the process output, for exception messages. */
  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  String failureDetails() {
    String exit = process.isAlive() ? "still running" : "exited with " + process.exitValue();
    return name + " (" + exit + "); last lines of " + log + ":\n" + tail(40);
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook does the same work
    }
    stopAndDelete();
  }

  private synchronized void stopAndDelete() {
    if (closed) {
      return;
    }
    closed = true;
    stopTree();
    try {
      SandboxDirectories.deleteRecursively(runDirectory);
    } catch (UncheckedIOException e) {
      System.err.println("Could not delete " + runDirectory + ": " + e.getMessage());
    }
  }

  /**
   * Collects the tree before signalling anything: once the launcher dies, its children are
   * re-parented and no longer found as descendants (Elasticsearch's launcher starts the server as
   * a child JVM).
   */
  private void stopTree() {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(process.toHandle());
    process.descendants().forEach(tree::add);
    tree.forEach(ProcessHandle::destroy);
    List<ProcessHandle> survivors = awaitExit(tree, GRACE);
    if (!survivors.isEmpty()) {
      survivors.forEach(ProcessHandle::destroyForcibly);
      survivors = awaitExit(survivors, FORCED);
      if (!survivors.isEmpty()) {
        System.err.println("Could not stop " + name + ": still running " + survivors);
      }
    }
  }

  private static List<ProcessHandle> awaitExit(List<ProcessHandle> handles, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<ProcessHandle> survivors = new ArrayList<>();
    for (ProcessHandle handle : handles) {
      try {
        handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        survivors.add(handle);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        survivors.add(handle);
      } catch (ExecutionException e) {
        survivors.add(handle);
      }
    }
    return survivors;
  }
}
