package io.github.c8backup.testing;

import io.github.c8backup.database.BackupVerification;
import io.github.c8backup.database.BaseBackup;
import io.github.c8backup.database.ClusterDatabases;
import io.github.c8backup.database.DatabaseBackupException;
import io.github.c8backup.database.DatabaseBackups;
import io.github.c8backup.database.RecoverableWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * In-memory database backups for the process tests, one store for every cluster; records calls as
 * "database.operation" so tests can assert the order (for example: database before Zeebe).
 */
public final class FakeDatabases implements ClusterDatabases, DatabaseBackups {

  private final Map<String, BaseBackup> backups = new ConcurrentHashMap<>();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private volatile boolean failing;
  private volatile boolean verificationFails;
  private volatile RuntimeException retentionFault;

  @Override
  public DatabaseBackups of(String cluster) {
    return this;
  }

  public List<String> calls() {
    return calls;
  }

  public Map<String, BaseBackup> backups() {
    return backups;
  }

  /** pg_basebackup fails (server unreachable, disk full). */
  public FakeDatabases failBackups() {
    failing = true;
    return this;
  }

  public FakeDatabases failVerification() {
    verificationFails = true;
    return this;
  }

  /** Retention fails with this (an unreadable archive, a delete refused) until {@link #reset()}. */
  public FakeDatabases failRetention(RuntimeException fault) {
    retentionFault = fault;
    return this;
  }

  public void reset() {
    retentionFault = null;
    backups.clear();
    calls.clear();
    failing = false;
    verificationFails = false;
  }

  @Override
  public BaseBackup takeBaseBackup(String label) {
    calls.add("database.takeBaseBackup");
    if (failing) {
      throw new DatabaseBackupException("pg_basebackup: could not connect to server: Connection refused");
    }
    Instant now = Instant.now();
    BaseBackup backup = new BaseBackup(label, now.minusSeconds(5), now, 4096, "/backups/" + label, null);
    backups.put(label, backup);
    return backup;
  }

  @Override
  public List<BaseBackup> baseBackups() {
    return new ArrayList<>(backups.values());
  }

  @Override
  public Optional<BaseBackup> baseBackup(String label) {
    return Optional.ofNullable(backups.get(label));
  }

  @Override
  public BackupVerification verify(String label) {
    calls.add("database.verify");
    return new BackupVerification(label, !verificationFails, verificationFails ? "checksum mismatch for file base/1/1259" : "ok", Instant.now());
  }

  @Override
  public void delete(String label) {
    calls.add("database.delete");
    backups.remove(label);
  }

  @Override
  public Optional<RecoverableWindow> recoverableWindow() {
    return backups.values().stream().map(BaseBackup::finishedAt).min(Instant::compareTo)
        .map(earliest -> new RecoverableWindow(earliest, "oldest base backup", Instant.now(), "last archived WAL", List.of()));
  }

  /** Deletes nothing: the rule itself is tested on real backups (PostgresRetentionTest); this shows the path. */
  @Override
  public io.github.c8backup.database.DatabaseRetentionResult applyRetention(io.github.c8backup.database.DatabaseRetentionRequest request) {
    calls.add("database.applyRetention");
    if (retentionFault != null) {
      throw retentionFault;
    }
    List<String> labels = backups.values().stream().sorted(java.util.Comparator.comparing(BaseBackup::finishedAt)).map(BaseBackup::label).toList();
    return new io.github.c8backup.database.DatabaseRetentionResult(null, List.of(), labels, labels.isEmpty() ? null : labels.getFirst(),
        List.of(), null, recoverableWindow().orElse(null));
  }
}
