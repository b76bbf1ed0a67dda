package io.github.c8backup.database;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.github.c8backup.config.PostgresSettings;
import io.github.c8backup.database.WalArchive.Branch;
import io.github.c8backup.database.WalArchive.Lsn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL base backups with {@code pg_basebackup}, and the recoverable window they span together
 * with the server's WAL archive.
 *
 * <p><b>Backups.</b> {@code pg_basebackup --format=tar --gzip --wal-method=stream --checkpoint=fast}
 * over a replication connection writes {@code base.tar.gz}, {@code pg_wal.tar.gz} and
 * {@code backup_manifest} into {@code <backupDirectory>/<label>/}, next to {@code base-backup.json}
 * (times by the server's clock, WAL range, timeline, system identifier). It writes into a hidden
 * folder first and renames it once complete, so a failed backup is never listed. The WAL is
 * streamed rather than left to the archive ({@code none}) or fetched at the end ({@code fetch}):
 * the backup then holds the WAL from its start to its end, so it can be verified in full
 * ({@code pg_verifybackup} parses that WAL) and restored to its own end even if the archive lost a
 * segment of that stretch; a temporary replication slot keeps the server from recycling that WAL
 * meanwhile, which {@code fetch} cannot promise. Point-in-time recovery past the backup's end
 * needs the archive either way. {@code --checkpoint=fast} starts at once instead of waiting up to a
 * checkpoint interval; the backup is taken on request, when waiting minutes would surprise.
 *
 * <p><b>Recoverable window.</b> Read from the backups and the archive's files, not from the
 * server: a restore is planned when the server may be gone, and the archive is what a recovery will
 * read. {@code pg_stat_archiver} only knows the name and time of the last archived file, is reset
 * with the statistics, and cannot tell which commits a segment holds. The window follows the
 * archive's newest timeline (what {@code recovery_target_timeline = latest} follows):
 * <ul>
 *   <li>a backup counts if it belongs to the same server (system identifier), lies on that
 *       timeline's history, and the archive holds every segment from its end on, without gap;
 *   <li>{@code earliest} is the end of the oldest backup that counts (recovery cannot stop before
 *       a backup is consistent);
 *   <li>{@code latest} is the newest record with a time (commit, abort, end of a recovery) that
 *       {@code pg_waldump} finds in the last contiguous segments. A target at or after the newest
 *       commit is recovered by replaying the whole archive: {@code recovery_target_time} stops only
 *       at a commit after the target, and PostgreSQL 13+ fails when it never meets one.
 * </ul>
 * Limits: commits still in the server's current, unarchived segment are not in the window (the
 * server archives a segment when it is full or {@code archive_timeout} passes); tablespaces are not
 * supported. A history branch left by an earlier point-in-time recovery is offered only when asked
 * for by number ({@link #recoverableWindow(int)}, {@link #histories()}).
 */
public final class PostgresBackups implements DatabaseBackups {

  static final String DESCRIPTOR = "base-backup.json";
  static final String BASE_ARCHIVE = "base.tar.gz";
  static final String WAL_ARCHIVE = "pg_wal.tar.gz";
  static final String MANIFEST = "backup_manifest";

  private static final Logger LOG = LoggerFactory.getLogger(PostgresBackups.class);
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final Duration TOOL_TIMEOUT = Duration.ofHours(6);
  private static final Duration SHORT_TOOL_TIMEOUT = Duration.ofMinutes(5);
  /** Records that carry the server's clock: commits and aborts, and the end of a recovery (promotion). */
  private static final Pattern TIMED_RECORD = Pattern.compile("desc: ((?:COMMIT|ABORT)(?:_PREPARED \\d+:)?"
      + "|END_OF_RECOVERY tli \\d+; prev tli \\d+; time) (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?) UTC");
  private static final DateTimeFormatter WALDUMP_TIME = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .toFormatter();
  /** The recovery target PostgreSQL records in a history file, e.g. {@code before 2026-01-10 14:00:00.123456+00}. */
  private static final Pattern SWITCH_TIME = Pattern.compile(
      "(before|after) (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?[+-]\\d\\d(?::?\\d\\d)?)");
  private static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private final PostgresSettings settings;
  private final ToolRunner tools;
  private PostgresBinaries binaries;

  public PostgresBackups(PostgresSettings settings) {
    this(settings, new ToolRunner());
  }

  PostgresBackups(PostgresSettings settings, ToolRunner tools) {
    this.settings = settings;
    this.tools = tools;
  }

  @Override
  public BaseBackup takeBaseBackup(String label) {
    requireLabel(label);
    Path target = settings.backupDirectory().resolve(label);
    if (Files.exists(target)) {
      throw new IllegalArgumentException("A base backup called " + label + " exists already in "
          + settings.backupDirectory());
    }
    Path partial = settings.backupDirectory().resolve("." + label + ".partial");
    try {
      Files.createDirectories(settings.backupDirectory());
      deleteRecursively(partial); // left by a process that died mid-backup
    } catch (IOException e) {
      throw new UncheckedIOException("Could not prepare " + settings.backupDirectory(), e);
    }
    ServerState before = serverState();
    long started = System.nanoTime();
    List<String> command = List.of(binaries().tool("pg_basebackup").toString(),
        "--host=" + settings.host(), "--port=" + settings.port(), "--username=" + settings.username(),
        "--no-password", "--pgdata=" + partial, "--format=tar", "--gzip", "--wal-method=stream",
        "--checkpoint=fast", "--label=" + label, "--manifest-checksums=CRC32C", "--verbose");
    ToolRunner.Result result;
    try (Pgpass pgpass = Pgpass.forSettings(settings)) {
      result = tools.run(new ToolRunner.Invocation(command, environment(pgpass), TOOL_TIMEOUT));
    } catch (RuntimeException e) {
      deleteQuietly(partial);
      throw e;
    }
    if (!result.succeeded()) {
      deleteQuietly(partial);
      throw new DatabaseBackupException("pg_basebackup of " + settings.host() + ":" + settings.port()
          + " failed with exit code " + result.exitCode() + ":\n" + result.output());
    }
    try {
      Instant finishedAt = serverState().clock();
      JsonNode ranges = JSON.readTree(partial.resolve(MANIFEST).toFile()).path("WAL-Ranges");
      if (!ranges.isArray() || ranges.isEmpty()) {
        throw new DatabaseBackupException("The manifest of base backup " + label + " names no WAL range");
      }
      JsonNode last = ranges.get(ranges.size() - 1);
      Descriptor descriptor = new Descriptor(label, before.clock(), finishedAt, size(partial),
          last.path("Timeline").asInt(), ranges.get(0).path("Start-LSN").asText(), last.path("End-LSN").asText(),
          before.systemIdentifier(), before.serverVersion(), ToolRunner.version(binaries().tool("pg_basebackup")),
          "tar.gz", "stream");
      JSON.writeValue(partial.resolve(DESCRIPTOR).toFile(), descriptor);
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      BaseBackup backup = descriptor.toBaseBackup(target);
      LOG.info("Base backup {} of {}:{} taken in {} ms: {} bytes, WAL {} to {} on timeline {}", label,
          settings.host(), settings.port(), Duration.ofNanos(System.nanoTime() - started).toMillis(),
          backup.sizeBytes(), descriptor.startLsn(), descriptor.endLsn(), descriptor.timeline());
      return backup;
    } catch (IOException | RuntimeException e) {
      deleteQuietly(partial);
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new DatabaseBackupException("Could not complete base backup " + label + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<BaseBackup> baseBackups() {
    return descriptors().stream().map(d -> d.toBaseBackup(settings.backupDirectory().resolve(d.label()))).toList();
  }

  @Override
  public Optional<BaseBackup> baseBackup(String label) {
    return baseBackups().stream().filter(backup -> backup.label().equals(label)).findFirst();
  }

  /**
   * Extracts the backup into a scratch folder next to it and runs {@code pg_verifybackup} there:
   * before PostgreSQL 18 it reads plain-format backups only. Needs as much free space as the
   * database takes uncompressed, for as long as the check runs.
   */
  @Override
  public BackupVerification verify(String label) {
    BaseBackup backup = baseBackup(label)
        .orElseThrow(() -> new IllegalArgumentException("No base backup called " + label + " in "
            + settings.backupDirectory()));
    Path folder = Path.of(backup.location());
    Path scratch = settings.backupDirectory().resolve("." + label + ".verify-" + UUID.randomUUID());
    try {
      try {
        TarGz.extract(folder.resolve(BASE_ARCHIVE), scratch);
        TarGz.extract(folder.resolve(WAL_ARCHIVE), scratch.resolve("pg_wal"));
        Files.copy(folder.resolve(MANIFEST), scratch.resolve(MANIFEST));
      } catch (IOException | RuntimeException e) {
        return new BackupVerification(label, false, "The backup's archives cannot be read: " + e.getMessage(),
            Instant.now());
      }
      ToolRunner.Result result = tools.run(new ToolRunner.Invocation(
          List.of(binaries().tool("pg_verifybackup").toString(), scratch.toString()),
          Map.of("LC_ALL", "C"), TOOL_TIMEOUT));
      String details = result.output().replace(scratch.toString(), folder.toString()).strip();
      return new BackupVerification(label, result.succeeded(), details, Instant.now());
    } finally {
      deleteQuietly(scratch);
    }
  }

  @Override
  public void delete(String label) {
    requireLabel(label);
    Path folder = settings.backupDirectory().resolve(label);
    if (!Files.exists(folder)) {
      return;
    }
    // out of the listing at once, even if deleting the files takes a while or fails half-way
    Path doomed = settings.backupDirectory().resolve("." + label + ".deleting-" + UUID.randomUUID());
    try {
      Files.move(folder, doomed, StandardCopyOption.ATOMIC_MOVE);
      deleteRecursively(doomed);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not delete base backup " + label, e);
    }
    LOG.info("Base backup {} deleted", label);
  }

  @Override
  public Optional<RecoverableWindow> recoverableWindow() {
    return coverage().window();
  }

  /** See {@link PostgresRetention}. */
  @Override
  public DatabaseRetentionResult applyRetention(DatabaseRetentionRequest request) {
    return new PostgresRetention(this).apply(request);
  }

  /**
   * The window along history (timeline) {@code history}: the base backups on its path and the WAL
   * of it and its ancestors, up to where its archived WAL ends (for a history a later recovery
   * left, where it was left). Empty when nothing on that history can be recovered.
   *
   * @throws IllegalArgumentException if the archive knows no such history
   */
  public Optional<RecoverableWindow> recoverableWindow(int history) {
    return coverage(history).window();
  }

  /**
   * Every history (timeline) the archive knows of, oldest first, each with its window and the
   * periods that belong to its past. When a history began is when its history file reached the
   * archive (the server archives it as it promotes itself); where a history branched off its
   * parent is the time PostgreSQL wrote into that file ({@code before <time>} / {@code after <time>}
   * of the recovery target), or the moment the parent was left when the recovery replayed the whole
   * archive. A Zeebe backup taken on the parent between the recovery target and the first commit
   * after it would be counted on the branch too: the time PostgreSQL records is that commit's.
   */
  public List<DatabaseHistory> histories() {
    if (descriptors().isEmpty() && !Files.isDirectory(settings.walArchiveDirectory())) {
      return List.of();
    }
    WalArchive archive = WalArchive.read(settings.walArchiveDirectory());
    java.util.SortedSet<Integer> timelines = archive.timelines();
    descriptors().forEach(d -> timelines.add(d.timeline()));
    int newest = timelines.last();
    Map<Integer, Instant> started = new HashMap<>();
    for (int timeline : timelines) {
      archive.historyArchivedAt(timeline).ifPresent(at -> started.put(timeline, at));
    }
    List<DatabaseHistory> histories = new ArrayList<>();
    for (int timeline : timelines) {
      List<Branch> path = archive.history(timeline);
      List<DatabaseHistory.Period> periods = new ArrayList<>();
      for (int i = 0; i < path.size(); i++) {
        int on = path.get(i).timeline();
        Instant from = started.get(on);
        Instant leftAt = next(timelines, on).map(started::get).orElse(null);
        Instant until = leftAt;
        if (i + 1 < path.size()) {
          Instant fork = forkTime(archive, path.get(i + 1).timeline());
          until = fork != null && (until == null || fork.isBefore(until)) ? fork : until;
        }
        periods.add(new DatabaseHistory.Period(on, from, until));
      }
      Integer parent = path.size() > 1 ? path.get(path.size() - 2).timeline() : null;
      Instant leftAt = next(timelines, timeline).map(started::get).orElse(null);
      Coverage coverage = coverage(timeline);
      histories.add(new DatabaseHistory(timeline, parent, started.get(timeline), leftAt, timeline == newest, periods,
          coverage.window().orElse(null), coverage.window().isPresent() ? null : String.join("; ", coverage.notes())));
    }
    return histories;
  }

  private static Optional<Integer> next(java.util.SortedSet<Integer> timelines, int timeline) {
    java.util.SortedSet<Integer> later = timelines.tailSet(timeline + 1);
    return later.isEmpty() ? Optional.empty() : Optional.of(later.first());
  }

  /** The time in {@code child}'s history file: where its parent was left; null when the recovery had no target time. */
  private static Instant forkTime(WalArchive archive, int child) {
    Matcher matcher = SWITCH_TIME.matcher(archive.switchReason(child).orElse(""));
    if (!matcher.matches()) {
      return null;
    }
    Instant time = java.time.OffsetDateTime.parse(matcher.group(2).replace(' ', 'T')
        .replaceFirst("([+-]\\d\\d)$", "$1:00"), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    // "before X": commits before X are on the branch; "after X": X itself too
    return matcher.group(1).equals("after") ? time.plusNanos(1000) : time;
  }

  /** The window, the backups inside it (oldest first) and what was left out; see the class comment. */
  Coverage coverage() {
    return coverage(0);
  }

  /**
   * As {@link #coverage()}, along history {@code requested}; 0 means the newest one, the one
   * {@code recovery_target_timeline = latest} follows.
   */
  Coverage coverage(int requested) {
    List<Descriptor> all = descriptors();
    List<String> notes = new ArrayList<>();
    if (all.isEmpty()) {
      notes.add("there is no base backup in " + settings.backupDirectory());
      return new Coverage(Optional.empty(), List.of(), notes, null, null);
    }
    WalArchive archive = WalArchive.read(settings.walArchiveDirectory());
    Descriptor newest = all.getLast();
    long system = newest.systemIdentifier();
    int newestTimeline = Math.max(archive.newestTimeline(), all.stream().mapToInt(Descriptor::timeline).max().orElse(1));
    if (requested > 0 && !archive.timelines().contains(requested)
        && all.stream().noneMatch(backup -> backup.timeline() == requested)) {
      throw new IllegalArgumentException("The WAL archive " + archive.directory() + " knows no history (timeline) "
          + requested + "; it knows " + archive.timelines());
    }
    int timeline = requested > 0 ? requested : newestTimeline;
    if (timeline > 1 && !archive.hasHistoryFile(timeline)) {
      notes.add("the archive has no history file for timeline " + timeline + ": only backups taken on it count");
    }
    List<Branch> history = archive.history(timeline);
    List<Descriptor> candidates = new ArrayList<>();
    for (Descriptor backup : all) {
      long end = Lsn.parse(backup.endLsn());
      if (backup.systemIdentifier() != system) {
        notes.add("base backup " + backup.label() + " is of another server (system identifier "
            + backup.systemIdentifier() + ", not " + system + ")");
      } else if (history.stream().noneMatch(b -> b.timeline() == backup.timeline() && b.contains(end))) {
        notes.add("base backup " + backup.label() + " (timeline " + backup.timeline() + ", " + backup.endLsn()
            + ") is not on the history of timeline " + timeline + ", the one recovery follows");
      } else {
        candidates.add(backup);
      }
    }
    if (candidates.isEmpty()) {
      return new Coverage(Optional.empty(), List.of(), notes, null, null);
    }
    if (archive.isEmpty()) {
      Descriptor only = candidates.getLast();
      notes.add("the WAL archive " + archive.directory() + " holds no segment yet");
      RecoverableWindow window = new RecoverableWindow(only.finishedAt(), "end of base backup " + only.label(),
          only.finishedAt(), "end of base backup " + only.label() + ", from the WAL inside it", notes);
      return new Coverage(Optional.of(window), List.of(only.toBaseBackup(location(only))), notes, null, null);
    }

    // Each backup reaches as far as the archive is contiguous from its end segment.
    Map<Long, Optional<Path>> files = new HashMap<>();
    Map<Long, List<Descriptor>> byReach = new LinkedHashMap<>();
    for (Descriptor backup : candidates) {
      long segment = archive.segmentOf(Lsn.parse(backup.endLsn()));
      while (files.computeIfAbsent(segment, s -> archive.segmentFile(history, s, system)).isPresent()) {
        segment++;
      }
      byReach.computeIfAbsent(segment - 1, reach -> new ArrayList<>()).add(backup);
    }
    Reach best = null;
    for (Map.Entry<Long, List<Descriptor>> group : byReach.entrySet()) {
      Reach reach = reach(archive, files, group.getKey(), group.getValue());
      if (best == null || reach.latest().isAfter(best.latest())) {
        best = reach;
      }
    }
    for (Map.Entry<Long, List<Descriptor>> group : byReach.entrySet()) {
      if (group.getValue() != best.backups()) {
        for (Descriptor cut : group.getValue()) {
          notes.add("base backup " + cut.label() + " is cut off from the newer WAL: archived segment "
              + archive.fileName(timelineOf(history, group.getKey() + 1, archive), group.getKey() + 1)
              + " is missing or not of this server");
        }
      }
    }
    String hazard = null;
    long missing = best.reach() + 1;
    int missingTimeline = timelineOf(history, missing, archive);
    if (archive.hasFallbackFile(missing, timelineOf(history, best.reach(), archive), missingTimeline)) {
      hazard = "segment " + archive.fileName(missingTimeline, missing) + " of timeline " + missingTimeline
          + " is not archived yet while an older timeline's file for that segment is: replaying to the end would "
          + "continue on that abandoned branch. Wait until the server archives it (archive_timeout) or run "
          + "pg_switch_wal() on it";
      notes.add(hazard);
    }
    Descriptor oldest = best.backups().getFirst();
    RecoverableWindow window = new RecoverableWindow(oldest.finishedAt(), "end of base backup " + oldest.label(),
        best.latest(), best.latestBasis(), notes);
    return new Coverage(Optional.of(window),
        best.backups().stream().map(d -> d.toBaseBackup(location(d))).toList(), notes, best.newestCommit(), hazard);
  }

  PostgresSettings settings() {
    return settings;
  }

  /**
   * The newest moment the segments up to {@code reach} provably hold, for backups ending before it,
   * and the newest commit among them (a recovery target at or after it means replaying everything).
   */
  private Reach reach(WalArchive archive, Map<Long, Optional<Path>> files, long reach, List<Descriptor> backups) {
    Descriptor newestBackup = backups.getLast();
    long lowest = archive.segmentOf(Lsn.parse(backups.getFirst().endLsn()));
    Instant newestRecord = null;
    String basis = null;
    Instant newestCommit = null;
    for (long segment = reach; segment >= lowest && newestCommit == null; segment--) {
      Path file = files.get(segment).orElseThrow();
      Path next = segment < reach ? files.get(segment + 1).orElseThrow() : null;
      TimedRecords found = timedRecords(file, next);
      if (newestRecord == null && found.newest() != null) {
        newestRecord = found.newest();
        basis = "newest " + found.newestKind() + " in archived WAL segment " + file.getFileName();
      }
      newestCommit = found.newestCommit();
    }
    if (newestRecord == null || !newestRecord.isAfter(newestBackup.finishedAt())) {
      return new Reach(backups, reach, newestBackup.finishedAt(), "end of base backup " + newestBackup.label()
          + ", no later commit archived", newestCommit);
    }
    return new Reach(backups, reach, newestRecord, basis, newestCommit);
  }

  private static int timelineOf(List<Branch> history, long segment, WalArchive archive) {
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).begin() / archive.segmentSize() <= segment) {
        return history.get(i).timeline();
      }
    }
    return history.getFirst().timeline();
  }

  /**
   * The newest records in {@code segment} that carry the server's clock, read with
   * {@code pg_waldump}. The following segment, when given, lets a record that crosses into it be
   * decoded too.
   */
  private TimedRecords timedRecords(Path segment, Path next) {
    boolean sameTimeline = next != null
        && next.getFileName().toString().substring(0, 8).equals(segment.getFileName().toString().substring(0, 8));
    // start and end segment, both read: a single file name would make pg_waldump read on to the archive's end
    List<String> command = List.of(binaries().tool("pg_waldump").toString(), segment.toString(),
        (sameTimeline ? next : segment).toString());
    // pg_waldump prints times in its own time zone
    ToolRunner.Result result = tools.run(new ToolRunner.Invocation(command, Map.of("TZ", "UTC", "LC_ALL", "C"),
        SHORT_TOOL_TIMEOUT));
    Instant newest = null;
    String newestKind = null;
    Instant newestCommit = null;
    Matcher matcher = TIMED_RECORD.matcher(result.output());
    while (matcher.find()) {
      Instant time = LocalDateTime.parse(matcher.group(2), WALDUMP_TIME).toInstant(ZoneOffset.UTC);
      boolean commit = !matcher.group(1).startsWith("END_OF_RECOVERY");
      if (newest == null || time.isAfter(newest)) {
        newest = time;
        newestKind = commit ? "commit" : "end of recovery";
      }
      if (commit && (newestCommit == null || time.isAfter(newestCommit))) {
        newestCommit = time;
      }
    }
    if (newest == null && !result.succeeded() && !result.output().contains("rmgr:")) {
      // pg_waldump exits non-zero at the end of readable WAL; only no record at all is an error
      throw new DatabaseBackupException("pg_waldump could not read archived segment " + segment + ":\n"
          + result.output());
    }
    return new TimedRecords(newest, newestKind, newestCommit);
  }

  private List<Descriptor> descriptors() {
    Path directory = settings.backupDirectory();
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    List<Descriptor> found = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        Path descriptor = entry.resolve(DESCRIPTOR);
        if (!entry.getFileName().toString().startsWith(".") && Files.isRegularFile(descriptor)) {
          found.add(JSON.readValue(descriptor.toFile(), Descriptor.class));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the base backups in " + directory, e);
    }
    found.sort(Comparator.comparing(Descriptor::finishedAt));
    return found;
  }

  private Path location(Descriptor descriptor) {
    return settings.backupDirectory().resolve(descriptor.label());
  }

  private synchronized PostgresBinaries binaries() {
    if (binaries == null) {
      binaries = PostgresBinaries.locate(settings.binDirectory());
    }
    return binaries;
  }

  private Map<String, String> environment(Pgpass pgpass) {
    Map<String, String> environment = new HashMap<>(pgpass.environment());
    environment.put("PGCONNECT_TIMEOUT", "10");
    environment.put("PGAPPNAME", "c8-backup-orchestrator");
    environment.put("LC_ALL", "C");
    return environment;
  }

  /** Clock, identity and version of the server, over a normal connection as the configured user. */
  private ServerState serverState() {
    Properties properties = new Properties();
    properties.setProperty("user", settings.username());
    String password = Pgpass.password(settings);
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("connectTimeout", "10");
    properties.setProperty("ApplicationName", "c8-backup-orchestrator");
    try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), properties);
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("select clock_timestamp(), "
            + "(select system_identifier from pg_control_system()), current_setting('server_version')")) {
      rs.next();
      return new ServerState(rs.getObject(1, java.time.OffsetDateTime.class).toInstant(), rs.getLong(2),
          rs.getString(3));
    } catch (SQLException e) {
      throw new DatabaseBackupException("Could not query PostgreSQL at " + settings.jdbcUrl() + " as "
          + settings.username() + ": " + e.getMessage(), e);
    }
  }

  private static void requireLabel(String label) {
    if (label == null || !LABEL.matcher(label).matches()) {
      throw new IllegalArgumentException("Not a usable backup label (letters, digits, . _ -, up to 100): " + label);
    }
  }

  private static long size(Path folder) throws IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      long total = 0;
      for (Path file : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(file)) {
          total += Files.size(file);
        }
      }
      return total;
    }
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
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
  }

  private static void deleteQuietly(Path path) {
    try {
      deleteRecursively(path);
    } catch (IOException e) {
      LOG.warn("Could not delete {}: {}", path, e.getMessage());
    }
  }

  /**
   * @param newestCommit the newest commit or abort reachable in the window, or null if none was
   *     found after the oldest usable backup's end: a target at or after it is the whole archive
   * @param wholeArchiveHazard why replaying the whole archive (the newest state) is unsafe right
   *     now, or null
   */
  record Coverage(Optional<RecoverableWindow> window, List<BaseBackup> usableBackups, List<String> notes,
      Instant newestCommit, String wholeArchiveHazard) {}

  private record Reach(List<Descriptor> backups, long reach, Instant latest, String latestBasis,
      Instant newestCommit) {}

  private record TimedRecords(Instant newest, String newestKind, Instant newestCommit) {}

  private record ServerState(Instant clock, long systemIdentifier, String serverVersion) {}

  /** {@code base-backup.json}: what a recovery and the window need, without opening the archives. */
  record Descriptor(
      String label,
      Instant startedAt,
      Instant finishedAt,
      long sizeBytes,
      int timeline,
      String startLsn,
      String endLsn,
      long systemIdentifier,
      String serverVersion,
      String tool,
      String format,
      String walMethod) {

    BaseBackup toBaseBackup(Path location) {
      return new BaseBackup(label, startedAt, finishedAt, sizeBytes, location.toString(),
          new BaseBackup.LogRange(startLsn, endLsn, timeline));
    }
  }
}
