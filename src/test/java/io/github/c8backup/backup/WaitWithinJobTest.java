package io.github.c8backup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.exception.CamundaError;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.github.c8backup.config.BackupTimeouts;
import io.github.c8backup.testing.ControlEngine;
import io.github.c8backup.testing.ProcessHistory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The looking inside one job, against the real control engine (Zeebe Process Test): what the
 * engine records in the end (job completed with the last look's variables, BPMN error caught by
 * the boundary, job failed with a retry) and how often the component was asked.
 */
class WaitWithinJobTest {

  private static final String PROCESS = "wait-within-job-test";
  private static final String JOB_TYPE = "test.wait-within-job";
  private static final Duration POLL = Duration.ofMillis(100);

  private static ControlEngine engine;
  private static CamundaClient client;
  private static ProcessHistory history;
  private final WaitWithinJob waits = new WaitWithinJob();

  @BeforeAll
  static void startEngine() {
    engine = ControlEngine.start(0);
    client = CamundaClient.newClientBuilder().grpcAddress(URI.create(engine.grpcAddress())).preferRestOverGrpc(false).build();
    history = new ProcessHistory(engine.records());
    var model = Bpmn.createExecutableProcess(PROCESS).startEvent()
        .serviceTask("check").zeebeJobType(JOB_TYPE).zeebeJobRetries("3")
        .endEvent("done")
        .moveToActivity("check").boundaryEvent("failed").error("BACKUP_FAILED").endEvent("rolledBack")
        .done();
    client.newDeployResourceCommand().addProcessModel(model, PROCESS + ".bpmn").send().join();
  }

  @AfterAll
  static void stopEngine() {
    client.close();
    engine.close();
  }

  @Test
  void completesAfterTheFirstLookWhenTheComponentIsAlreadyDone() {
    // given
    Looks looks = new Looks(true);
    Started started = start(Duration.ofSeconds(60));

    // when
    waits.await(client, started.job(), timeouts(Duration.ofSeconds(20)), looks, "done");

    // then
    history.awaitEnd(started.instance(), Duration.ofSeconds(30));
    assertThat(looks.count()).isEqualTo(1);
    assertThat(history.passedElementIds(started.instance())).contains("done").doesNotContain("rolledBack");
    assertThat(history.variable(started.instance(), "looks")).contains(1);
  }

  @Test
  void looksAgainEveryPollIntervalUntilDoneAndHandsOnWhatItSaw() {
    // given: done at the fourth look
    Looks looks = new Looks(false, false, false, true);
    Started started = start(Duration.ofSeconds(60));
    long begin = System.nanoTime();

    // when
    waits.await(client, started.job(), timeouts(Duration.ofSeconds(20)), looks, "done");

    // then
    history.awaitEnd(started.instance(), Duration.ofSeconds(30));
    assertThat(looks.count()).isEqualTo(4);
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(POLL.multipliedBy(3));
    assertThat(looks.previousSeen()).containsExactly(null, 1, 2, 3); // each look gets the one before
    assertThat(history.variable(started.instance(), "looks")).contains(4);
    assertThat(history.variable(started.instance(), "done")).contains(true);
  }

  @Test
  void handsBackNotDoneOnceCheckWaitIsUsedUp() {
    // given: never done, half a second to look
    Looks looks = new Looks(false);
    Started started = start(Duration.ofSeconds(60));

    // when
    waits.await(client, started.job(), timeouts(Duration.ofMillis(500)), looks, "done");

    // then: completed with done=false (the BPMN's poll timer takes over), after a handful of looks
    history.awaitEnd(started.instance(), Duration.ofSeconds(30));
    assertThat(looks.count()).isBetween(2, 6);
    assertThat(history.variable(started.instance(), "done")).contains(false);
  }

  @Test
  void looksOnlyOnceWhenCheckWaitIsZero() {
    // given
    Looks looks = new Looks(false);
    Started started = start(Duration.ofSeconds(60));

    // when
    waits.await(client, started.job(), timeouts(Duration.ZERO), looks, "done");

    // then
    history.awaitEnd(started.instance(), Duration.ofSeconds(30));
    assertThat(looks.count()).isEqualTo(1);
    assertThat(history.variable(started.instance(), "done")).contains(false);
  }

