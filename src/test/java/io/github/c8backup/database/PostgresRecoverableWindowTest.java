package io.github.c8backup.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.c8backup.sandbox.storage.PostgresProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recoverable window comes from the base backups and the archive, and a recovery outside it is
 * refused with the nearest valid points before anything is stopped or written.
 */
class PostgresRecoverableWindowTest {

  @Test
  void spansFromTheOldestBackupToTheNewestArchivedCommitAndRefusesTargetsOutsideIt(@TempDir Path scratch)
      throws IOException {
    try (PostgresProcess postgres = PostgresProcess.start("camunda")) {
      // given
      Database db = new Database(postgres);
      PostgresBackups backups = new PostgresBackups(postgres.settings());
      PostgresRecovery recovery = new PostgresRecovery(postgres.settings());
      db.execute("create table instances (name text primary key)", "insert into instances values ('A')");
      assertThat(backups.recoverableWindow()).isEmpty();
      assertThatThrownBy(() -> recovery.plan(null)).isInstanceOf(RecoveryRefused.class)
          .hasMessageContaining("Nothing to recover from").hasMessageContaining("no base backup");

      BaseBackup first = backups.takeBaseBackup("first");
      Instant beforeCommit = db.now();
      db.execute("insert into instances values ('A2')");
      Instant afterCommit = db.now();
      postgres.switchWalAndAwaitArchived();

      // when
      RecoverableWindow window = backups.recoverableWindow().orElseThrow();

      // then
      assertThat(window.earliest()).isEqualTo(first.finishedAt());
      assertThat(window.earliestBasis()).isEqualTo("end of base backup first");
      assertThat(window.latest()).isBetween(beforeCommit, afterCommit);
      assertThat(window.latestBasis()).startsWith("newest commit in archived WAL segment 00000001");
      assertThat(window.notes()).isEmpty();

      // when a recovery is asked for just outside the window
      long postmaster = postgres.processHandle().pid();
      Instant tooEarly = window.earliest().minusMillis(1);
      Instant tooLate = window.latest().plusMillis(1);

      // then it is refused, with the valid range, and the server was never stopped
      assertThatThrownBy(() -> postgres.recoverTo(tooEarly)).isInstanceOf(RecoveryRefused.class)
          .hasMessageContaining("before the earliest recoverable moment " + window.earliest())
          .hasMessageContaining("from " + window.earliest() + " (end of base backup first) to " + window.latest());
      assertThatThrownBy(() -> postgres.recoverTo(tooLate)).isInstanceOf(RecoveryRefused.class)
          .hasMessageContaining("after the latest recoverable moment " + window.latest())
          .hasMessageContaining("not been archived yet");
      assertThat(postgres.processHandle().pid()).isEqualTo(postmaster);
      assertThat(db.strings("select name from instances order by name")).containsExactly("A", "A2");
      assertThat(postgres.dataDirectory().resolve("recovery.signal")).doesNotExist();
      assertThat(postgres.dataDirectory().resolveSibling("data-replaced-1")).doesNotExist();

      // and preparing a folder writes nothing when the folder is not empty or the target is outside
      Path occupied = Files.createDirectories(scratch.resolve("occupied"));
      Files.writeString(occupied.resolve("PG_VERSION"), "15\n");
      Path empty = Files.createDirectories(scratch.resolve("empty"));
      Path missing = scratch.resolve("missing");
      assertThatThrownBy(() -> recovery.prepare(occupied, null)).isInstanceOf(RecoveryRefused.class)
          .hasMessageContaining("is not empty (it holds PG_VERSION)").hasMessageContaining("Nothing was written");
      assertThatThrownBy(() -> recovery.prepare(empty, tooEarly)).isInstanceOf(RecoveryRefused.class);
      assertThatThrownBy(() -> recovery.prepare(missing, tooLate)).isInstanceOf(RecoveryRefused.class);
      assertThat(listing(occupied)).containsExactly("PG_VERSION");
      assertThat(Files.readString(occupied.resolve("PG_VERSION"))).isEqualTo("15\n");
      assertThat(listing(empty)).isEmpty();
      assertThat(missing).doesNotExist();

      // when a newer backup exists and the older one is deleted
      BaseBackup second = backups.takeBaseBackup("second");
      db.execute("insert into instances values ('C')");
      postgres.switchWalAndAwaitArchived();
      RecoverableWindow withBoth = backups.recoverableWindow().orElseThrow();
      backups.delete("first");
      RecoverableWindow withSecond = backups.recoverableWindow().orElseThrow();

      // then the window starts at the end of the oldest backup left
      assertThat(withBoth.earliest()).isEqualTo(first.finishedAt());
      assertThat(withSecond.earliest()).isEqualTo(second.finishedAt());
      assertThat(withSecond.latest()).isEqualTo(withBoth.latest()).isAfter(window.latest());
      assertThat(backups.baseBackups()).extracting(BaseBackup::label).containsExactly("second");
      assertThat(postgres.backupDirectory().resolve("first")).doesNotExist();
    }
  }

