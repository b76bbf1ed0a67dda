package io.github.c8backup.sandbox.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a JDK for OpenSearch 2.19 and Elasticsearch 8.17: both install a security manager and
 * refuse JDK 24+, while the sandbox itself may run on a newer JDK.
 */
final class Jdks {

  static final String JAVA_HOME_ENV = "SANDBOX_SEARCH_JAVA_HOME";
  private static final int MIN_MAJOR = 17;
  private static final int MAX_MAJOR = 21;
  private static final Path JVM_ROOT = Path.of("/usr/lib/jvm");
  private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"([^\"]+)\"");

  private static volatile Path cached;

  private Jdks() {}

  static Path searchEngineJavaHome() {
    Path home = cached;
    if (home == null) {
      home = find();
      cached = home;
    }
    return home;
  }

  private static Path find() {
    String configured = System.getenv(JAVA_HOME_ENV);
    if (configured != null && !configured.isBlank()) {
      Path home = Path.of(configured);
      if (!Files.isExecutable(home.resolve("bin/java"))) {
        throw new IllegalStateException(JAVA_HOME_ENV + "=" + configured + " has no bin/java");
      }
      OptionalInt major = majorVersion(home);
      if (major.isPresent() && (major.getAsInt() < MIN_MAJOR || major.getAsInt() > MAX_MAJOR)) {
        throw new IllegalStateException(JAVA_HOME_ENV + "=" + configured + " is JDK " + major.getAsInt()
            + "; OpenSearch 2.19 and Elasticsearch 8.17 need JDK " + MIN_MAJOR + ".." + MAX_MAJOR);
      }
      return home;
    }
    Optional<Path> installed = scan(JVM_ROOT);
    if (installed.isPresent()) {
      return installed.get();
    }
    int current = Runtime.version().feature();
    if (current >= MIN_MAJOR && current <= MAX_MAJOR) {
      return Path.of(System.getProperty("java.home"));
    }
    throw new IllegalStateException(
        "No JDK " + MIN_MAJOR + ".." + MAX_MAJOR + " found for OpenSearch/Elasticsearch (they refuse"
            + " JDK 24+ because they install a security manager; this JVM is " + current + ")."
            + " Install one (e.g. apt-get install openjdk-17-jdk-headless) or set " + JAVA_HOME_ENV);
  }

  private static Optional<Path> scan(Path root) {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> candidates = Files.list(root)) {
      List<Path> homes = candidates
          .filter(home -> Files.isExecutable(home.resolve("bin/java")))
          .map(Jdks::realPath)
          .distinct()
          .filter(home -> majorVersion(home).stream().anyMatch(v -> v >= MIN_MAJOR && v <= MAX_MAJOR))
          .sorted(Comparator.<Path>comparingInt(home -> majorVersion(home).orElse(0)).reversed()
              .thenComparing(Path::toString))
          .toList();
      return homes.stream().findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static OptionalInt majorVersion(Path javaHome) {
    try {
      Matcher matcher = JAVA_VERSION.matcher(Files.readString(javaHome.resolve("release")));
      if (!matcher.find()) {
        return OptionalInt.empty();
      }
      String[] parts = matcher.group(1).split("[.+-]");
      int first = Integer.parseInt(parts[0]);
      // "1.8.0_392" style before JDK 9
      return OptionalInt.of(first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first);
    } catch (IOException | RuntimeException e) {
      return OptionalInt.empty();
    }
  }

  private static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path;
    }
  }
}
