package io.github.c8backup.sandbox.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.c8backup.config.PostgresSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The sandbox's real PostgreSQL: runs unprivileged, survives a restart, leaves nothing behind. */
class PostgresProcessTest {

  @Test
  void keepsItsDataAcrossAStopAndStartAndLeavesNoProcessOrFolderBehind() throws Exception {
    // given
    PostgresProcess postgres = PostgresProcess.start("camunda");
    System.out.printf("PostgreSQL: initdb %d ms, start %d ms%n", postgres.initdbTime().toMillis(),
        postgres.lastStartTime().toMillis());
    Path data = postgres.dataDirectory();
    Path run = data.getParent();
    long postmaster = postgres.processHandle().pid();
    List<ProcessHandle> tree = new ArrayList<>();
    try (postgres) {
      try (Connection connection = connect(postgres); Statement statement = connection.createStatement()) {
        statement.execute("create table instances (key bigint primary key)");
        statement.execute("insert into instances values (1), (2)");
      }
      tree.add(postgres.processHandle());
      postgres.processHandle().descendants().forEach(tree::add);

      // when
      postgres.stop();
      boolean refusedWhileStopped = refuses(postgres.port());
      postgres.start();
      System.out.printf("PostgreSQL: restart %d ms%n", postgres.lastStartTime().toMillis());

      // then
      assertThat(refusedWhileStopped).isTrue();
      assertThat(count(postgres, "select count(*) from instances")).isEqualTo(2);
      tree.add(postgres.processHandle());
      postgres.processHandle().descendants().forEach(tree::add);
      if (UnprivilegedUser.needed()) {
        assertThat(postgres.processHandle().info().user()).contains(UnprivilegedUser.USER);
      }
      assertThat(postgres.processHandle().pid()).isNotEqualTo(postmaster);
    }
    assertThat(tree).hasSizeGreaterThan(2).noneMatch(ProcessHandle::isAlive);
    assertThat(postgresProcessesNaming(run)).isEmpty();
    assertThat(run).doesNotExist();
  }

  @Test
  void archivesWalAndGivesTheApplicationUserReplicationButNotSuperuser() throws Exception {
    try (PostgresProcess postgres = PostgresProcess.start("camunda")) {
      // when
      String segment = postgres.switchWalAndAwaitArchived();
      PostgresSettings settings = postgres.settings();

      // then
      assertThat(postgres.walArchiveDirectory().resolve(segment)).isRegularFile();
      assertThat(settings.jdbcUrl()).isEqualTo(postgres.jdbcUrl());
      assertThat(settings.toString()).doesNotContain(postgres.password());
      try (Connection connection = connect(postgres); Statement statement = connection.createStatement();
          ResultSet role = statement.executeQuery(
              "select rolreplication, rolsuper from pg_roles where rolname = current_user")) {
        role.next();
        assertThat(role.getBoolean("rolreplication")).isTrue();
        assertThat(role.getBoolean("rolsuper")).isFalse();
      }
      assertThatThrownBy(() -> connect(postgres, "wrong-password")).isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");
      String commandLine = postgres.processHandle().info().commandLine().orElse("");
      assertThat(commandLine).contains("postgres").doesNotContain(postgres.password());
      assertThat(Files.readString(postgres.log())).doesNotContain(postgres.password());
    }
  }

  private static Connection connect(PostgresProcess postgres) throws SQLException {
    return connect(postgres, postgres.password());
  }

  private static Connection connect(PostgresProcess postgres, String password) throws SQLException {
    return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), password);
  }

  private static long count(PostgresProcess postgres, String query) throws SQLException {
    try (Connection connection = connect(postgres); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static boolean refuses(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** Every process on the machine whose command line names the run folder, as ps would show it. */
  static List<ProcessHandle> postgresProcessesNaming(Path run) {
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return all.filter(handle -> handle.info().commandLine().map(cmd -> cmd.contains(run.toString())).orElse(false))
          .toList();
    }
  }
}
