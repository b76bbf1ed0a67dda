package io.github.c8backup.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.c8backup.database.PostgresRetention.Candidate;
import io.github.c8backup.database.PostgresRetention.Plan;
import io.github.c8backup.database.WalArchive.Branch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The database side of retention as a table: base backups (label, end minute, WAL segments they
 * span), the archive's files and Zeebe's oldest range start → exactly what is deleted and kept.
 * Segments are 16 MiB; backup {@code bN} starts in segment {@code N} and ends in {@code N + 1}.
 */
class PostgresRetentionSelectionTest {

  private static final long SEGMENT = 16L << 20;
  private static final Instant T0 = Instant.parse("2026-01-10T12:00:00Z");
  private static final List<Branch> TIMELINE_1 = List.of(new Branch(1, 0, Long.MAX_VALUE));

  /** A usable backup on timeline 1 ending at minute {@code minute}, starting in segment {@code segment}. */
  private static Candidate backup(String label, int minute, int segment) {
    return new Candidate(new BaseBackup(label, at(minute - 1), at(minute), 1, "/b/" + label,
        new BaseBackup.LogRange(lsn(segment, 40), lsn(segment + 1, 100), 1)), null, false);
  }

  private static Candidate cutOff(String label, int minute, int segment) {
    Candidate usable = backup(label, minute, segment);
    return new Candidate(usable.backup(), "base backup " + label + " is cut off from the newer WAL", false);
  }

  private static Candidate abandonedTimeline(String label, int minute, int segment) {
    Candidate usable = backup(label, minute, segment);
    return new Candidate(usable.backup(), "base backup " + label + " is not on the history of timeline 2", true);
  }

  private static Instant at(int minute) {
    return T0.plus(Duration.ofMinutes(minute));
  }

  private static String lsn(long segment, long offset) {
    return WalArchive.Lsn.format(segment * SEGMENT + offset);
  }

  private static String wal(int timeline, long segment) {
    return String.format("%08X%08X%08X", timeline, segment / 256, segment % 256);
  }

  /** Segments {@code from..to} of timeline 1, plus {@code extra} (history files and the like). */
  private static List<String> archive(int from, int to, String... extra) {
    List<String> files = new ArrayList<>();
    for (int s = from; s <= to; s++) {
      files.add(wal(1, s));
    }
    files.addAll(List.of(extra));
    return files;
  }

