package io.github.c8backup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.c8backup.cluster.zeebe.BackupRuntimeState;
import io.github.c8backup.cluster.zeebe.BackupRuntimeState.BackupRange;
import io.github.c8backup.cluster.zeebe.BackupRuntimeState.Checkpoint;
import io.github.c8backup.cluster.zeebe.PartitionBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackupState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Zeebe side of retention: backups 1..5 one per ten minutes from T0 on, on two partitions,
 * against the database window's start.
 */
class ZeebeRetentionTest {

  private static final Instant T0 = Instant.parse("2026-01-10T12:00:00Z");
  private static final Duration TOLERANCE = Duration.ofMinutes(1);

  @Test
  void deletesTheStartOfEveryRangeUpToTheNewestBackupAtOrBeforeTheWindowStart() {
    // when the database can recover from minute 25 on
    var plan = ZeebeRetention.select(state(range(1, 1, 5), range(2, 1, 5)), backups(1, 5), minute(25), TOLERANCE);

    // then backup 3 (minute 20) is needed for minute 25; 1 and 2 serve no restore
    assertThat(plan.refusal()).isNull();
    assertThat(plan.delete()).containsExactly(1L, 2L);
    assertThat(plan.keptForWindowStart()).isEqualTo(3L);
  }

  @Test
  void deletesNothingWhenEveryBackupIsInsideTheWindow() {
    var plan = ZeebeRetention.select(state(range(1, 1, 5), range(2, 1, 5)), backups(1, 5), minute(-5), TOLERANCE);

    assertThat(plan.delete()).isEmpty();
    assertThat(plan.keptForWindowStart()).isNull();
  }

  @Test
  void neverDeletesAllNorTheNewest() {
    // when the window starts after Zeebe's newest backup
    var plan = ZeebeRetention.select(state(range(1, 1, 5), range(2, 1, 5)), backups(1, 5), minute(500), TOLERANCE);

    // then the newest stays, as the one a restore to the window's start needs
    assertThat(plan.delete()).containsExactly(1L, 2L, 3L, 4L);
    assertThat(plan.keptForWindowStart()).isEqualTo(5L);
  }

  @Test
  void theClockToleranceKeepsTheOlderBackupWhenTheTimesAreTooClose() {
    // backup 3 at minute 20 and the window from minute 20:30: too close to tell, backup 2 is kept for it
    var plan = ZeebeRetention.select(state(range(1, 1, 5), range(2, 1, 5)), backups(1, 5), minute(20).plusSeconds(30), TOLERANCE);

    assertThat(plan.delete()).containsExactly(1L);
    assertThat(plan.keptForWindowStart()).isEqualTo(2L);
  }

  @Test
  void touchesOnlyBackupsInsideEveryPartitionsRange() {
    // given partition 2's range starts at 2 (Zeebe's own retention went further there)
    var plan = ZeebeRetention.select(state(range(1, 1, 5), range(2, 2, 5)), backups(1, 5), minute(35), TOLERANCE);

    // then 1 is not in a range of every partition and is left to Zeebe; 2 and 3 go, 4 is kept
    assertThat(plan.delete()).containsExactly(2L, 3L);
    assertThat(plan.keptForWindowStart()).isEqualTo(4L);
  }

  @Test
  void aRangeGapDeletesNothing() {
    var plan = ZeebeRetention.select(state(range(1, 1, 2), range(1, 4, 5), range(2, 1, 5)), backups(1, 5), minute(35), TOLERANCE);

    assertThat(plan.refusal()).contains("partition 1 has 2 backup ranges");
    assertThat(plan.delete()).isEmpty();
  }

  @Test
  void aBackupWithoutCreationTimesDeletesNothing() {
    List<ZeebeBackup> backups = new ArrayList<>(backups(2, 5));
    backups.addFirst(new ZeebeBackup(1, ZeebeBackupState.COMPLETED, null, List.of()));

    var plan = ZeebeRetention.select(state(range(1, 1, 5), range(2, 1, 5)), backups, minute(35), TOLERANCE);

    assertThat(plan.refusal()).contains("Zeebe backup 1 carries no creation time");
    assertThat(plan.delete()).isEmpty();
  }

  @Test
  void leavesFailedAndDeletedBackupsToZeebe() {
    List<ZeebeBackup> backups = new ArrayList<>(backups(1, 5));
    backups.set(0, new ZeebeBackup(1, ZeebeBackupState.DELETED, null, backups.getFirst().partitions()));

    var plan = ZeebeRetention.select(state(range(1, 1, 5), range(2, 1, 5)), backups, minute(25), TOLERANCE);

    assertThat(plan.delete()).containsExactly(2L);
  }

  private static Instant minute(int minute) {
    return T0.plus(Duration.ofMinutes(minute));
  }

  /** Backup {@code id} was created at minute {@code (id - 1) * 10} on both partitions. */
  private static List<ZeebeBackup> backups(int from, int to) {
    List<ZeebeBackup> backups = new ArrayList<>();
    for (int id = from; id <= to; id++) {
      Instant at = minute((id - 1) * 10);
      backups.add(new ZeebeBackup(id, ZeebeBackupState.COMPLETED, null, List.of(
          new PartitionBackup(1, ZeebeBackupState.COMPLETED, null, at, at, null, null, null, null),
          new PartitionBackup(2, ZeebeBackupState.COMPLETED, null, at.plusSeconds(2), at, null, null, null, null))));
    }
    return backups;
  }

  private static BackupRange range(int partition, long from, long to) {
    return new BackupRange(partition, checkpoint(partition, from), checkpoint(partition, to));
  }

  private static Checkpoint checkpoint(int partition, long id) {
    return new Checkpoint(id, partition, "SCHEDULED_BACKUP", id * 100, minute((int) (id - 1) * 10), 1L);
  }

  private static BackupRuntimeState state(BackupRange... ranges) {
    return new BackupRuntimeState(List.of(), List.of(), List.of(ranges));
  }
}
