package io.github.c8backup.sandbox.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.stream.Stream;

/**
 * Elasticsearch and OpenSearch refuse to run as root ("can not run elasticsearch as root"), and CI
 * runs as root: there they run as nobody:nogroup, in folders handed over to that user.
 */
final class UnprivilegedUser {

  static final String USER = "nobody";
  static final String GROUP = "nogroup";

  private static final boolean ROOT = detectRoot();

  private UnprivilegedUser() {}

  static boolean needed() {
    return ROOT;
  }

  /** The command prefix that drops root, or an empty list when not running as root. */
  static List<String> commandPrefix() {
    if (!ROOT) {
      return List.of();
    }
    if (onPath("setpriv")) {
      return List.of("setpriv", "--reuid=" + USER, "--regid=" + GROUP, "--clear-groups");
    }
    if (onPath("runuser")) {
      return List.of("runuser", "-u", USER, "--");
    }
    throw new IllegalStateException(
        "Running as root, but neither setpriv nor runuser is available to start the search engine as "
            + USER + " (util-linux)");
  }

  /** Gives {@code directory} and everything below it to nobody:nogroup when running as root. */
  static void handOver(Path directory) {
    if (!ROOT) {
      return;
    }
    UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
    try (Stream<Path> paths = Files.walk(directory)) {
      UserPrincipal user = lookup.lookupPrincipalByName(USER);
      GroupPrincipal group = lookup.lookupPrincipalByGroupName(GROUP);
      for (Path path : (Iterable<Path>) paths::iterator) {
        PosixFileAttributeView view =
            Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        view.setOwner(user);
        view.setGroup(group);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not hand " + directory + " over to " + USER + ":" + GROUP, e);
    }
  }

  private static boolean detectRoot() {
    try {
      // /proc/self belongs to the effective user of this JVM
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return Integer.valueOf(0).equals(uid);
    } catch (IOException | RuntimeException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : (path + ":/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
