package io.github.c8backup.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.c8backup.config.PostgresSettings;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The database settings are checked at startup with messages that name the problem. */
class PostgresSettingsValidationTest {

  private final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

  @Test
  void acceptsAPasswordFileAndBuildsTheJdbcUrl() {
    PostgresSettings settings = settings("secret", null, Path.of("/backups"), Path.of("/wal"));

    assertThat(validator.validate(settings)).isEmpty();
    assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5432/camunda");
    assertThat(settings.toString()).contains("password=******").doesNotContain("secret");
  }

  @Test
  void rejectsBothAPasswordAndAPasswordFile() {
    assertThat(messages(settings("secret", Path.of("/run/secrets/pg"), Path.of("/backups"), Path.of("/wal"))))
        .containsExactly("set either password or password-file, not both");
  }

  @Test
  void rejectsABackupFolderInsideTheArchiveAndMissingFolders() {
    assertThat(messages(settings(null, null, Path.of("/wal/backups"), Path.of("/wal"))))
        .containsExactly("backup-directory and wal-archive-directory must be two different folders, "
            + "neither inside the other");
    assertThat(validator.validate(settings(null, null, null, null)))
        .extracting(violation -> violation.getPropertyPath().toString())
        .containsExactlyInAnyOrder("backupDirectory", "walArchiveDirectory");
  }

  private java.util.List<String> messages(PostgresSettings settings) {
    return validator.validate(settings).stream().map(ConstraintViolation::getMessage).toList();
  }

  private static PostgresSettings settings(String password, Path passwordFile, Path backups, Path archive) {
    return new PostgresSettings("db.example", 5432, "camunda", "backup", password, passwordFile, null, backups,
        archive);
  }
}
