package io.github.c8backup.database;

import io.github.c8backup.config.PostgresSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares an empty PostgreSQL data directory for a point-in-time recovery from a base backup and
 * the WAL archive. Stopping the old server, putting the folder in its place and starting the server
 * on it is the platform's part (sandbox, Kubernetes, a person); the server then replays the archive
 * up to the target, promotes itself and continues on a new timeline.
 *
 * <p>What it writes: the base backup's {@code base.tar.gz} and {@code pg_wal.tar.gz}, extracted;
 * {@code recovery.signal}; and at the end of {@code postgresql.auto.conf} (which wins over
 * {@code postgresql.conf}):
 * <ul>
 *   <li>{@code restore_command} copying from the archive folder (at the path the server sees);
 *   <li>{@code recovery_target_time} with {@code recovery_target_inclusive = on}: the database as
 *       it was at the target, with every transaction committed at or before it and none after;
 *   <li>for the newest state, or a target at or after the newest archived commit, no target: the
 *       server replays the whole archive, which is the same state, whereas a target time no commit
 *       follows makes PostgreSQL 13+ stop with "recovery ended before configured recovery target
 *       was reached";
 *   <li>every other recovery target emptied (a backup of a server that was itself recovered carries
 *       its old target in {@code postgresql.auto.conf});
 *   <li>{@code recovery_target_timeline = latest}, or the number of an earlier history (timeline)
 *       to go back to, and {@code recovery_target_action = promote}.
 * </ul>
 * It refuses, before writing anything, a folder that is not empty and a target outside the
 * {@linkplain PostgresBackups recoverable window}, naming the nearest valid points.
 */