  @Test
  void aGapInTheArchiveCutsOffTheBackupsBeforeIt() throws IOException {
    try (PostgresProcess postgres = PostgresProcess.start("camunda")) {
      // given
      Database db = new Database(postgres);
      PostgresBackups backups = new PostgresBackups(postgres.settings());
      db.execute("create table instances (name text primary key)");
      BaseBackup old = backups.takeBaseBackup("old");
      db.execute("insert into instances values ('A')");
      String lost = postgres.switchWalAndAwaitArchived();
      db.execute("insert into instances values ('B')");
      postgres.switchWalAndAwaitArchived();
      BaseBackup recent = backups.takeBaseBackup("recent");
      db.execute("insert into instances values ('C')");
      postgres.switchWalAndAwaitArchived();

      // when an archived segment between the two backups is lost
      Files.delete(postgres.walArchiveDirectory().resolve(lost));
      RecoverableWindow window = backups.recoverableWindow().orElseThrow();

      // then only the backup after the gap counts
      assertThat(window.earliest()).isEqualTo(recent.finishedAt()).isAfter(old.finishedAt());
      assertThat(window.notes()).singleElement().asString()
          .contains("base backup old is cut off").contains(lost);
      assertThatThrownBy(() -> new PostgresRecovery(postgres.settings()).plan(old.finishedAt()))
          .isInstanceOf(RecoveryRefused.class)
          .hasMessageContaining("Not usable: base backup old is cut off");
    }
  }

  private static List<String> listing(Path folder) throws IOException {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.map(path -> path.getFileName().toString()).toList();
    }
  }

  @Test
  void aHistoryARecoveryLeftKeepsItsWindowAndCanBeRecoveredAlongByNumber() {
    try (PostgresProcess postgres = PostgresProcess.start("camunda")) {
      // given A before T and B after it, on timeline 1
      Database db = new Database(postgres);
      PostgresBackups backups = new PostgresBackups(postgres.settings());
      db.execute("create table instances (name text primary key)", "insert into instances values ('A')");
      backups.takeBaseBackup("base");
      db.execute("insert into instances values ('A2')");
      db.waitPast(db.now(), 1100);
      Instant t = db.now();
      db.waitPast(t, 1100);
      db.execute("insert into instances values ('B')");
      Instant bCommitted = db.now();
      postgres.switchWalAndAwaitArchived();
      // and a recovery to T that started timeline 2, where C was committed
      postgres.recoverTo(t);
      db.execute("insert into instances values ('C')");
      postgres.switchWalAndAwaitArchived();

      // when
      List<DatabaseHistory> histories = backups.histories();
      RecoverableWindow first = backups.recoverableWindow(1).orElseThrow();

      // then history 1 still reaches B, was left when timeline 2 began, and is not history 2's past after T
      assertThat(histories).extracting(DatabaseHistory::number).containsExactly(1, 2);
      DatabaseHistory one = histories.get(0);
      DatabaseHistory two = histories.get(1);
      assertThat(one.current()).isFalse();
      assertThat(one.leftAt()).isEqualTo(two.startedAt()).isAfter(bCommitted);
      assertThat(first.latest()).isAfterOrEqualTo(bCommitted.minusMillis(50)).isBefore(one.leftAt());
      assertThat(one.window()).isEqualTo(first);
      assertThat(one.describe()).startsWith("history 1: from ").contains("(left by the restore at " + one.leftAt() + ")");
      assertThat(two.current()).isTrue();
      assertThat(two.parent()).isEqualTo(1);
      assertThat(two.describe()).startsWith("history 2 (current): from ");
      assertThat(two.holds(t)).isTrue();
      assertThat(two.holds(bCommitted)).isFalse();
      assertThat(one.holds(bCommitted)).isTrue();
      assertThat(two.holds(two.startedAt().plusSeconds(1))).isTrue();
      assertThat(one.holds(two.startedAt().plusSeconds(1))).isFalse();
      assertThatThrownBy(() -> postgres.recoverTo(null, 9)).isInstanceOf(RecoveryRefused.class)
          .hasMessageContaining("knows no history (timeline) 9");

      // when the database goes back to history 1
      RecoveryPlan back = postgres.recoverTo(null, 1);

      // then it has B again and not C, on a new timeline branched from 1
      assertThat(back.settings()).contains("recovery_target_timeline = '1'");
      assertThat(db.strings("select name from instances order by name")).containsExactly("A", "A2", "B");
      assertThat(backups.histories()).extracting(DatabaseHistory::number, DatabaseHistory::parent, DatabaseHistory::current)
          .containsExactly(tuple(1, null, false), tuple(2, 1, false), tuple(3, 1, true));
    }
  }
}
