package io.github.c8backup.database;

import io.github.c8backup.config.PostgresSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Hands the configured password to a PostgreSQL program without putting it on its command line
 * or in its environment (PostgreSQL's docs discourage {@code PGPASSWORD}): a password file in
 * libpq's {@code .pgpass} format, readable only by this user, named by {@code PGPASSFILE} and
 * deleted when the program is done.
 */
final class Pgpass implements AutoCloseable {

  private final Path file;

  private Pgpass(Path file) {
    this.file = file;
  }

  /** A password file for {@code settings}, or none when no password is configured. */
  static Pgpass forSettings(PostgresSettings settings) {
    String password = password(settings);
    if (password == null) {
      return new Pgpass(null);
    }
    try {
      Path file = Files.createTempFile("c8-backup-", ".pgpass",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      // host:port:database:username:password; '*' matches the replication pseudo-database too
      String line = escape(settings.host()) + ":" + settings.port() + ":*:" + escape(settings.username()) + ":"
          + escape(password) + "\n";
      Files.writeString(file, line);
      return new Pgpass(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write a private password file for PostgreSQL", e);
    }
  }

  /** The configured password, read from the password file at each call; null when none is configured. */
  static String password(PostgresSettings settings) {
    if (settings.password() != null) {
      return settings.password();
    }
    if (settings.passwordFile() == null) {
      return null;
    }
    try {
      // a mounted secret often ends with a line break that is not part of the password
      return Files.readString(settings.passwordFile()).replaceAll("[\\r\\n]+$", "");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the PostgreSQL password file " + settings.passwordFile(), e);
    }
  }

  /** The environment entries that point the program at the password file. */
  Map<String, String> environment() {
    return file == null ? Map.of() : Map.of("PGPASSFILE", file.toString());
  }

  @Override
  public void close() {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException("Could not delete the password file " + file, e);
      }
    }
  }

  private static String escape(String field) {
    return field.replace("\\", "\\\\").replace(":", "\\:");
  }
}
