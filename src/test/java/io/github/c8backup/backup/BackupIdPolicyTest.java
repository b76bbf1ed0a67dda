package io.github.c8backup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.c8backup.cluster.zeebe.ZeebeBackup;
import io.github.c8backup.cluster.zeebe.ZeebeBackupState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupIdPolicyTest {

  private static final Clock NOW = Clock.fixed(Instant.ofEpochSecond(1_764_000_000L), ZoneOffset.UTC);

  private static ZeebeBackup backup(long id, ZeebeBackupState state) {
    return new ZeebeBackup(id, state, null, List.of());
  }

  @Test
  void usesTheUnixTimeInSecondsByDefault() {
    assertThat(BackupIdPolicy.next(List.of(), NOW)).isEqualTo(1_764_000_000L);
    assertThat(BackupIdPolicy.next(List.of(backup(5, ZeebeBackupState.COMPLETED)), NOW)).isEqualTo(1_764_000_000L);
  }

  @Test
  void staysAboveEveryEarlierBackupEvenAFailedOne() {
    // an earlier run used millisecond IDs; Zeebe would refuse anything lower (409)
    long failedMillis = 1_764_000_000_123L;
    assertThat(BackupIdPolicy.next(List.of(backup(10, ZeebeBackupState.COMPLETED), backup(failedMillis, ZeebeBackupState.FAILED)), NOW))
        .isEqualTo(failedMillis + 1);
  }

  @Test
  void rejectsRequestedIdsThatZeebeWouldRefuse() {
    List<ZeebeBackup> existing = List.of(backup(100, ZeebeBackupState.COMPLETED));
    assertThat(BackupIdPolicy.rejectRequested(100, existing)).contains("not greater than the latest Zeebe backup 100");
    assertThat(BackupIdPolicy.rejectRequested(0, existing)).contains("positive");
    assertThat(BackupIdPolicy.rejectRequested(101, existing)).isNull();
  }
}
