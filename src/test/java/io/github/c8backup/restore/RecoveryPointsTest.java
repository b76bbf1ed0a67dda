package io.github.c8backup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.c8backup.cluster.zeebe.BackupRuntimeState;
import io.github.c8backup.cluster.zeebe.BackupRuntimeState.BackupRange;
import io.github.c8backup.cluster.zeebe.BackupRuntimeState.Checkpoint;
import io.github.c8backup.database.RecoverableWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecoveryPointsTest {

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  private static Instant at(int minutes) {
    return T0.plusSeconds(60L * minutes);
  }

  private static Optional<RecoverableWindow> database(int from, int to) {
    return Optional.of(new RecoverableWindow(at(from), "base backup", at(to), "WAL archive", List.of()));
  }

  private static Checkpoint checkpoint(int partition, int minute) {
    return new Checkpoint(1_000L + minute, partition, "SCHEDULED_BACKUP", 10L * minute, at(minute), 1L);
  }

  /** {partition, fromMinute, toMinute} triples. */
  private static BackupRuntimeState zeebe(int[]... ranges) {
    List<BackupRange> list = new ArrayList<>();
    for (int[] r : ranges) {
      list.add(new BackupRange(r[0], checkpoint(r[0], r[1]), checkpoint(r[0], r[2])));
    }
    return new BackupRuntimeState(List.of(), List.of(), list);
  }

  @Test
  void acceptsAMomentInsideTheDatabaseWindowAndOneRangeOfEveryPartition() {
    RecoveryPoints points = RecoveryPoints.of(database(0, 60), zeebe(new int[] {1, 10, 50}, new int[] {2, 5, 55}), 2);

    assertThat(points.restorable()).containsExactly(new RecoveryPoints.Span(at(10), at(50)));
    assertThat(points.check(at(30)).accepted()).isTrue();
    assertThat(points.check(at(30)).recoveryPoint()).isEqualTo(at(30));
    assertThat(points.check(null).recoveryPoint()).as("latest").isEqualTo(at(50));
  }

  @Test
  void refusesAMomentBeforeTheEarliestBackupWithTheNearestValidOne() {
    var verdict = RecoveryPoints.of(database(20, 60), zeebe(new int[] {1, 10, 50}), 1).check(at(15));

    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason()).contains("before the earliest", "none before", at(20) + " (after)");
  }

  @Test
  void refusesAMomentInARangeGapWithTheMomentsOnEitherSide() {
    var verdict = RecoveryPoints.of(database(0, 90), zeebe(new int[] {1, 10, 30}, new int[] {1, 40, 80}), 1).check(at(35));

    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason()).contains("in a gap", at(30) + " (before)", at(40) + " (after)");
  }

  @Test
  void refusesAMomentAfterTheNewestArchivedWal() {
    var verdict = RecoveryPoints.of(database(0, 45), zeebe(new int[] {1, 10, 50}), 1).check(at(47));

    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason()).contains("after the latest", at(45) + " (before)");
  }

  @Test
  void refusesEverythingWithoutContinuousBackupsOrABaseBackup() {
    assertThat(RecoveryPoints.of(database(0, 45), zeebe(), 1).check(null).reason()).contains("continuous backups are off");
    assertThat(RecoveryPoints.of(Optional.empty(), zeebe(new int[] {1, 10, 50}), 1).check(at(20)).reason()).contains("no base backup");
    assertThat(RecoveryPoints.of(database(0, 45), zeebe(new int[] {1, 10, 50}), 2).check(at(20)).reason()).contains("partition 2 has no backup range");
  }
}
