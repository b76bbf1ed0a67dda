package io.github.c8backup.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackupScheduleTest {

  @ParameterizedTest
  @ValueSource(strings = {"R/PT24H", "R5/PT10M", "R/2026-11-25T02:00:00Z/P1D", "0 0 2 * * *", "0 */15 * * * ?"})
  void acceptsIsoRepeatingIntervalsAndCron(String expression) {
    assertThat(BackupSchedule.problem(expression)).isNull();
    assertThat(new BackupSchedule(expression).expression()).isEqualTo(expression);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "PT24H", "R/PT0S", "R/P1X", "every night", "0 0 2 * *", "R/2026-11-25/PT1H/extra"})
  void rejectsAnythingElseWithAClearMessage(String expression) {
    assertThat(BackupSchedule.problem(expression)).isNotNull();
    assertThatThrownBy(() -> new BackupSchedule(expression))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("R/PT24H");
  }
}
