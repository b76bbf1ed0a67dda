package io.github.c8backup.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.c8backup.sandbox.storage.PostgresProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** pg_verifybackup checks a base backup against its manifest: a fresh one passes, a changed one fails. */
class PostgresBackupVerificationTest {

  @Test
  void passesOnAFreshBackupAndFailsOnATamperedOrTruncatedOne() throws IOException {
    try (PostgresProcess postgres = PostgresProcess.start("camunda")) {
      // given
      new Database(postgres).execute("create table instances (name text)", "insert into instances values ('A')");
      PostgresBackups backups = new PostgresBackups(postgres.settings());
      BaseBackup fresh = backups.takeBaseBackup("fresh");
      BaseBackup tampered = backups.takeBaseBackup("tampered");
      BaseBackup truncated = backups.takeBaseBackup("truncated");
      changeFileInArchive(Path.of(tampered.location()).resolve(PostgresBackups.BASE_ARCHIVE), "PG_VERSION");
      Path truncatedArchive = Path.of(truncated.location()).resolve(PostgresBackups.BASE_ARCHIVE);
      byte[] whole = Files.readAllBytes(truncatedArchive);
      Files.write(truncatedArchive, Arrays.copyOf(whole, whole.length / 2));

      // when
      long started = System.nanoTime();
      BackupVerification freshResult = backups.verify("fresh");
      System.out.printf("PostgreSQL: verification %d ms%n", (System.nanoTime() - started) / 1_000_000);
      BackupVerification tamperedResult = backups.verify("tampered");
      BackupVerification truncatedResult = backups.verify("truncated");

      // then
      assertThat(freshResult.passed()).isTrue();
      assertThat(freshResult.details()).contains("backup successfully verified");
      assertThat(tamperedResult.passed()).isFalse();
      assertThat(tamperedResult.details()).contains("checksum mismatch for file \"PG_VERSION\"");
      assertThat(truncatedResult.passed()).isFalse();
      assertThat(truncatedResult.details()).startsWith("The backup's archives cannot be read");
      assertThat(fresh.logRange().start()).matches("[0-9A-F]+/[0-9A-F]+");
      assertThat(fresh.logRange().timeline()).isEqualTo(1);
      assertThat(postgres.backupDirectory()).isDirectoryNotContaining(path -> path.getFileName().toString().startsWith("."));
      assertThatThrownBy(() -> backups.verify("unknown")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("No base backup called unknown");
    }
  }

  /** Changes the first byte of {@code name}'s content inside a .tar.gz; sizes and tar headers stay valid. */
  private static void changeFileInArchive(Path archive, String name) throws IOException {
    byte[] tar;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
      tar = in.readAllBytes();
    }
    boolean changed = false;
    for (int offset = 0; offset + 512 <= tar.length && !changed; offset += 512) {
      String entry = new String(tar, offset, 100, StandardCharsets.US_ASCII).split("\0", 2)[0];
      if (entry.equals(name)) {
        tar[offset + 512] = (byte) (tar[offset + 512] == '9' ? '8' : '9');
        changed = true;
      }
    }
    assertThat(changed).as("%s found in %s", name, archive).isTrue();
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(compressed)) {
      out.write(tar);
    }
    Files.write(archive, compressed.toByteArray());
  }
}
