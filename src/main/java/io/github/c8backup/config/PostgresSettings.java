package io.github.c8backup.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The PostgreSQL database that a Camunda 8.9 cluster uses as its RDBMS secondary storage, and
 * where its native backups go ({@code orchestrator.clusters.<name>.database.postgres}).
 *
 * <p>The user needs the {@code REPLICATION} attribute (for {@code pg_basebackup}) and may connect
 * to {@code database}; {@code pg_hba.conf} must admit it for both a normal and a
 * {@code replication} connection from the orchestrator.
 *
 * @param host the server's host name or address, as the orchestrator reaches it
 * @param port the server's port
 * @param database the Camunda database (only used to read the server's clock and identity; a base
 *     backup always copies the whole cluster)
 * @param username a role with {@code LOGIN REPLICATION}
 * @param password the password, or null to use {@code passwordFile}, or neither for servers that
 *     need none (trust, peer, certificates)
 * @param passwordFile a file holding only the password (a mounted Kubernetes secret, say); read at
 *     each use, so a rotated secret takes effect without a restart
 * @param binDirectory where {@code pg_basebackup}, {@code pg_verifybackup} and {@code pg_waldump}
 *     are; null means the newest {@code /usr/lib/postgresql/<version>/bin} or
 *     {@code /usr/pgsql-<version>/bin}, else the {@code PATH}. Use binaries of the server's major
 *     version or newer.
 * @param backupDirectory where base backups are written, one folder per backup
 * @param walArchiveDirectory the folder the server's {@code archive_command} copies WAL segments
 *     into, at the same path for the orchestrator (it reads the archive to find the recoverable
 *     window) and for a recovering server (its {@code restore_command} copies from it)
 */
public record PostgresSettings(
    @NotBlank String host,
    @DefaultValue("5432") @Min(1) @Max(65535) int port,
    @NotBlank String database,
    @NotBlank String username,
    String password,
    Path passwordFile,
    Path binDirectory,
    @NotNull Path backupDirectory,
    @NotNull Path walArchiveDirectory) {

  /** {@code jdbc:postgresql://host:port/database}, without credentials. */
  public String jdbcUrl() {
    String address = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return "jdbc:postgresql://" + address + ":" + port + "/" + database;
  }

  @AssertTrue(message = "set either password or password-file, not both")
  public boolean isOneCredentialSource() {
    return password == null || passwordFile == null;
  }

  @AssertTrue(message = "backup-directory and wal-archive-directory must be two different folders, "
      + "neither inside the other")
  public boolean isBackupApartFromArchive() {
    if (backupDirectory == null || walArchiveDirectory == null) {
      return true;
    }
    Path backups = backupDirectory.toAbsolutePath().normalize();
    Path archive = walArchiveDirectory.toAbsolutePath().normalize();
    return !backups.startsWith(archive) && !archive.startsWith(backups);
  }

  @Override
  public String toString() {
    return "PostgresSettings[host=" + host + ", port=" + port + ", database=" + database
        + ", username=" + username + ", password=" + (password == null ? "none" : "******")
        + ", passwordFile=" + passwordFile + ", binDirectory=" + binDirectory
        + ", backupDirectory=" + backupDirectory + ", walArchiveDirectory=" + walArchiveDirectory + "]";
  }
}
