package io.github.c8backup.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.c8backup.sandbox.storage.PostgresProcess;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Point-in-time recovery on a real PostgreSQL: a base backup, commits on both sides of a moment T,
 * the WAL archive, and recoveries to T and to the newest state.
 */
class PostgresPointInTimeRecoveryTest {

  @Test
  void recoversToTheNewestArchivedStateAndToAMomentBetweenTwoCommits() {
    PostgresProcess server = PostgresProcess.start("camunda");
    Path run = server.dataDirectory().getParent();
    List<ProcessHandle> postmasters = new ArrayList<>();
    try (PostgresProcess postgres = server) {
      // given
      Database db = new Database(postgres);
      PostgresBackups backups = new PostgresBackups(postgres.settings());
      db.execute("create table instances (name text primary key)", "insert into instances values ('A')");
      long started = System.nanoTime();
      BaseBackup base = backups.takeBaseBackup("base-1");
      System.out.printf("PostgreSQL: base backup %d ms, %d bytes%n", (System.nanoTime() - started) / 1_000_000,
          base.sizeBytes());
      db.execute("insert into instances values ('A2')");
      Instant a2Committed = db.now();
      db.waitPast(a2Committed, 1100);
      Instant t = db.now();
      db.waitPast(t, 1100);
      db.execute("insert into instances values ('B')");
      postgres.switchWalAndAwaitArchived();

      // when
      postmasters.add(postgres.processHandle());
      RecoveryPlan latest = postgres.recoverTo(null);
      postmasters.add(postgres.processHandle());
      var afterLatest = db.strings("select name from instances order by name");
      System.out.printf("PostgreSQL: recovery to the newest state %d ms%n", postgres.lastRecoveryTime().toMillis());
      RecoveryPlan toT = postgres.recoverTo(t);
      postmasters.add(postgres.processHandle());
      var afterT = db.strings("select name from instances order by name");
      System.out.printf("PostgreSQL: recovery to T %d ms%n", postgres.lastRecoveryTime().toMillis());
      RecoveryPlan latestAgain = postgres.recoverTo(null);
      var afterLatestAgain = db.strings("select name from instances order by name");

      // then
      assertThat(afterLatest).containsExactly("A", "A2", "B");
      assertThat(latest.baseBackup().label()).isEqualTo("base-1");
      assertThat(latest.target()).isNull();
      assertThat(latest.recoversTo()).isAfter(t);
      assertThat(latest.settings()).contains("recovery_target_time = ''", "recovery_target_action = 'promote'");

      assertThat(afterT).containsExactly("A", "A2");
      assertThat(toT.recoversTo()).isEqualTo(t);
      assertThat(toT.settings()).anyMatch(line -> line.startsWith("recovery_target_time = '20"));

      // B was committed on the branch that the recovery to T abandoned: the newest state of the
      // history the server now follows does not have it (recovery_target_timeline = latest)
      assertThat(afterLatestAgain).containsExactly("A", "A2");
      assertThat(latestAgain.recoversTo()).isBeforeOrEqualTo(t);
      postmasters.add(postgres.processHandle());
    }
    // every server of the run, before and after each recovery, is gone, and so is the run folder
    assertThat(postmasters).hasSize(4).noneMatch(ProcessHandle::isAlive);
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      assertThat(all.filter(p -> p.info().commandLine().orElse("").contains(run.toString()))).isEmpty();
    }
    assertThat(run).doesNotExist();
  }
}
