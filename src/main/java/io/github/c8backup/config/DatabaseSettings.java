package io.github.c8backup.config;

import jakarta.validation.Valid;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The database of a cluster whose secondary storage is an RDBMS (8.9+), for its native backups.
 * PostgreSQL today; MySQL, MariaDB, Oracle and SQL Server would each add a field here.
 *
 * @param retention how long base backups and archived change log are kept, in step with Zeebe
 */
public record DatabaseSettings(@Valid PostgresSettings postgres, @Valid @DefaultValue DatabaseRetentionSettings retention) {

  public DatabaseSettings {
    if (retention == null) {
      retention = DatabaseRetentionSettings.defaults();
    }
  }
}
