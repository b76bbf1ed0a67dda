package io.github.c8backup.backup;

import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.worker.JobClient;
import io.camunda.client.exception.BpmnError;
import io.camunda.client.exception.JobError;
import io.github.c8backup.config.BackupTimeouts;
import io.github.c8backup.config.TargetCluster;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Lets a check step keep looking, every poll interval, for up to {@code check-wait} inside one job
 * before it hands back to the BPMN poll loop (check task, gateway, poll timer).
 *
 * <p>Why not only the BPMN loop: each round of it costs a timer and a job in the control engine,
 * and the engine fires a timer when its due-date checker gets to it, not at the due date (the
 * sandbox's Zeebe Process Test engine was measured 0.05 to 1 s late per PT1S timer). Inside the
 * exporting pause that lateness adds up, wait after wait, to the time exporting stays paused.
 * Looking again within the job notices completion one poll interval after it happens, as a script
 * would, and writes one record instead of a dozen per round. The BPMN loop still carries waits
 * longer than {@code check-wait}, the deadline boundary still bounds the whole wait, and the task
 * stays visible in Operate as active while it looks.
 *
 * <p>The looking runs on a virtual thread, so a waiting cluster holds no job-worker thread: the
 * handler returns at once and this class completes the job, or throws the BPMN error, or fails it,
 * exactly as the SDK would have for the handler's own result or exception. It stops looking when
 * half the time the job had left has passed, so no other orchestrator gets the job while this one
 * still holds it. If the orchestrator stops meanwhile, the job times out and is
 * offered again; if the job was cancelled (deadline boundary, run cancelled), completing it is
 * refused and only logged.
 */
@Component
public class WaitWithinJob {

  private static final Logger LOG = LoggerFactory.getLogger(WaitWithinJob.class);

  private final Set<Thread> looking = ConcurrentHashMap.newKeySet();

  /**
   * One look at least, then more every poll interval of the cluster until {@code doneVariable} is
   * true in the result, its {@code check-wait} is used up, or half the time the job had left before
   * its timeout has passed.
   *
   * @param check one look at the component, given the variables of the previous look (empty at
   *     first) so observations carry over (an INCOMPLETE since when); its exceptions are the
   *     worker's usual mapped ones ({@link BpmnError}, {@link JobError})
   */
  public void await(
      JobClient client, ActivatedJob job, TargetCluster cluster, UnaryOperator<Map<String, Object>> check, String doneVariable) {
    await(client, job, cluster.timeouts(), check, doneVariable);
  }

  void await(JobClient client, ActivatedJob job, BackupTimeouts timeouts, UnaryOperator<Map<String, Object>> check, String doneVariable) {
    Duration pollInterval = timeouts.pollInterval();
    // Half the time left before the job times out: the last look (its calls may take up to their
    // request timeouts) then has at least as long as all the looks before it. Elapsed real time,
    // not the injectable Clock bean (tests fix that one).
    long halfTheJobTimeLeft = (job.getDeadline() - System.currentTimeMillis()) / 2;
    long lookUntil = System.nanoTime() + Math.min(timeouts.checkWait().toMillis(), halfTheJobTimeLeft) * 1_000_000L;
    Thread thread = Thread.ofVirtual().name("wait-" + job.getType() + "-" + job.getKey()).unstarted(() -> {
      try {
        complete(client, job, lookUntilDone(check, doneVariable, pollInterval, lookUntil));
      } catch (BpmnError error) {
        send(job, "throw error " + error.getErrorCode(), client.newThrowErrorCommand(job)
            .errorCode(error.getErrorCode()).errorMessage(error.getErrorMessage()).variables(variablesOf(error.getVariables())));
      } catch (JobError error) {
        int retries = error.getRetries() != null ? error.getRetries() : Math.max(job.getRetries() - 1, 0);
        var fail = client.newFailCommand(job).retries(retries).errorMessage(error.getErrorMessage());
        if (error.getRetryBackoff() != null) {
          fail = fail.retryBackoff(error.getRetryBackoff());
        }
        send(job, "fail", fail.variables(variablesOf(error.getVariables())));
      } catch (RuntimeException unexpected) {
        send(job, "fail", client.newFailCommand(job).retries(Math.max(job.getRetries() - 1, 0))
            .errorMessage(job.getType() + " failed unexpectedly: " + unexpected));
      } catch (InterruptedException stopping) {
        // the orchestrator is stopping: the job times out and is offered again
        Thread.currentThread().interrupt();
      } finally {
        looking.remove(Thread.currentThread());
      }
    });
    looking.add(thread);
    thread.start();
  }

  /** A stopping orchestrator stops looking; the jobs it held time out and are offered again. */
  @PreDestroy
  void stopLooking() {
    looking.forEach(Thread::interrupt);
  }

  private Map<String, Object> lookUntilDone(
      UnaryOperator<Map<String, Object>> check, String doneVariable, Duration pollInterval, long lookUntil) throws InterruptedException {
    Map<String, Object> result = Map.of();
    while (true) {
      result = check.apply(result);
      if (Boolean.TRUE.equals(result.get(doneVariable)) || System.nanoTime() + pollInterval.toNanos() - lookUntil >= 0) {
        return result;
      }
      Thread.sleep(pollInterval);
    }
  }

  private static void complete(JobClient client, ActivatedJob job, Map<String, Object> variables) {
    send(job, "complete", client.newCompleteCommand(job).variables(variables));
  }

  private static void send(ActivatedJob job, String what, io.camunda.client.api.command.FinalCommandStep<?> command) {
    try {
      command.send().join();
    } catch (RuntimeException refused) {
      // cancelled by the deadline boundary or with the run, or the engine unreachable: either way
      // the engine's state decides what happens next (nothing, or the job times out and returns)
      LOG.warn("Could not {} job {} ({}): {}", what, job.getKey(), job.getType(), refused.getMessage());
    }
  }

  private static Map<String, Object> variablesOf(Object variables) {
    if (variables instanceof Map<?, ?> map) {
      Map<String, Object> copy = new java.util.LinkedHashMap<>();
      map.forEach((key, value) -> copy.put(String.valueOf(key), value));
      return copy;
    }
    return Map.of();
  }
}
