package io.github.c8backup.sandbox.storage;

import io.github.c8backup.config.PostgresSettings;
import io.github.c8backup.database.PostgresBinaries;
import io.github.c8backup.database.PostgresRecovery;
import io.github.c8backup.database.RecoveryPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server from the machine's packages (see {@link PostgresBinaries}), run as
 * nobody when the sandbox runs as root (PostgreSQL refuses root), on a free port of 127.0.0.1,
 * with its data, unix socket, WAL archive and backup folder in its own run folder, all deleted on
 * {@link #close()}.
 *
 * <p>Configured for point-in-time recovery: {@code wal_level=replica}, {@code archive_mode=on} with
 * an {@code archive_command} that copies each finished WAL segment into {@link #walArchiveDirectory()}
 * (and refuses to overwrite one), {@code archive_timeout=10s}, and 1 MB WAL segments so that the
 * archive stays small. One application user ({@link #username()}, with {@code LOGIN REPLICATION},
 * owner of the database) logs in over TCP with a SCRAM password; the superuser {@code postgres} is
 * reached with its own password and only used by this class.
 */
public final class PostgresProcess implements AutoCloseable {

  private static final String SUPERUSER = "postgres";
  private static final String USERNAME = "camunda";
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Duration READY_DEADLINE = Duration.ofSeconds(120);
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);

  private final PostgresBinaries binaries;
  private final Path run;
  private final Path dataDirectory;
  private final Path walArchiveDirectory;
  private final Path backupDirectory;
  private final int port;
  private final String database;
  private final String password;
  private final String superuserPassword;
  private final ManagedProcess process;
  private final Thread fastShutdownHook;
  private final Duration initdbTime;
  private volatile Duration lastStartTime = Duration.ZERO;
  private volatile Duration lastRecoveryTime = Duration.ZERO;
  private int recoveries;

  private PostgresProcess(PostgresBinaries binaries, Path run, int port, String database, String password,
      String superuserPassword, ManagedProcess process, Duration initdbTime) {
    this.binaries = binaries;
    this.run = run;
    this.dataDirectory = run.resolve("data");
    this.walArchiveDirectory = run.resolve("wal-archive");
    this.backupDirectory = run.resolve("backups");
    this.port = port;
    this.database = database;
    this.password = password;
    this.superuserPassword = superuserPassword;
    this.process = process;
    this.initdbTime = initdbTime;
    // The JVM's last word is SIGTERM (ManagedProcess), which PostgreSQL takes as a "smart" shutdown
    // that waits for every client to leave; this hook asks for a fast one instead.
    this.fastShutdownHook = new Thread(this::fastShutdown, "sandbox-stop-postgres-fast");
    Runtime.getRuntime().addShutdownHook(fastShutdownHook);
  }

  /**
   * Creates a new cluster, starts it and creates {@code database} owned by {@link #username()}.
   * Returns once the server accepts connections.
   */
  public static PostgresProcess start(String database) {
    if (database == null || !NAME.matcher(database).matches()) {
      throw new IllegalArgumentException("Not a usable database name (lower case, digits, _): " + database);
    }
    PostgresBinaries binaries = PostgresBinaries.locate(null);
    Path run = SandboxDirectories.newRun("postgres");
    int port = FreePorts.pick(1)[0];
    String password = randomPassword();
    String superuserPassword = randomPassword();
    ManagedProcess managed;
    Duration initdbTime;
    try {
      long initStarted = System.nanoTime();
      initialise(binaries, run, port, superuserPassword);
      initdbTime = Duration.ofNanos(System.nanoTime() - initStarted);
      managed = ManagedProcess.start("postgres", serverCommand(binaries, run), Map.of("LC_ALL", "C"), run);
    } catch (RuntimeException e) {
      SandboxDirectories.deleteRecursively(run);
      throw e;
    }
    PostgresProcess postgres = new PostgresProcess(binaries, run, port, database, password, superuserPassword, managed,
        initdbTime);
    try {
      postgres.awaitReady(System.nanoTime());
      postgres.createUserAndDatabase();
      return postgres;
    } catch (RuntimeException e) {
      postgres.close();
      throw e;
    }
  }

  /** {@code jdbc:postgresql://127.0.0.1:PORT/DATABASE}; log in as {@link #username()}. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** The application user: {@code LOGIN REPLICATION}, owner of the database, not a superuser. */
  public String username() {
    return USERNAME;
  }

  public String password() {
    return password;
  }

  public int port() {
    return port;
  }

  public String database() {
    return database;
  }

  /** The connection and backup settings of this server, as the orchestrator would be configured. */
  public PostgresSettings settings() {
    return new PostgresSettings("127.0.0.1", port, database, USERNAME, password, null, binaries.directory(),
        backupDirectory, walArchiveDirectory);
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  /** Where {@code archive_command} copies finished WAL segments; deleted on {@link #close()}. */
  public Path walArchiveDirectory() {
    return walArchiveDirectory;
  }

  /** An empty folder for base backups ({@link #settings()}); deleted on {@link #close()}. */
  public Path backupDirectory() {
    return backupDirectory;
  }

  /** A connection as the superuser, for what the application user may not do. */
  public Connection superuserConnection() throws SQLException {
    return connect(SUPERUSER, superuserPassword, "postgres");
  }

  /**
   * Closes the current WAL segment ({@code pg_switch_wal()}) and waits until the archiver has
   * copied it into the archive, so that everything committed before this call is archived.
   * Returns the name of that segment.
   */
  public String switchWalAndAwaitArchived() {
    try (Connection connection = superuserConnection(); Statement statement = connection.createStatement()) {
      String segment;
      try (ResultSet rs = statement.executeQuery("select pg_walfile_name(pg_switch_wal())")) {
        rs.next();
        segment = rs.getString(1);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.exists(walArchiveDirectory.resolve(segment))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("WAL segment " + segment + " was not archived within 30 s: "
              + process.failureDetails());
        }
        sleep(50);
      }
      return segment;
    } catch (SQLException e) {
      throw new IllegalStateException("pg_switch_wal() failed on " + this, e);
    }
  }

  /**
   * Stops the server with a fast shutdown (open sessions are ended, no crash recovery at the next
   * start). Its port refuses connections until {@link #start()}. Idempotent.
   */
  public void stop() {
    if (process.isAlive()) {
      runAsServerUser(List.of(binaries.tool("pg_ctl").toString(), "stop", "-D", dataDirectory.toString(),
          "-m", "fast", "-w", "-t", "60"), "pg_ctl", true);
    }
    process.stop();
  }

  /** Starts the server again on the same port with the same data; returns once it accepts connections. */
  public void start() {
    stop();
    long started = System.nanoTime();
    process.restart();
    awaitReady(started);
  }

  /**
   * Point-in-time recovery of this server, as a platform runs one: refuses first (server untouched)
   * if {@code target} is outside the recoverable window of {@link #settings()}; otherwise stops the
   * server, moves its data directory aside (kept in the run folder until {@link #close()}), lets
   * {@link PostgresRecovery} prepare a fresh one from the newest suitable base backup and the WAL
   * archive, starts the server on it and returns once recovery has finished and the server was
   * promoted (it then runs on a new timeline and archives as before).
   *
   * @param target the moment to recover to, or null for the newest archived state
   * @throws io.github.c8backup.database.RecoveryRefused before anything is stopped
   */
  public synchronized RecoveryPlan recoverTo(Instant target) {
    return recoverTo(target, null);
  }

  /** As {@link #recoverTo(Instant)}, along {@code history} (a timeline number; null: the newest). */
  public synchronized RecoveryPlan recoverTo(Instant target, Integer history) {
    PostgresRecovery recovery = new PostgresRecovery(settings());
    recovery.plan(target, history); // refuses before the server is touched
    long started = System.nanoTime();
    stop();
    Path replaced = run.resolve("data-replaced-" + (++recoveries));
    try {
      Files.move(dataDirectory, replaced);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not move " + dataDirectory + " aside", e);
    }
    RecoveryPlan plan;
    try {
      plan = recovery.prepare(dataDirectory, target, history);
      UnprivilegedUser.handOver(dataDirectory);
    } catch (RuntimeException e) {
      try {
        SandboxDirectories.deleteRecursively(dataDirectory);
        Files.move(replaced, dataDirectory);
        start();
      } catch (IOException | RuntimeException restoreFailure) {
        e.addSuppressed(restoreFailure);
      }
      throw e;
    }
    process.restart();
    awaitReady(started);
    awaitPromoted(started);
    lastRecoveryTime = Duration.ofNanos(System.nanoTime() - started);
    // What archive_timeout would do a little later: archive the new timeline's first segment, so
    // that the archive shows where this timeline branched off before anyone recovers again.
    switchWalAndAwaitArchived();
    return plan;
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /** Stops the server and deletes its run folder: data, archive and backups. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(fastShutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook does the same work
    }
    fastShutdown();
    process.close();
  }

  /** How long initdb took when this server was created. */
  public Duration initdbTime() {
    return initdbTime;
  }

  /** How long the last {@link #recoverTo(Instant)} took, from stopping the server to its promotion. */
  public Duration lastRecoveryTime() {
    return lastRecoveryTime;
  }

  /** How long the last start took until the server accepted connections. */
  public Duration lastStartTime() {
    return lastStartTime;
  }

  /** The postmaster; the backends are its children. */
  public ProcessHandle processHandle() {
    return process.handle();
  }

  /** Log of the server (stderr of the postmaster); the password never appears in it. */
  public Path log() {
    return process.log();
  }

  @Override
  public String toString() {
    return "PostgreSQL at 127.0.0.1:" + port + " (data " + dataDirectory + ")";
  }

  private void fastShutdown() {
    try {
      if (process.isAlive()) {
        runAsServerUser(List.of(binaries.tool("pg_ctl").toString(), "stop", "-D", dataDirectory.toString(),
            "-m", "fast", "-w", "-t", "30"), "pg_ctl", true);
      }
    } catch (RuntimeException e) {
      // close() and ManagedProcess stop it by signal anyway
    }
  }

  private static void initialise(PostgresBinaries binaries, Path run, int port, String superuserPassword) {
    Path data = run.resolve("data");
    Path socket = run.resolve("socket");
    Path archive = run.resolve("wal-archive");
    Path backups = run.resolve("backups");
    Path passwordFile = run.resolve("initdb-password");
    try {
      for (Path folder : List.of(socket, archive, backups)) {
        Files.createDirectories(folder);
      }
      Files.writeString(passwordFile, superuserPassword + "\n");
      Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
      UnprivilegedUser.handOver(run);
      try {
        runAsServerUser(List.of(binaries.tool("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER,
            "--pwfile=" + passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
            "--locale=C", "--wal-segsize=1", "--no-sync"), run, "initdb", false);
      } finally {
        Files.deleteIfExists(passwordFile);
      }
      Files.writeString(data.resolve("postgresql.conf"), serverConfiguration(port, socket, archive),
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not prepare PostgreSQL in " + run, e);
    }
  }

  private static String serverConfiguration(int port, Path socket, Path archive) {
    for (Path path : List.of(socket, archive)) {
      if (!path.toString().matches("[A-Za-z0-9/._+-]+")) {
        throw new IllegalStateException("The sandbox folder must not need quoting in PostgreSQL's settings: " + path);
      }
    }
    return """

        # c8-backup sandbox
        listen_addresses = '127.0.0.1'
        port = %d
        unix_socket_directories = '%s'
        wal_level = replica
        archive_mode = on
        archive_command = 'test ! -f %s/%%f && cp %%p %s/%%f'
        archive_timeout = '10s'
        max_wal_senders = 10
        # a sandbox: durability against power loss is not needed, speed is
        fsync = off
        # never echo a failing statement into the log: it could hold a password
        log_min_error_statement = panic
        """.formatted(port, socket, archive, archive);
  }

  private static List<String> serverCommand(PostgresBinaries binaries, Path run) {
    List<String> command = new ArrayList<>(UnprivilegedUser.commandPrefix());
    command.add(binaries.tool("postgres").toString());
    command.add("-D");
    command.add(run.resolve("data").toString());
    return command;
  }

  private void createUserAndDatabase() {
    try (Connection connection = superuserConnection(); Statement statement = connection.createStatement()) {
      // DDL takes no bind parameters; the password is generated from [A-Za-z0-9] only
      statement.execute("create role " + USERNAME + " login replication password '" + password + "'");
      statement.execute("create database " + database + " owner " + USERNAME);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create the user and database " + database + ": " + e.getMessage()
          + "\n" + process.failureDetails());
    }
  }

  private void awaitReady(long startedNanos) {
    long deadline = startedNanos + READY_DEADLINE.toNanos();
    String lastAnswer = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("PostgreSQL stopped before it was ready: " + process.failureDetails());
      }
      try (Connection ignored = superuserConnection()) {
        lastStartTime = Duration.ofNanos(System.nanoTime() - startedNanos);
        return;
      } catch (SQLException e) {
        lastAnswer = e.getMessage();
      }
      sleep(100);
    }
    throw new IllegalStateException("PostgreSQL was not ready within " + READY_DEADLINE.toSeconds() + " s (last answer: "
        + lastAnswer + "): " + process.failureDetails());
  }

  private void awaitPromoted(long startedNanos) {
    long deadline = startedNanos + READY_DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("PostgreSQL stopped during recovery: " + process.failureDetails());
      }
      try (Connection connection = superuserConnection(); Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("select pg_is_in_recovery()")) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return;
        }
      } catch (SQLException e) {
        // the server may still be restarting between recovery and promotion
      }
      sleep(100);
    }
    throw new IllegalStateException("PostgreSQL did not finish recovery within " + READY_DEADLINE.toSeconds() + " s: "
        + process.failureDetails());
  }

  private Connection connect(String user, String secret, String databaseName) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", secret);
    properties.setProperty("connectTimeout", "2");
    properties.setProperty("ApplicationName", "c8-backup-sandbox");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + databaseName, properties);
  }

  private void runAsServerUser(List<String> command, String name, boolean tolerateFailure) {
    runAsServerUser(command, run, name, tolerateFailure);
  }

  /** Runs a server program (initdb, pg_ctl) as nobody when root; its output goes to {@code <name>.log}. */
  private static void runAsServerUser(List<String> command, Path run, String name, boolean tolerateFailure) {
    List<String> full = new ArrayList<>(UnprivilegedUser.commandPrefix());
    full.addAll(command);
    Path log = run.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(full)
        .directory(run.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().put("LC_ALL", "C");
    try {
      Process child = builder.start();
      if (!child.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        child.destroyForcibly();
        throw new IllegalStateException(name + " did not finish within " + TOOL_TIMEOUT.toSeconds() + " s: " + tail(log));
      }
      if (child.exitValue() != 0 && !tolerateFailure) {
        throw new IllegalStateException(name + " failed with exit code " + child.exitValue() + ": " + tail(log));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not run " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while " + name + " ran", e);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  private static String randomPassword() {
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    SecureRandom random = new SecureRandom();
    StringBuilder password = new StringBuilder();
    for (int i = 0; i < 24; i++) {
      password.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return password.toString();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for PostgreSQL", e);
    }
  }
}
