package io.github.c8backup.database;

import io.github.c8backup.database.WalArchive.Branch;
import io.github.c8backup.database.WalArchive.Lsn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention of PostgreSQL base backups and archived WAL, in step with Zeebe's own retention
 * window (8.9 deletes old Zeebe backups by itself and its ranges shrink, reference 6.4 and 9;
 * the database is the user's to clean, reference 6.3).
 *
 * <p><b>The rule.</b> Zeebe can restore no earlier than the start of its oldest backup range, so
 * the database must be recoverable from that moment on (a restore recovers the database first, to
 * a point no later than Zeebe's, reference 7.5). With {@code T} = Zeebe's oldest range start minus
 * the clock tolerance:
 * <ol>
 *   <li>keep the newest usable base backup that ends at or before {@code T} (or the oldest usable
 *       one if none does), every newer one, and at least {@code keepAtLeast}: the newest is never
 *       deleted;
 *   <li>delete the older base backups, oldest first;
 *   <li>then delete archived WAL segments (any timeline) whose segment number is below the start
 *       segment of the oldest kept backup. A recovery from a kept backup starts reading WAL at
 *       that backup's start, and a newer timeline branches off at a point after it, so no kept
 *       backup and no timeline in use needs them. Timeline history files ({@code .history}),
 *       backup history files and {@code .partial} files are never deleted.
 * </ol>
 *
 * <p><b>Unsafe states delete nothing</b> and say why: no WAL archived yet; a gap in the archive
 * from the oldest kept backup's end to its newest segment on the followed timeline (what a
 * recovery from a kept backup would replay); a base backup that does not count in the recoverable
 * window for another reason than lying on an abandoned timeline (cut off by a gap, of another
 * server); and clocks that cannot be compared (Zeebe's newest backup, taken after the newest base
 * backup, dated before that backup's end). Backups on an abandoned timeline (left by a
 * point-in-time recovery) do not block it: they are deleted when older than the kept one, kept
 * otherwise.
 *
 * <p>Deletions go oldest first and each base backup leaves the listing atomically ({@link
 * PostgresBackups#delete}), so a failure half-way leaves a window that only starts later, never
 * one with a hole; running it again finishes the job. Like {@code pg_archivecleanup} (which
 * removes the WAL files logically preceding a given one, PostgreSQL docs "pg_archivecleanup"),
 * it compares segment numbers, not file times.
 */
final class PostgresRetention {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresRetention.class);
  private static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}");

  private final PostgresBackups backups;

  PostgresRetention(PostgresBackups backups) {
    this.backups = backups;
  }

  DatabaseRetentionResult apply(DatabaseRetentionRequest request) {
    PostgresBackups.Coverage coverage = backups.coverage();
    Plan plan = plan(coverage, request);
    RecoverableWindow before = coverage.window().orElse(null);
    if (plan.refusal() != null) {
      LOG.warn("Retention of {}: nothing deleted, {}", backups.settings().backupDirectory(), plan.refusal());
      return new DatabaseRetentionResult(plan.refusal(), List.of(), plan.keep(), plan.keptForZeebe(), List.of(), null, before);
    }
    for (String label : plan.deleteBackups()) {
      backups.delete(label);
    }
    Path archive = backups.settings().walArchiveDirectory();
    for (String file : plan.deleteWal()) {
      try {
        Files.deleteIfExists(archive.resolve(file));
      } catch (IOException e) {
        throw new UncheckedIOException("Could not delete archived WAL segment " + file + " from " + archive
            + " (the segments before it are deleted, those after it kept)", e);
      }
    }
    RecoverableWindow after = backups.recoverableWindow().orElse(null);
    LOG.info("Retention of {} for Zeebe's oldest range start {}: deleted base backups {} and {} WAL segments{}; kept {} "
            + "(for Zeebe: {}); recoverable window now {}", backups.settings().backupDirectory(), request.zeebeOldestStart(),
        plan.deleteBackups(), plan.deleteWal().size(),
        plan.deleteWal().isEmpty() ? "" : " (" + plan.deleteWal().getFirst() + " to " + plan.deleteWal().getLast() + ")",
        plan.keep(), plan.keptForZeebe(), after == null ? "none" : after.describe());
    return new DatabaseRetentionResult(null, plan.deleteBackups(), plan.keep(), plan.keptForZeebe(), plan.deleteWal(),
        plan.oldestKeptWal(), after);
  }

  /** Reads the backups and the archive, then {@link #select}. */
  Plan plan(PostgresBackups.Coverage coverage, DatabaseRetentionRequest request) {
    List<BaseBackup> all = backups.baseBackups();
    if (all.isEmpty()) {
      return Plan.refused("there is no base backup", List.of(), null);
    }
    Path directory = backups.settings().walArchiveDirectory();
    WalArchive archive = WalArchive.read(directory);
    if (archive.isEmpty()) {
      return Plan.refused("the WAL archive " + directory + " holds no segment yet", List.of(), null);
    }
    int timeline = Math.max(archive.newestTimeline(),
        all.stream().mapToInt(b -> b.logRange() == null || b.logRange().timeline() == null ? 1 : b.logRange().timeline()).max().orElse(1));
    List<Branch> history = archive.history(timeline);
    Set<String> usable = new HashSet<>();
    coverage.usableBackups().forEach(b -> usable.add(b.label()));
    List<Candidate> candidates = new ArrayList<>();
    for (BaseBackup backup : all) {
      if (usable.contains(backup.label())) {
        candidates.add(new Candidate(backup, null, false));
      } else {
        boolean offHistory = backup.logRange() != null && backup.logRange().timeline() != null
            && history.stream().noneMatch(b -> b.timeline() == backup.logRange().timeline() && b.contains(Lsn.parse(backup.logRange().end())));
        String reason = coverage.notes().stream().filter(n -> n.contains("base backup " + backup.label() + " ")).findFirst()
            .orElse("base backup " + backup.label() + " does not count in the recoverable window");
        candidates.add(new Candidate(backup, reason, offHistory));
      }
    }
    return select(candidates, archiveFiles(directory), archive.segmentSize(), history, request);
  }

  /**
   * The rule of the class comment, on what was read: base backups oldest first (by end), with why
   * each does not count in the window, if it does not; the archive's file names; the followed
   * timeline's history.
   */
  static Plan select(List<Candidate> candidates, List<String> archiveFiles, long segmentSize, List<Branch> history,
      DatabaseRetentionRequest request) {
    List<Candidate> backups = candidates.stream().sorted(Comparator.comparing(c -> c.backup().finishedAt())).toList();
    List<String> labels = backups.stream().map(c -> c.backup().label()).toList();
    if (backups.isEmpty()) {
      return Plan.refused("there is no base backup", List.of(), null);
    }
    for (Candidate candidate : backups) {
      if (candidate.unusableBecause() != null && !candidate.offHistory()) {
        return Plan.refused(candidate.unusableBecause(), labels, null);
      }
      if (candidate.backup().logRange() == null) {
        return Plan.refused("base backup " + candidate.backup().label() + " names no WAL range", labels, null);
      }
    }
    BaseBackup newest = backups.getLast().backup();
    Instant newestAllowed = request.zeebeNewest().plus(request.clockTolerance());
    if (newest.finishedAt().isAfter(newestAllowed)) {
      return Plan.refused("the clocks cannot be compared: Zeebe's newest backup, taken after base backup " + newest.label()
          + ", is dated " + request.zeebeNewest() + ", before that backup ended at " + newest.finishedAt()
          + " (by the database server's clock) by more than the tolerance " + request.clockTolerance(), labels, null);
    }
    Instant threshold = request.zeebeOldestStart().minus(request.clockTolerance());
    int keepFrom = -1;
    for (int i = 0; i < backups.size(); i++) {
      Candidate candidate = backups.get(i);
      if (candidate.unusableBecause() == null && !candidate.backup().finishedAt().isAfter(threshold)) {
        keepFrom = i;
      }
    }
    if (keepFrom < 0) {
      for (int i = 0; i < backups.size() && keepFrom < 0; i++) {
        if (backups.get(i).unusableBecause() == null) {
          keepFrom = i;
        }
      }
    }
    if (keepFrom < 0) {
      return Plan.refused("no base backup counts in the recoverable window", labels, null);
    }
    String keptForZeebe = backups.get(keepFrom).backup().label();
    keepFrom = Math.max(0, Math.min(keepFrom, backups.size() - request.keepAtLeast()));
    List<Candidate> kept = backups.subList(keepFrom, backups.size());
    List<String> keep = labels.subList(keepFrom, labels.size());
    List<String> delete = labels.subList(0, keepFrom);

    long cutoff = kept.stream().mapToLong(c -> Lsn.parse(c.backup().logRange().start()) / segmentSize).min().orElseThrow();
    long replayFrom = Lsn.parse(backups.get(keepFrom).backup().logRange().end()) / segmentSize;
    Set<String> present = new HashSet<>(archiveFiles);
    long highest = -1;
    for (String name : archiveFiles) {
      if (SEGMENT.matcher(name).matches()) {
        long segment = segmentNumber(name, segmentSize);
        if (name.equals(fileName(timelineOf(history, segment, segmentSize), segment, segmentSize))) {
          highest = Math.max(highest, segment);
        }
      }
    }
    for (long segment = replayFrom; segment <= highest; segment++) {
      String expected = fileName(timelineOf(history, segment, segmentSize), segment, segmentSize);
      if (!present.contains(expected)) {
        return Plan.refused("the WAL archive has a gap: segment " + expected + " is missing, and a recovery from base backup "
            + backups.get(keepFrom).backup().label() + " would replay it", keep, keptForZeebe);
      }
    }
    List<String> deleteWal = archiveFiles.stream()
        .filter(name -> SEGMENT.matcher(name).matches() && segmentNumber(name, segmentSize) < cutoff)
        .sorted(Comparator.comparingLong((String name) -> segmentNumber(name, segmentSize)).thenComparing(name -> name))
        .toList();
    String oldestKeptWal = fileName(timelineOf(history, cutoff, segmentSize), cutoff, segmentSize);
    return new Plan(null, List.copyOf(delete), List.copyOf(keep), keptForZeebe, deleteWal, oldestKeptWal);
  }

  private static List<String> archiveFiles(Path directory) {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        names.add(file.getFileName().toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list the WAL archive " + directory, e);
    }
    return names;
  }

  private static long segmentNumber(String name, long segmentSize) {
    long perLogId = 0x1_0000_0000L / segmentSize;
    return Long.parseLong(name.substring(8, 16), 16) * perLogId + Long.parseLong(name.substring(16, 24), 16);
  }

  private static String fileName(int timeline, long segment, long segmentSize) {
    long perLogId = 0x1_0000_0000L / segmentSize;
    return String.format("%08X%08X%08X", timeline, segment / perLogId, segment % perLogId);
  }

  /** The timeline whose file a recovery following {@code history} reads for {@code segment}: the newest branch begun by then. */
  private static int timelineOf(List<Branch> history, long segment, long segmentSize) {
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).begin() / segmentSize <= segment) {
        return history.get(i).timeline();
      }
    }
    return history.getFirst().timeline();
  }

  /**
   * @param unusableBecause why it does not count in the recoverable window, or null if it does
   * @param offHistory whether that is because it lies on a timeline the archive's newest one abandoned
   */
  record Candidate(BaseBackup backup, String unusableBecause, boolean offHistory) {}

  /**
   * @param refusal why nothing may be deleted, or null
   * @param keptForZeebe the base backup kept for the start of Zeebe's oldest range
   * @param oldestKeptWal the name the oldest kept WAL segment has on the followed history
   */
  record Plan(String refusal, List<String> deleteBackups, List<String> keep, String keptForZeebe, List<String> deleteWal,
      String oldestKeptWal) {

    static Plan refused(String why, List<String> keep, String keptForZeebe) {
      return new Plan(why, List.of(), List.copyOf(keep), keptForZeebe, List.of(), null);
    }
  }
}
