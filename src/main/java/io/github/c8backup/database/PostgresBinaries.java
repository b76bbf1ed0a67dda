package io.github.c8backup.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where PostgreSQL's client and server programs are: a configured folder, else the newest
 * versioned folder of the usual packages (Debian/Ubuntu {@code /usr/lib/postgresql/<v>/bin},
 * PGDG RPMs {@code /usr/pgsql-<v>/bin}), else the {@code PATH}. Newest, because
 * {@code pg_basebackup} and {@code pg_verifybackup} read the formats of older servers, not of newer.
 */
public final class PostgresBinaries {

  private static final String PROBE = "pg_basebackup";
  private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");
  private static final List<ProbePattern> PACKAGE_LAYOUTS = List.of(
      new ProbePattern(Path.of("/usr/lib/postgresql"), "", "bin"),
      new ProbePattern(Path.of("/usr"), "pgsql-", "bin"));

  private final Path directory;

  private PostgresBinaries(Path directory) {
    this.directory = directory;
  }

  /** The programs in {@code configured}, or found as described above when it is null. */
  public static PostgresBinaries locate(Path configured) {
    if (configured != null) {
      if (!Files.isExecutable(configured.resolve(PROBE))) {
        throw new IllegalStateException("No executable " + PROBE + " in the configured PostgreSQL bin directory "
            + configured);
      }
      return new PostgresBinaries(configured);
    }
    List<Versioned> found = new ArrayList<>();
    for (ProbePattern layout : PACKAGE_LAYOUTS) {
      found.addAll(layout.candidates());
    }
    return found.stream()
        .max(Comparator.comparingInt(Versioned::major))
        .map(versioned -> new PostgresBinaries(versioned.bin()))
        .or(PostgresBinaries::onPath)
        .orElseThrow(() -> new IllegalStateException("PostgreSQL's programs were not found: no " + PROBE
            + " in /usr/lib/postgresql/*/bin, /usr/pgsql-*/bin or the PATH. Install the PostgreSQL client "
            + "(e.g. apt-get install postgresql-client) or configure its bin directory."));
  }

  public Path directory() {
    return directory;
  }

  /** The program {@code name} ({@code pg_basebackup}, {@code initdb}, ...), which must exist. */
  public Path tool(String name) {
    Path tool = directory.resolve(name);
    if (!Files.isExecutable(tool)) {
      throw new IllegalStateException("No executable " + name + " in " + directory
          + " (a server program such as initdb or postgres needs the server package)");
    }
    return tool;
  }

  /** The major version the programs report, e.g. 15 for {@code pg_basebackup (PostgreSQL) 15.18}. */
  public int majorVersion() {
    String output = ToolRunner.version(tool(PROBE));
    Matcher matcher = VERSION.matcher(output);
    if (!matcher.find()) {
      throw new IllegalStateException("Unexpected version output of " + tool(PROBE) + ": " + output);
    }
    return Integer.parseInt(matcher.group(1));
  }

  @Override
  public String toString() {
    return "PostgreSQL programs in " + directory;
  }

  private static java.util.Optional<PostgresBinaries> onPath() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, PROBE))) {
        return java.util.Optional.of(new PostgresBinaries(Path.of(dir)));
      }
    }
    return java.util.Optional.empty();
  }

  private record Versioned(int major, Path bin) {}

  /** {@code <parent>/<prefix><major>/<bin>}. */
  private record ProbePattern(Path parent, String prefix, String bin) {
    List<Versioned> candidates() {
      List<Versioned> found = new ArrayList<>();
      if (!Files.isDirectory(parent)) {
        return found;
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, prefix + "*")) {
        for (Path entry : entries) {
          String version = entry.getFileName().toString().substring(prefix.length());
          Path candidate = entry.resolve(bin);
          if (version.matches("\\d+(\\.\\d+)?") && Files.isExecutable(candidate.resolve(PROBE))) {
            found.add(new Versioned((int) Double.parseDouble(version), candidate));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Could not list " + parent, e);
      }
      return found;
    }
  }
}
