package io.github.c8backup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.api.response.ActivatedJob;
import io.github.c8backup.testing.FakeDatabases;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The database steps of the RDBMS path with in-memory backups: which base backup a run takes,
 * finds again on a retry, and removes on rollback.
 */
class DatabaseBackupWorkerTest {

  /** The first process instance key of a fresh control engine (partition 1); a reinstalled engine hands it out again. */
  private static final long KEY = 2251799813685260L;
  private static final long STARTED_AT = 1_795_000_000_000L;

  private final FakeDatabases databases = new FakeDatabases();
  private final DatabaseBackupWorker worker = new DatabaseBackupWorker(new ClusterSteps(null, Clock.systemUTC(), null), databases);

  @Test
  void aRetryOfTheSameRunFindsTheBackupItTookInsteadOfTakingASecond() {
    // given
    String first = label(worker.backup(job(KEY), "prod", STARTED_AT));

    // when the answer was lost and the engine retries the job
    String retried = label(worker.backup(job(KEY), "prod", STARTED_AT));

    // then
    assertThat(retried).isEqualTo(first);
    assertThat(databases.calls()).containsOnlyOnce("database.takeBaseBackup");
    assertThat(databases.backups()).hasSize(1);
  }

  @Test
  void aBackupOfAnEarlierControlEngineWithTheSameInstanceKeyIsNeitherReportedNorRemoved() {
    // given an earlier control engine's run with the same instance key left its backup
    String earlier = label(worker.backup(job(KEY), "prod", STARTED_AT - 86_400_000L));
    String earlierWithoutStartTime = DatabaseBackupWorker.label("prod", KEY, null);
    databases.takeBaseBackup(earlierWithoutStartTime);

    // when a run of the new engine backs up, then rolls back
    String taken = label(worker.backup(job(KEY), "prod", STARTED_AT));
    worker.remove(job(KEY), "prod", STARTED_AT);

    // then it took and removed its own backup only
    assertThat(taken).isNotIn(earlier, earlierWithoutStartTime);
    assertThat(databases.calls()).filteredOn("database.takeBaseBackup"::equals).hasSize(3);
    assertThat(databases.backups()).containsOnlyKeys(earlier, earlierWithoutStartTime);
  }

  private static String label(Map<String, Object> variables) {
    return String.valueOf(((Map<?, ?>) variables.get("databaseBackup")).get("label"));
  }

  private static ActivatedJob job(long processInstanceKey) {
    return (ActivatedJob) Proxy.newProxyInstance(ActivatedJob.class.getClassLoader(), new Class<?>[] {ActivatedJob.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getProcessInstanceKey" -> processInstanceKey;
          case "getRetries" -> 3;
          case "getCustomHeaders" -> Map.of();
          default -> null;
        });
  }
}
