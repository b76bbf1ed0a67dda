package io.github.c8backup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.c8backup.cluster.zeebe.PartitionBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackupState;
import io.github.c8backup.database.DatabaseHistory;
import io.github.c8backup.database.RecoverableWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An earlier history's Zeebe backups: only those checkpointed on the history's path count, they
 * form ranges by log position as Zeebe's would, and the brokers get back onto the history with the
 * contiguous run of them that ends at the restore point.
 */
class HistoryBackupsTest {

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  private static Instant at(int minutes) {
    return T0.plusSeconds(60L * minutes);
  }

  /** A backup at {@code minute} on both partitions, its log from {@code firstLog} to checkpoint {@code position}. */
  private static ZeebeBackup backup(int minute, long firstLog, long position) {
    List<PartitionBackup> parts = new ArrayList<>();
    for (int p = 1; p <= 2; p++) {
      parts.add(new PartitionBackup(p, ZeebeBackupState.COMPLETED, null, at(minute), at(minute), "s", position, 0, "8.9.1", firstLog));
    }
    return new ZeebeBackup(1_000L + minute, ZeebeBackupState.COMPLETED, null, parts);
  }

  /** History 1, left at minute 30 by a restore to minute 12 that started history 2. */
  private static final DatabaseHistory HISTORY_1 = new DatabaseHistory(1, null, null, at(30), false,
      List.of(new DatabaseHistory.Period(1, null, at(30))), window(0, 28), null);
  private static final DatabaseHistory HISTORY_2 = new DatabaseHistory(2, 1, at(30), null, true,
      List.of(new DatabaseHistory.Period(1, null, at(12)), new DatabaseHistory.Period(2, at(30), null)), window(0, 50), null);

  private static RecoverableWindow window(int from, int to) {
    return new RecoverableWindow(at(from), "base backup", at(to), "WAL archive", List.of());
  }

  /** History 1's backups at 5, 10, 20; history 2 restored checkpoint 10 and took 35 and 40 (its positions reuse 20's). */
  private static final List<ZeebeBackup> STORE = List.of(
      backup(5, 1, 50), backup(10, 51, 100), backup(20, 101, 200), backup(35, 101, 150), backup(40, 151, 220));

  @Test
  void keepsOnlyTheBackupsOfTheHistorysPathAndRangesThemByLogPosition() {
    HistoryBackups first = HistoryBackups.of(STORE, HISTORY_1, 2);
    HistoryBackups second = HistoryBackups.of(STORE, HISTORY_2, 2);

    assertThat(first.asRuntimeState().ranges()).hasSize(2).allSatisfy(range -> {
      assertThat(range.start().checkpointId()).isEqualTo(1_005L);
      assertThat(range.end().checkpointId()).isEqualTo(1_020L);
    });
    assertThat(second.asRuntimeState().ranges()).allSatisfy(range -> {
      assertThat(range.start().checkpointId()).isEqualTo(1_005L);
      assertThat(range.end().checkpointId()).isEqualTo(1_040L);
    });
    // 20 is not on history 2's path although its log chains the same way
    assertThat(second.chainTo(at(40)).orElseThrow().backupIds()).containsExactly(1_005L, 1_010L, 1_035L, 1_040L);
  }

  @Test
  void latestOnAnEarlierHistoryEndsAtItsNewestBackupInsideTheDatabaseWindow() {
    HistoryBackups first = HistoryBackups.of(STORE, HISTORY_1, 2);

    RecoveryPoints.Verdict verdict = RecoveryPoints.of(Optional.of(HISTORY_1.window()), first.asRuntimeState(), 2).check(null);
    HistoryBackups.Chain chain = first.chainTo(verdict.recoveryPoint()).orElseThrow();

    assertThat(verdict.recoveryPoint()).isEqualTo(at(20));
    assertThat(chain.backupIds()).containsExactly(1_005L, 1_010L, 1_020L);
    assertThat(chain.lastCheckpoint()).isEqualTo(at(20));
  }

  @Test
  void aMomentBetweenTwoBackupsIsRoundedDownToTheEarlierOne() {
    HistoryBackups first = HistoryBackups.of(STORE, HISTORY_1, 2);

    HistoryBackups.Chain chain = first.chainTo(at(15)).orElseThrow();

    assertThat(chain.backupIds()).containsExactly(1_005L, 1_010L);
    assertThat(chain.lastCheckpoint()).isEqualTo(at(10));
    assertThat(first.chainTo(at(4))).isEmpty();
  }

  @Test
  void aGapInTheLogStartsANewRangeAndTheChainAfterIt() {
    List<ZeebeBackup> gap = List.of(backup(5, 1, 50), backup(10, 51, 100), backup(20, 150, 200));

    HistoryBackups first = HistoryBackups.of(gap, HISTORY_1, 2);

    assertThat(first.asRuntimeState().rangesByPartition().get(1)).hasSize(2);
    assertThat(first.chainTo(at(25)).orElseThrow().backupIds()).containsExactly(1_020L);
  }
}
