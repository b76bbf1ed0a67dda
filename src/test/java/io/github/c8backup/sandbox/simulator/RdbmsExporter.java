package io.github.c8backup.sandbox.simulator;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The simulated brokers' RDBMS exporter (8.9, reference 7.5, 9): writes process instances into a
 * REAL PostgreSQL database, a small subset of Camunda's RDBMS schema with Camunda's table and column
 * names ({@code db/rdbms-schema} changelog 8.8.0), and the exported position per partition into
 * {@code EXPORTER_POSITION} in the same transaction, so the database never claims a position whose
 * rows it does not have. That table is what the restore application's default mode reads.
 *
 * <p>Every operation opens its own connection: the database may be stopped, restored to an earlier
 * point and started again under a running simulator, and the next export simply reconnects. Failures
 * are {@link SQLException}s for the caller to log; nothing is retried here.
 */
final class RdbmsExporter {

  /** The exporter's id in the broker configuration ({@code zeebe.broker.exporters.rdbms}). */
  static final String EXPORTER_ID = "rdbms";

  /** One process instance the exporter writes, with the log position of its record. */
  record ExportedInstance(long key, String bpmnProcessId, int partitionId, long position, Instant startDate) {}

  private final String url;
  private final String username;
  private final String password;

  RdbmsExporter(SimulatorSettings settings) {
    this.url = settings.rdbmsUrl();
    this.username = settings.rdbmsUsername();
    this.password = settings.rdbmsPassword();
  }

  String url() {
    return url;
  }

  /**
   * Creates the tables where absent, as Camunda's schema migration does when the cluster starts.
   * Column types are PostgreSQL's for Camunda's Liquibase types (NUMBER, DATETIME, TIMESTAMP WITH
   * TIME ZONE).
   */
  void createSchemaIfAbsent() throws SQLException {
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      statement.execute("""
          CREATE TABLE IF NOT EXISTS EXPORTER_POSITION (
            PARTITION_ID NUMERIC PRIMARY KEY,
            EXPORTER VARCHAR(200),
            LAST_EXPORTED_POSITION BIGINT,
            CREATED TIMESTAMP,
            LAST_UPDATED TIMESTAMP)""");
      statement.execute("""
          CREATE TABLE IF NOT EXISTS PROCESS_INSTANCE (
            PROCESS_INSTANCE_KEY BIGINT PRIMARY KEY,
            PROCESS_DEFINITION_ID VARCHAR(200),
            PROCESS_DEFINITION_KEY BIGINT,
            STATE VARCHAR(20),
            START_DATE TIMESTAMP(3) WITH TIME ZONE,
            END_DATE TIMESTAMP(3) WITH TIME ZONE,
            TENANT_ID VARCHAR(255),
            VERSION SMALLINT,
            PARTITION_ID NUMERIC)""");
    }
  }

  /** {@code LAST_EXPORTED_POSITION} of a partition; empty when the partition has no row (or a null position). */
  Optional<Long> exportedPosition(int partitionId) throws SQLException {
    try (Connection connection = connect();
        PreparedStatement select = connection.prepareStatement(
            "SELECT LAST_EXPORTED_POSITION FROM EXPORTER_POSITION WHERE PARTITION_ID = ?")) {
      select.setInt(1, partitionId);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        long position = row.getLong(1);
        return row.wasNull() ? Optional.empty() : Optional.of(position);
      }
    }
  }

  /**
   * Exports a partition's log up to {@code upToPosition} in one transaction: the instances whose
   * record lies above the position the database holds, then the new position. A database already
   * at or beyond {@code upToPosition} is left as it is.
   *
   * @param instances candidates; those at or below the database's position are skipped
   * @return the database's exported position afterwards
   */
  long export(int partitionId, List<ExportedInstance> instances, long upToPosition) throws SQLException {
    try (Connection connection = connect()) {
      connection.setAutoCommit(false);
      try {
        Long current = null;
        try (PreparedStatement select = connection.prepareStatement(
            "SELECT LAST_EXPORTED_POSITION FROM EXPORTER_POSITION WHERE PARTITION_ID = ? FOR UPDATE")) {
          select.setInt(1, partitionId);
          try (ResultSet row = select.executeQuery()) {
            if (row.next()) {
              long value = row.getLong(1);
              current = row.wasNull() ? null : value;
            }
          }
        }
        long from = current == null ? Long.MIN_VALUE : current;
        if (from >= upToPosition) {
          connection.rollback();
          return from;
        }
        try (PreparedStatement insert = connection.prepareStatement("""
            INSERT INTO PROCESS_INSTANCE (PROCESS_INSTANCE_KEY, PROCESS_DEFINITION_ID, PROCESS_DEFINITION_KEY,
              STATE, START_DATE, TENANT_ID, VERSION, PARTITION_ID)
            VALUES (?, ?, ?, 'ACTIVE', ?, '<default>', 1, ?)
            ON CONFLICT (PROCESS_INSTANCE_KEY) DO NOTHING""")) {
          for (ExportedInstance instance : instances) {
            if (instance.position() > from && instance.position() <= upToPosition) {
              insert.setLong(1, instance.key());
              insert.setString(2, instance.bpmnProcessId());
              insert.setLong(3, ((long) partitionId << 51) + 1);
              insert.setTimestamp(4, Timestamp.from(instance.startDate()));
              insert.setInt(5, partitionId);
              insert.addBatch();
            }
          }
          insert.executeBatch();
        }
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement upsert = connection.prepareStatement("""
            INSERT INTO EXPORTER_POSITION (PARTITION_ID, EXPORTER, LAST_EXPORTED_POSITION, CREATED, LAST_UPDATED)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (PARTITION_ID) DO UPDATE
              SET LAST_EXPORTED_POSITION = EXCLUDED.LAST_EXPORTED_POSITION, LAST_UPDATED = EXCLUDED.LAST_UPDATED""")) {
          upsert.setInt(1, partitionId);
          upsert.setString(2, EXPORTER_ID);
          upsert.setLong(3, upToPosition);
          upsert.setTimestamp(4, now);
          upsert.setTimestamp(5, now);
          upsert.executeUpdate();
        }
        connection.commit();
        return upToPosition;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url, username, password);
  }
}
