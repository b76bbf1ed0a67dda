package io.github.c8backup.sandbox.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox's working folders: {@code dist/} (extracted distributions, kept between runs) and
 * {@code runs/} (one folder per started process, deleted when it stops). Not under /root: when
 * running as root the search engines run as nobody and must reach them.
 */
final class SandboxDirectories {

  static final String WORK_DIR_PROPERTY = "sandbox.work.dir";
  static final String WORK_DIR_ENV = "SANDBOX_WORK_DIR";
  private static final String OWNER_FILE = "owner";
  private static final String PIDS_FILE = "pids";

  private static boolean staleRunsReaped;

  private SandboxDirectories() {}

  static Path root() {
    String configured = System.getProperty(WORK_DIR_PROPERTY, System.getenv(WORK_DIR_ENV));
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    String base = "/var/tmp/c8-backup-sandbox";
    return Path.of(UnprivilegedUser.needed() ? base : base + "-" + System.getProperty("user.name"));
  }

  static Path distributions() {
    return shared(root().resolve("dist"));
  }

  /** A fresh folder for one process; removes folders left behind by JVMs that were killed. */
  static synchronized Path newRun(String name) {
    Path runs = shared(root().resolve("runs"));
    if (!staleRunsReaped) {
      staleRunsReaped = true;
      reapStaleRuns(runs);
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    String suffix = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    Path run = runs.resolve(name + "-" + stamp + "-" + suffix);
    try {
      Files.createDirectories(run);
      ProcessHandle self = ProcessHandle.current();
      Files.writeString(run.resolve(OWNER_FILE), self.pid() + " " + startMillis(self).orElse(0L) + "\n");
      return run;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create " + run, e);
    }
  }

  /** Remembers a started process so that a later JVM can stop it if this one is killed. */
  static void recordProcess(Path run, long pid) {
    try {
      Files.writeString(run.resolve(PIDS_FILE), pid + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + run.resolve(PIDS_FILE), e);
    }
  }

  static void deleteRecursively(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try {
      Files.walkFileTree(path, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
          }
          throw e;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("Could not delete " + path, e);
    }
  }

  private static Path shared(Path directory) {
    try {
      Files.createDirectories(directory);
      for (Path dir = directory; dir != null && dir.startsWith(root()); dir = dir.getParent()) {
        if (Files.getOwner(dir).getName().equals(System.getProperty("user.name"))) {
          Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
      }
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create " + directory
          + " (set -D" + WORK_DIR_PROPERTY + " or " + WORK_DIR_ENV + " to use another folder)", e);
    }
  }

  private static void reapStaleRuns(Path runs) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(runs)) {
      for (Path run : entries) {
        if (Files.isDirectory(run) && !ownerAlive(run)) {
          stopLeftovers(run);
          try {
            deleteRecursively(run);
          } catch (UncheckedIOException e) {
            // a leftover we cannot delete must not stop the sandbox from starting
          }
        }
      }
    } catch (IOException e) {
      // best effort
    }
  }

  private static boolean ownerAlive(Path run) {
    try {
      String[] owner = Files.readString(run.resolve(OWNER_FILE)).trim().split(" ");
      long pid = Long.parseLong(owner[0]);
      long started = Long.parseLong(owner[1]);
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .map(handle -> startMillis(handle).map(millis -> millis == started || started == 0).orElse(true))
          .orElse(false);
    } catch (IOException | RuntimeException e) {
      // an unreadable owner file: only reap once it is clearly old
      try {
        return Files.getLastModifiedTime(run).toMillis() > System.currentTimeMillis() - TimeUnit.DAYS.toMillis(1);
      } catch (IOException ignored) {
        return true;
      }
    }
  }

  private static void stopLeftovers(Path run) {
    List<String> pids;
    try {
      pids = Files.readAllLines(run.resolve(PIDS_FILE));
    } catch (IOException e) {
      return;
    }
    for (String line : pids) {
      try {
        ProcessHandle.of(Long.parseLong(line.trim()))
            // a recycled pid belongs to someone else: only stop processes that name the run folder
            .filter(handle -> handle.info().commandLine().map(cmd -> cmd.contains(run.toString())).orElse(false))
            .ifPresent(handle -> {
              handle.descendants().forEach(ProcessHandle::destroyForcibly);
              handle.destroyForcibly();
            });
      } catch (RuntimeException ignored) {
        // best effort
      }
    }
  }

  private static Optional<Long> startMillis(ProcessHandle handle) {
    return handle.info().startInstant().map(instant -> instant.toEpochMilli());
  }
}