  private static List<String> walNames(int from, int to) {
    List<String> names = new ArrayList<>();
    for (int s = from; s <= to; s++) {
      names.add(wal(1, s));
    }
    return names;
  }

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of("Zeebe's oldest range starts after b3: b1 and b2 go, with WAL before b3's start",
            List.of(backup("b1", 10, 2), backup("b2", 20, 5), backup("b3", 30, 8), backup("b4", 40, 11)),
            archive(1, 14, "00000001.history_not_a_segment", "000000010000000000000003.00000028.backup"), 35, 1,
            List.of("b1", "b2"), List.of("b3", "b4"), "b3", walNames(1, 7)),
        Arguments.of("a backup ending exactly at Zeebe's oldest start is the one kept",
            List.of(backup("b1", 10, 2), backup("b2", 20, 5), backup("b3", 30, 8)),
            archive(1, 10), 21, 1,
            List.of("b1"), List.of("b2", "b3"), "b2", walNames(1, 4)),
        Arguments.of("Zeebe reaches further back than every backup: the oldest is kept, nothing goes",
            List.of(backup("b1", 10, 2), backup("b2", 20, 5)),
            archive(1, 8), 5, 1,
            List.of(), List.of("b1", "b2"), "b1", walNames(1, 1)),
        Arguments.of("Zeebe's oldest start after the newest backup: only the newest stays, never deleted",
            List.of(backup("b1", 10, 2), backup("b2", 20, 5)),
            archive(1, 8), 500, 1,
            List.of("b1"), List.of("b2"), "b2", walNames(1, 4)),
        Arguments.of("keep-at-least keeps more, never less",
            List.of(backup("b1", 10, 2), backup("b2", 20, 5), backup("b3", 30, 8)),
            archive(1, 10), 500, 2,
            List.of("b1"), List.of("b2", "b3"), "b3", walNames(1, 4)),
        Arguments.of("the clock tolerance (1 min) keeps the backup ending within it of Zeebe's start",
            List.of(backup("b1", 10, 2), backup("b2", 20, 5)),
            archive(1, 8), 20, 1,
            List.of(), List.of("b1", "b2"), "b1", walNames(1, 1)),
        Arguments.of("a backup on an abandoned timeline older than the kept one goes; it blocks nothing",
            List.of(abandonedTimeline("old", 5, 1), backup("b1", 10, 2), backup("b2", 20, 5)),
            archive(0, 8, "00000002.history"), 25, 1,
            List.of("old", "b1"), List.of("b2"), "b2", walNames(0, 4)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void selectsExactlyWhatZeebesOldestRangeNoLongerNeeds(String description, List<Candidate> backups, List<String> files,
      int zeebeOldestMinute, int keepAtLeast, List<String> deleted, List<String> kept, String keptForZeebe, List<String> walDeleted) {
    // when
    Plan plan = PostgresRetention.select(backups, files, SEGMENT, TIMELINE_1, request(zeebeOldestMinute, keepAtLeast));

    // then
    assertThat(plan.refusal()).as(description).isNull();
    assertThat(plan.deleteBackups()).as(description).containsExactlyElementsOf(deleted);
    assertThat(plan.keep()).as(description).containsExactlyElementsOf(kept).contains(backups.getLast().backup().label());
    assertThat(plan.keptForZeebe()).isEqualTo(keptForZeebe);
    assertThat(plan.deleteWal()).as(description).containsExactlyElementsOf(walDeleted)
        .noneMatch(name -> name.endsWith(".history") || name.endsWith(".backup") || name.endsWith(".partial"));
  }

  static Stream<Arguments> unsafe() {
    return Stream.of(
        Arguments.of("a segment missing after the kept backup's end",
            List.of(backup("b1", 10, 2), backup("b2", 20, 5), backup("b3", 30, 8)),
            withoutSegment(archive(1, 12), 9), 35, "the WAL archive has a gap: segment " + wal(1, 9)),
        Arguments.of("a gap that cuts an old backup off",
            List.of(cutOff("b1", 10, 2), backup("b2", 20, 5), backup("b3", 30, 8)),
            withoutSegment(archive(1, 12), 4), 35, "is cut off from the newer WAL"),
        Arguments.of("Zeebe's newest backup dated before the newest base backup ended",
            List.of(backup("b1", 10, 2), backup("b2", 2000, 5)),
            archive(1, 8), 35, "the clocks cannot be compared"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unsafe")
  void anUnsafeStateDeletesNothingAndSaysWhy(String description, List<Candidate> backups, List<String> files, int zeebeOldestMinute,
      String reason) {
    // when
    Plan plan = PostgresRetention.select(backups, files, SEGMENT, TIMELINE_1, request(zeebeOldestMinute, 1));

    // then
    assertThat(plan.refusal()).as(description).contains(reason);
    assertThat(plan.deleteBackups()).isEmpty();
    assertThat(plan.deleteWal()).isEmpty();
  }

  private static List<String> withoutSegment(List<String> files, long segment) {
    List<String> left = new ArrayList<>(files);
    left.remove(wal(1, segment));
    return left;
  }

  /** Zeebe's newest backup an hour after T0 + 100 min, after every backup of the table but the skewed one. */
  private static DatabaseRetentionRequest request(int zeebeOldestMinute, int keepAtLeast) {
    return new DatabaseRetentionRequest(at(zeebeOldestMinute), at(160), Duration.ofMinutes(1), keepAtLeast);
  }
}