  @Test
  void looksForAtMostHalfTheTimeTheJobHasLeft() {
    // given: a job timeout of 1 s and 20 s to look
    Looks looks = new Looks(false);
    Started started = start(Duration.ofSeconds(1));
    long begin = System.nanoTime();

    // when
    waits.await(client, started.job(), timeouts(Duration.ofSeconds(20)), looks, "done");

    // then: done looking within about half a second, and the job completed by this worker, not timed out
    history.awaitEnd(started.instance(), Duration.ofSeconds(30));
    assertThat(looks.count()).isBetween(1, 6);
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(20));
    assertThat(java.util.stream.StreamSupport.stream(engine.records().jobRecords().spliterator(), false)
        .filter(r -> r.getKey() == started.job().getKey())
        .map(r -> r.getIntent().name())).contains("COMPLETED").doesNotContain("TIMED_OUT");
  }

  @Test
  void aBpmnErrorOfALaterLookReachesTheBoundaryWithItsVariables() {
    // given: the third look finds the backup FAILED
    Looks looks = new Looks(false, false);
    looks.failWith(CamundaError.bpmnError(BpmnErrors.BACKUP_FAILED, "Zeebe backup 7 is FAILED",
        Map.of("failureReason", "Zeebe backup 7 is FAILED", ClusterSteps.FAILED_STEP, JOB_TYPE)));
    Started started = start(Duration.ofSeconds(60));

    // when
    waits.await(client, started.job(), timeouts(Duration.ofSeconds(20)), looks, "done");

    // then
    history.awaitEnd(started.instance(), Duration.ofSeconds(30));
    assertThat(looks.count()).isEqualTo(3);
    assertThat(history.passedElementIds(started.instance())).contains("rolledBack").doesNotContain("done");
    assertThat(history.variable(started.instance(), "failureReason")).contains("Zeebe backup 7 is FAILED");
    assertThat(history.variable(started.instance(), ClusterSteps.FAILED_STEP)).contains(JOB_TYPE);
  }

  @Test
  void aTransientFaultFailsTheJobWithOneRetryLessAndTheBackoff() {
    // given
    Looks looks = new Looks(false);
    looks.failWith(CamundaError.jobError("Check Zeebe backup failed: connection refused. Will retry.", null, 2, Duration.ofMinutes(5), null));
    Started started = start(Duration.ofSeconds(60));

    // when
    waits.await(client, started.job(), timeouts(Duration.ofSeconds(20)), looks, "done");

    // then: the job is back with 2 retries and a backoff, so nobody gets it now
    awaitFailed(started.job().getKey());
    var again = client.newActivateJobsCommand().jobType(JOB_TYPE).maxJobsToActivate(1).send().join().getJobs();
    assertThat(again).isEmpty();
    var failed = failedRecord(started.job().getKey()).orElseThrow();
    assertThat(failed.getValue().getRetries()).isEqualTo(2);
    assertThat(failed.getValue().getRetryBackoff()).isEqualTo(Duration.ofMinutes(5).toMillis());
    assertThat(failed.getValue().getErrorMessage()).contains("connection refused");
    client.newCancelInstanceCommand(started.instance()).send().join();
  }

  // ------------------------------------------------------------------------------------ helpers

  private record Started(long instance, ActivatedJob job) {}

  /** Starts an instance and activates its job with the given timeout, as the SDK's worker would. */
  private static Started start(Duration jobTimeout) {
    long instance = client.newCreateInstanceCommand().bpmnProcessId(PROCESS).latestVersion().send().join().getProcessInstanceKey();
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      for (ActivatedJob job : client.newActivateJobsCommand().jobType(JOB_TYPE).maxJobsToActivate(10).timeout(jobTimeout).send().join().getJobs()) {
        if (job.getProcessInstanceKey() == instance) {
          return new Started(instance, job);
        }
        client.newFailCommand(job).retries(job.getRetries()).retryBackoff(Duration.ZERO).send().join();
      }
    }
    throw new AssertionError("no job for instance " + instance);
  }

  private static java.util.Optional<io.camunda.zeebe.protocol.record.Record<io.camunda.zeebe.protocol.record.value.JobRecordValue>> failedRecord(
      long jobKey) {
    return java.util.stream.StreamSupport.stream(engine.records().jobRecords().spliterator(), false)
        .filter(r -> r.getKey() == jobKey && r.getIntent() == io.camunda.zeebe.protocol.record.intent.JobIntent.FAILED)
        .findFirst();
  }

  private static void awaitFailed(long jobKey) {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      if (failedRecord(jobKey).isPresent()) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("job " + jobKey + " was not failed");
  }

  private static BackupTimeouts timeouts(Duration checkWait) {
    BackupTimeouts d = BackupTimeouts.defaults();
    return new BackupTimeouts(POLL, d.webappsDeadline(), d.recordsSnapshotDeadline(), d.zeebeDeadline(), d.pauseBound(),
        d.incompleteGrace(), d.watchdogCheckInterval(), checkWait);
  }

  /** A component that answers done or not in a given order (the last answer repeats), or fails after its answers. */
  private static final class Looks implements UnaryOperator<Map<String, Object>> {
    private final List<Boolean> answers;
    private final AtomicInteger count = new AtomicInteger();
    private final List<Object> previousSeen = Collections.synchronizedList(new ArrayList<>());
    private RuntimeException failure;

    Looks(Boolean... answers) {
      this.answers = List.of(answers);
    }

    void failWith(RuntimeException failure) {
      this.failure = failure;
    }

    @Override
    public Map<String, Object> apply(Map<String, Object> previous) {
      int n = count.incrementAndGet();
      previousSeen.add(previous.get("looks"));
      if (failure != null && n > answers.size()) {
        throw failure;
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("looks", n);
      result.put("done", answers.get(Math.min(n, answers.size()) - 1));
      return result;
    }

    int count() {
      return count.get();
    }

    List<Object> previousSeen() {
      return previousSeen;
    }
  }
}
