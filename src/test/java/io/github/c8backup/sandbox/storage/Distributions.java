package io.github.c8backup.sandbox.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The distributions that the pom's maven-dependency-plugin copies from Maven Central into
 * {@code sandbox.dist.dir}, and their extracted copies in the sandbox's cache.
 */
final class Distributions {

  static final String DIST_DIR_PROPERTY = "sandbox.dist.dir";
  private static final Pattern VERSION_NUMBERS = Pattern.compile("\\d+");
  private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwxr-xr-x");

  private Distributions() {}

  static Path directory() {
    return Path.of(System.getProperty(DIST_DIR_PROPERTY, "target/sandbox-dist")).toAbsolutePath();
  }

  /**
   * The file {@code <prefix><version><suffix>} in the distribution folder; the newest version
   * wins when an older copy was left behind by a version bump.
   */
  static Path file(String prefix, String suffix) {
    Path directory = directory();
    List<Path> matches = new ArrayList<>();
    if (Files.isDirectory(directory)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, prefix + "*" + suffix)) {
        files.forEach(matches::add);
      } catch (IOException e) {
        throw new UncheckedIOException("Could not list " + directory, e);
      }
    }
    return matches.stream()
        .filter(path -> Character.isDigit(path.getFileName().toString().charAt(prefix.length())))
        .max(Comparator.comparing(path -> version(path.getFileName().toString()), Distributions::compare))
        .orElseThrow(() -> new IllegalStateException(
            "No " + prefix + "*" + suffix + " in " + directory + ". The sandbox's distributions are"
                + " copied there by Maven: run through Maven (./mvnw -o test-compile, ./mvnw test or"
                + " ./mvnw spring-boot:test-run), or point -D" + DIST_DIR_PROPERTY + " at that folder."));
  }

  /**
   * The distribution's home folder, extracted once into the cache and reused by later runs. The
   * zip's single top folder becomes the home; an interrupted extraction is never reused because
   * the home only appears by an atomic rename.
   */
  static synchronized Path extracted(Path zip) {
    String name = zip.getFileName().toString().replaceFirst("\\.zip$", "");
    Path cache = SandboxDirectories.distributions();
    Path home = cache.resolve(name);
    if (Files.isDirectory(home)) {
      return home;
    }
    removeAbandonedExtractions(cache);
    Path temp = cache.resolve(".extracting-" + name + "-" + UUID.randomUUID());
    try {
      unzip(zip, temp);
      Path top = singleTopFolder(temp);
      try {
        Files.move(top, home, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        // another JVM finished first; its copy is as good as ours
      }
      return home;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not extract " + zip + " into " + cache, e);
    } finally {
      SandboxDirectories.deleteRecursively(temp);
    }
  }

  private static void unzip(Path zip, Path target) throws IOException {
    Files.createDirectories(target);
    // zipfs exposes the Unix modes stored in the zip, which keeps bin/* executable
    try (FileSystem archive = FileSystems.newFileSystem(zip, Map.of("enablePosixFileAttributes", "true"));
        Stream<Path> entries = Files.walk(archive.getPath("/"))) {
      List<Path> directories = new ArrayList<>();
      for (Path entry : (Iterable<Path>) entries::iterator) {
        String relative = archive.getPath("/").relativize(entry).toString();
        if (relative.isEmpty()) {
          continue;
        }
        Path destination = target.resolve(relative).normalize();
        if (!destination.startsWith(target)) {
          throw new IOException("Zip entry escapes the target folder: " + relative);
        }
        if (Files.isDirectory(entry)) {
          Files.createDirectories(destination);
          directories.add(destination);
        } else {
          Files.createDirectories(destination.getParent());
          Files.copy(entry, destination, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(destination, readableByAll(modeOf(entry)));
        }
      }
      for (Path directory : directories) {
        Files.setPosixFilePermissions(directory, DIRECTORY_MODE);
      }
    }
  }

  private static Set<PosixFilePermission> modeOf(Path entry) {
    try {
      return Files.getPosixFilePermissions(entry);
    } catch (IOException | UnsupportedOperationException e) {
      return EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }
  }

  /**
   * The zips ship config files as rw-rw----: widen every file to be readable by all (the engines
   * run as nobody when the sandbox runs as root) and executable by all when executable at all.
   */
  private static Set<PosixFilePermission> readableByAll(Set<PosixFilePermission> mode) {
    Set<PosixFilePermission> result = EnumSet.of(PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
    if (mode.contains(PosixFilePermission.OWNER_EXECUTE) || mode.contains(PosixFilePermission.GROUP_EXECUTE)
        || mode.contains(PosixFilePermission.OTHERS_EXECUTE)) {
      result.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_EXECUTE));
    }
    return result;
  }

  private static Path singleTopFolder(Path extracted) throws IOException {
    try (Stream<Path> children = Files.list(extracted)) {
      List<Path> all = children.toList();
      if (all.size() != 1 || !Files.isDirectory(all.get(0))) {
        throw new IOException("Expected a single top folder in the zip, found " + all);
      }
      return all.get(0);
    }
  }

  private static void removeAbandonedExtractions(Path cache) {
    long hourAgo = System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1);
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(cache, ".extracting-*")) {
      for (Path leftover : leftovers) {
        if (Files.getLastModifiedTime(leftover).toMillis() < hourAgo) {
          SandboxDirectories.deleteRecursively(leftover);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // best effort
    }
  }

  private static List<Integer> version(String fileName) {
    Matcher matcher = VERSION_NUMBERS.matcher(fileName);
    List<Integer> numbers = new ArrayList<>();
    while (matcher.find()) {
      numbers.add(Integer.parseInt(matcher.group()));
    }
    return numbers;
  }

  private static int compare(List<Integer> left, List<Integer> right) {
    for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
      int result = Integer.compare(left.get(i), right.get(i));
      if (result != 0) {
        return result;
      }
    }
    return Integer.compare(left.size(), right.size());
  }
}
