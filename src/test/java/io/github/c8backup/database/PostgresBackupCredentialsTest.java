package io.github.c8backup.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.c8backup.config.PostgresSettings;
import io.github.c8backup.sandbox.storage.PostgresProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The password reaches PostgreSQL's programs only through a private, short-lived password file. */
@ExtendWith(OutputCaptureExtension.class)
class PostgresBackupCredentialsTest {

  @Test
  void passwordFromASecretFileNeverAppearsOnACommandLineInAnEnvironmentOrInTheLogs(@TempDir Path secrets,
      CapturedOutput output) throws IOException {
    try (PostgresProcess postgres = PostgresProcess.start("camunda")) {
      // given a mounted secret, with the line break such files often end with
      Path secret = secrets.resolve("password");
      Files.writeString(secret, postgres.password() + "\n");
      PostgresSettings settings = withPasswordFile(postgres.settings(), secret);
      List<Seen> seen = new ArrayList<>();
      ToolRunner recording = new ToolRunner() {
        @Override
        Result run(Invocation invocation) {
          seen.add(Seen.of(invocation));
          return super.run(invocation);
        }
      };
      PostgresBackups backups = new PostgresBackups(settings, recording);
      new Database(postgres).execute("create table instances (name text)", "insert into instances values ('A')");

      // when
      BaseBackup backup = backups.takeBaseBackup("with-secret-file");
      postgres.switchWalAndAwaitArchived();
      backups.recoverableWindow().orElseThrow();
      BackupVerification verification = backups.verify("with-secret-file");

      // then
      String password = postgres.password();
      assertThat(verification.passed()).isTrue();
      assertThat(seen).extracting(Seen::program).contains("pg_basebackup", "pg_waldump", "pg_verifybackup");
      assertThat(seen).allSatisfy(run -> {
        assertThat(String.join(" ", run.command())).doesNotContain(password);
        assertThat(run.environment()).doesNotContainKey("PGPASSWORD");
        assertThat(run.environment().values()).noneMatch(value -> value.contains(password));
      });
      Seen basebackup = seen.stream().filter(run -> run.program().equals("pg_basebackup")).findFirst().orElseThrow();
      assertThat(basebackup.command()).contains("--no-password", "--username=camunda");
      assertThat(basebackup.passwordFile()).as("PGPASSFILE while pg_basebackup ran").isNotNull();
      assertThat(basebackup.passwordFilePermissions()).isEqualTo("rw-------");
      assertThat(basebackup.passwordFileContent()).endsWith(":*:camunda:" + password + "\n");
      assertThat(Path.of(basebackup.passwordFile())).as("deleted afterwards").doesNotExist();
      assertThat(output.getAll()).contains("Base backup with-secret-file").doesNotContain(password);
      assertThat(Files.readString(Path.of(backup.location()).resolve(PostgresBackups.DESCRIPTOR)))
          .doesNotContain(password);
      assertThat(Files.readString(postgres.log())).doesNotContain(password);
    }
  }

  @Test
  void aWrongPasswordFailsTheBackupWithoutRevealingItAndLeavesNoPartialBackup() {
    try (PostgresProcess postgres = PostgresProcess.start("camunda")) {
      // given
      String wrong = "not-the-password-" + System.nanoTime();
      PostgresSettings settings = postgres.settings();
      PostgresBackups backups = new PostgresBackups(new PostgresSettings(settings.host(), settings.port(),
          settings.database(), settings.username(), wrong, null, settings.binDirectory(), settings.backupDirectory(),
          settings.walArchiveDirectory()));

      // when / then
      assertThatThrownBy(() -> backups.takeBaseBackup("refused")).isInstanceOf(DatabaseBackupException.class)
          .hasMessageContaining("password authentication failed")
          .message().doesNotContain(wrong);
      assertThat(backups.baseBackups()).isEmpty();
      assertThat(settings.backupDirectory()).isEmptyDirectory();
    }
  }

  private static PostgresSettings withPasswordFile(PostgresSettings settings, Path passwordFile) {
    return new PostgresSettings(settings.host(), settings.port(), settings.database(), settings.username(), null,
        passwordFile, settings.binDirectory(), settings.backupDirectory(), settings.walArchiveDirectory());
  }

  /** One program run, with its password file as it was while the program ran. */
  private record Seen(String program, List<String> command, java.util.Map<String, String> environment,
      String passwordFile, String passwordFilePermissions, String passwordFileContent) {

    static Seen of(ToolRunner.Invocation invocation) {
      String file = invocation.environment().get("PGPASSFILE");
      try {
        return new Seen(invocation.program(), invocation.command(), invocation.environment(), file,
            file == null ? null : PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(file))),
            file == null ? null : Files.readString(Path.of(file)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
