package io.github.c8backup.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.c8backup.sandbox.storage.PostgresProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Retention on a real server: base backups and archived WAL that the start of Zeebe's oldest range
 * no longer needs go, the window still covers that start and a recovery into it still works; a
 * gap in the archive deletes nothing.
 */
class PostgresRetentionTest {

  private static final Duration TOLERANCE = Duration.ofSeconds(1);

  @Test
  void deletesWhatZeebesOldestRangeNoLongerNeedsAndTheWindowStillCoversIt() throws IOException {
    try (PostgresProcess postgres = PostgresProcess.start("camunda")) {
      // given three base backups with archived WAL between them
      Database db = new Database(postgres);
      PostgresBackups backups = new PostgresBackups(postgres.settings());
      db.execute("create table instances (name text primary key)", "insert into instances values ('A')");
      BaseBackup first = backups.takeBaseBackup("first");
      db.execute("insert into instances values ('B')");
      postgres.switchWalAndAwaitArchived();
      BaseBackup second = backups.takeBaseBackup("second");
      db.waitPast(second.finishedAt(), 1500);
      Instant zeebeOldest = db.now(); // Zeebe's oldest range starts after the second backup
      db.execute("insert into instances values ('C')");
      postgres.switchWalAndAwaitArchived();
      BaseBackup third = backups.takeBaseBackup("third");
      db.execute("insert into instances values ('D')");
      postgres.switchWalAndAwaitArchived();
      List<String> walBefore = segments(postgres.settings().walArchiveDirectory());
      String secondStart = walFile(postgres, second);

      // when
      DatabaseRetentionResult result = backups.applyRetention(
          new DatabaseRetentionRequest(zeebeOldest, db.now().plusSeconds(1), TOLERANCE, 1));

      // then the first backup and the WAL before the second's start are gone from disk, nothing else
      assertThat(result.skippedBecause()).isNull();
      assertThat(result.deletedBackups()).containsExactly("first");
      assertThat(result.keptBackups()).containsExactly("second", "third");
      assertThat(result.keptForZeebe()).isEqualTo("second");
      assertThat(postgres.backupDirectory().resolve("first")).doesNotExist();
      assertThat(postgres.backupDirectory().resolve("second")).isDirectory();
      List<String> walAfter = segments(postgres.settings().walArchiveDirectory());
      assertThat(result.deletedLogFiles()).isNotEmpty().allMatch(name -> name.compareTo(secondStart) < 0);
      assertThat(walAfter).doesNotContainAnyElementsOf(result.deletedLogFiles())
          .containsAll(walBefore.stream().filter(name -> name.compareTo(secondStart) >= 0).toList());
      assertThat(walAfter.getFirst()).isEqualTo(secondStart).isEqualTo(result.oldestKeptLogFile());

      // and the window starts at the second backup's end, before Zeebe's oldest moment, which can still be recovered
      RecoverableWindow window = backups.recoverableWindow().orElseThrow();
      assertThat(window.earliest()).isEqualTo(second.finishedAt()).isEqualTo(result.window().earliest()).isBefore(zeebeOldest);
      assertThat(window.notes()).isEmpty();
      assertThat(new PostgresRecovery(postgres.settings()).plan(zeebeOldest).baseBackup().label()).isEqualTo("second");

      // when it runs again, nothing more goes
      DatabaseRetentionResult again = backups.applyRetention(new DatabaseRetentionRequest(zeebeOldest, db.now(), TOLERANCE, 1));
      assertThat(again.deletedBackups()).isEmpty();
      assertThat(again.deletedLogFiles()).isEmpty();
      assertThat(first.finishedAt()).isBefore(second.finishedAt());
      assertThat(third.finishedAt()).isAfter(zeebeOldest);

      // and a real recovery to Zeebe's oldest moment, from what is left, brings back exactly what was committed by then
      postgres.recoverTo(zeebeOldest);
      assertThat(new Database(postgres).strings("select name from instances order by name")).containsExactly("A", "B");
    }
  }

  @Test
  void aGapInTheArchiveDeletesNothing() throws IOException {
    try (PostgresProcess postgres = PostgresProcess.start("camunda")) {
      // given two backups and a segment lost from the archive after the newer one
      Database db = new Database(postgres);
      PostgresBackups backups = new PostgresBackups(postgres.settings());
      db.execute("create table instances (name text primary key)", "insert into instances values ('A')");
      backups.takeBaseBackup("first");
      postgres.switchWalAndAwaitArchived();
      BaseBackup second = backups.takeBaseBackup("second");
      db.execute("insert into instances values ('B')");
      postgres.switchWalAndAwaitArchived();
      db.execute("insert into instances values ('C')");
      postgres.switchWalAndAwaitArchived();
      db.execute("insert into instances values ('D')");
      postgres.switchWalAndAwaitArchived();
      Path archive = postgres.settings().walArchiveDirectory();
      List<String> segments = segments(archive);
      // a segment with archived ones after it: a missing newest one is indistinguishable from one not archived yet
      String lost = segments.get(segments.indexOf(walFile(postgres, second)) + 2);
      assertThat(segments.getLast()).isGreaterThan(lost);
      Files.delete(archive.resolve(lost));
      List<String> left = segments(archive);

      // when Zeebe's oldest range starts after both backups
      DatabaseRetentionResult result = backups.applyRetention(
          new DatabaseRetentionRequest(db.now(), db.now().plusSeconds(1), TOLERANCE, 1));

      // then nothing was deleted, and the reason names the gap
      assertThat(result.applied()).isFalse();
      assertThat(result.skippedBecause()).contains("gap", lost);
      assertThat(backups.baseBackups()).extracting(BaseBackup::label).containsExactly("first", "second");
      assertThat(segments(archive)).isEqualTo(left);
    }
  }

  /** The archived segment a backup starts in (the sandbox's server uses small segments). */
  private static String walFile(PostgresProcess postgres, BaseBackup backup) {
    WalArchive archive = WalArchive.read(postgres.settings().walArchiveDirectory());
    return archive.fileName(backup.logRange().timeline(), archive.segmentOf(WalArchive.Lsn.parse(backup.logRange().start())));
  }

  private static List<String> segments(Path archive) throws IOException {
    try (Stream<Path> files = Files.list(archive)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("[0-9A-F]{24}")).sorted().toList();
    }
  }
}