public final class PostgresRecovery {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresRecovery.class);
  private static final String MARKER = "# point-in-time recovery, written by the Camunda Backup Orchestrator";
  private static final Pattern RECOVERY_SETTING = Pattern.compile(
      "\\s*(restore_command|recovery_target\\w*|recovery_end_command|archive_cleanup_command)\\s*=.*");
  private static final Pattern SAFE_PATH = Pattern.compile("[^\"'$`\\\\%\\n\\r]+");
  private static final DateTimeFormatter TARGET_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

  private final PostgresBackups backups;

  public PostgresRecovery(PostgresSettings settings) {
    this(new PostgresBackups(settings));
  }

  PostgresRecovery(PostgresBackups backups) {
    this.backups = backups;
  }

  /**
   * Decides how the database would be recovered to {@code target} (null: the newest recoverable
   * moment), without writing anything.
   *
   * @throws RecoveryRefused if there is nothing to recover from or the target lies outside the window
   */
  public RecoveryPlan plan(Instant target) {
    return plan(target, null);
  }

  /**
   * As {@link #plan(Instant)}, along {@code history} (a timeline number; null: the newest one,
   * which {@code recovery_target_timeline = latest} follows). A target time is read along that
   * history, and "newest" is the end of its archived WAL: for a history a later recovery left,
   * where it was left.
   *
   * @throws RecoveryRefused also when the archive knows no such history
   */
  public RecoveryPlan plan(Instant target, Integer history) {
    PostgresBackups.Coverage coverage;
    try {
      coverage = backups.coverage(history == null ? 0 : history);
    } catch (IllegalArgumentException e) {
      throw new RecoveryRefused(e.getMessage());
    }
    RecoverableWindow window = coverage.window().orElseThrow(() -> new RecoveryRefused(
        "Nothing to recover from: " + String.join("; ", coverage.notes())));
    if (target != null && target.isBefore(window.earliest())) {
      throw new RecoveryRefused("Recovery to " + target + " refused: that is before the earliest recoverable moment "
          + window.earliest() + " (" + window.earliestBasis() + "). The database can be recovered to any moment "
          + window.describe() + "." + notes(window));
    }
    if (target != null && target.isAfter(window.latest())) {
      throw new RecoveryRefused("Recovery to " + target + " refused: that is after the latest recoverable moment "
          + window.latest() + " (" + window.latestBasis() + "); WAL written since has not been archived yet "
          + "(a segment is archived when full or when archive_timeout passes). The database can be recovered to any "
          + "moment " + window.describe() + "." + notes(window));
    }
    BaseBackup base = coverage.usableBackups().stream()
        .filter(backup -> target == null || !backup.finishedAt().isAfter(target))
        .reduce((older, newer) -> newer)
        .orElseThrow(() -> new IllegalStateException("No usable backup ends before " + target + " in " + window));
    // no commit after the target in the archive: the state at the target is the whole archive's
    boolean wholeArchive = target == null || coverage.newestCommit() == null
        || !target.isBefore(coverage.newestCommit());
    if (wholeArchive && coverage.wholeArchiveHazard() != null) {
      throw new RecoveryRefused("Recovery to " + (target == null ? "the newest state" : target) + " refused: "
          + coverage.wholeArchiveHazard() + ". Any moment before " + window.latest() + " can be recovered now.");
    }
    Instant recoversTo = target == null ? window.latest() : target;
    return new RecoveryPlan(base, target, recoversTo, window, settings(wholeArchive ? null : target, history));
  }

  /**
   * Fills {@code dataDirectory} (created if missing; it must be empty) for a recovery to
   * {@code target} (null: the newest recoverable moment) and returns the plan it followed. Start
   * PostgreSQL on the folder, as the server's user and with mode 0700, to run the recovery.
   *
   * @throws RecoveryRefused if the folder is not empty or {@link #plan(Instant)} refuses; nothing
   *     is written then
   * @throws DatabaseBackupException if the backup cannot be extracted; the folder is left empty
   */
  public RecoveryPlan prepare(Path dataDirectory, Instant target) {
    return prepare(dataDirectory, target, null);
  }

  /** As {@link #prepare(Path, Instant)}, along {@code history} (see {@link #plan(Instant, Integer)}). */
  public RecoveryPlan prepare(Path dataDirectory, Instant target, Integer history) {
    requireEmpty(dataDirectory);
    RecoveryPlan plan = plan(target, history);
    boolean existed = Files.exists(dataDirectory);
    Path backup = Path.of(plan.baseBackup().location());
    try {
      Files.createDirectories(dataDirectory);
      Files.setPosixFilePermissions(dataDirectory, PosixFilePermissions.fromString("rwx------"));
      TarGz.extract(backup.resolve(PostgresBackups.BASE_ARCHIVE), dataDirectory);
      TarGz.extract(backup.resolve(PostgresBackups.WAL_ARCHIVE), dataDirectory.resolve("pg_wal"));
      writeRecoverySettings(dataDirectory.resolve("postgresql.auto.conf"), plan.settings());
      // last: without it the folder is not a recovery, so a half-written folder never starts as one
      Files.writeString(dataDirectory.resolve("recovery.signal"), "");
    } catch (IOException | RuntimeException e) {
      emptyQuietly(dataDirectory, existed);
      throw new DatabaseBackupException("Could not prepare " + dataDirectory + " from base backup "
          + plan.baseBackup().label() + ": " + e.getMessage(), e);
    }
    LOG.info("Prepared {} for recovery to {} from base backup {}", dataDirectory,
        plan.target() == null ? "the newest archived state (" + plan.recoversTo() + ")" : plan.recoversTo(),
        plan.baseBackup().label());
    return plan;
  }

  private List<String> settings(Instant target, Integer history) {
    String archive = backups.settings().walArchiveDirectory().toAbsolutePath().toString();
    if (!SAFE_PATH.matcher(archive).matches()) {
      throw new IllegalStateException("The WAL archive path must not contain quotes, $, `, \\ or %: " + archive);
    }
    List<String> settings = new ArrayList<>();
    settings.add("restore_command = 'cp \"" + archive + "/%f\" \"%p\"'");
    settings.add("recovery_target = ''");
    settings.add("recovery_target_lsn = ''");
    settings.add("recovery_target_name = ''");
    settings.add("recovery_target_xid = ''");
    // micro-seconds, PostgreSQL's precision: a commit at t counts as at or before the target iff t <= it
    settings.add("recovery_target_time = '"
        + (target == null ? "" : TARGET_TIME.format(target.truncatedTo(ChronoUnit.MICROS))) + "'");
    settings.add("recovery_target_inclusive = on");
    // a named timeline: PostgreSQL reads only its path and, promoting, picks the archive's newest timeline + 1
    settings.add("recovery_target_timeline = '" + (history == null ? "latest" : history) + "'");
    settings.add("recovery_target_action = 'promote'");
    return settings;
  }

  private static void writeRecoverySettings(Path autoConf, List<String> settings) throws IOException {
    List<String> kept = new ArrayList<>();
    if (Files.exists(autoConf)) {
      for (String line : Files.readAllLines(autoConf)) {
        if (!RECOVERY_SETTING.matcher(line).matches() && !line.equals(MARKER)) {
          kept.add(line);
        }
      }
    }
    kept.add(MARKER);
    kept.addAll(settings);
    Files.write(autoConf, kept, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    Files.setPosixFilePermissions(autoConf, PosixFilePermissions.fromString("rw-------"));
  }

  private static void requireEmpty(Path dataDirectory) {
    if (!Files.exists(dataDirectory)) {
      return;
    }
    if (!Files.isDirectory(dataDirectory)) {
      throw new RecoveryRefused(dataDirectory + " is not a folder; recovery needs an empty one. Nothing was written.");
    }
    try (Stream<Path> entries = Files.list(dataDirectory)) {
      List<String> names = entries.map(p -> p.getFileName().toString()).sorted().limit(5).toList();
      if (!names.isEmpty()) {
        throw new RecoveryRefused("The data directory " + dataDirectory + " is not empty (it holds "
            + String.join(", ", names) + (names.size() == 5 ? ", ..." : "")
            + "); recovery needs an empty one so that nothing is overwritten. Nothing was written.");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + dataDirectory, e);
    }
  }

  private static void emptyQuietly(Path dataDirectory, boolean keepFolder) {
    try {
      if (keepFolder) {
        try (Stream<Path> entries = Files.list(dataDirectory)) {
          for (Path entry : (Iterable<Path>) entries::iterator) {
            PostgresBackups.deleteRecursively(entry);
          }
        }
      } else {
        PostgresBackups.deleteRecursively(dataDirectory);
      }
    } catch (IOException e) {
      LOG.warn("Could not empty {} after a failed preparation: {}", dataDirectory, e.getMessage());
    }
  }

  private static String notes(RecoverableWindow window) {
    return window.notes().isEmpty() ? "" : " Not usable: " + String.join("; ", window.notes()) + ".";
  }
}
