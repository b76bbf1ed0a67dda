package io.github.c8backup.testing;

import io.github.c8backup.BackupOrchestratorApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the process tests: they all share one Spring context (see {@link ProcessTestConfiguration})
 * connected to the JVM's one control engine.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, classes = {BackupOrchestratorApplication.class, ProcessTestConfiguration.class})
@ActiveProfiles("processtest")
public abstract class ProcessTestSupport {

  protected static final ControlEngine ENGINE = ControlEngine.shared();

  @DynamicPropertySource
  static void controlEngine(DynamicPropertyRegistry registry) {
    registry.add("camunda.client.grpc-address", ENGINE::grpcAddress);
  }

  /**
   * Activates job-based user tasks until the one of {@code instance} at {@code elementId} comes;
   * others are handed back at once for their own tests.
   */
  protected static io.camunda.client.api.response.ActivatedJob awaitUserTask(
      io.camunda.client.CamundaClient client, ProcessHistory history, long instance, String elementId, java.time.Duration timeout)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    while (System.currentTimeMillis() < deadline) {
      var jobs = client.newActivateJobsCommand().jobType(io.github.c8backup.restore.RestoreProcessModel.USER_TASK_JOB_TYPE).maxJobsToActivate(10)
          .timeout(java.time.Duration.ofSeconds(5)).send().join().getJobs();
      for (var job : jobs) {
        if (job.getProcessInstanceKey() == instance && job.getElementId().equals(elementId)) {
          return job;
        }
        client.newFailCommand(job).retries(job.getRetries()).retryBackoff(java.time.Duration.ZERO).send().join(); // not ours: give it back
      }
      Thread.sleep(100);
    }
    throw new AssertionError("user task " + elementId + " not reached; passed " + history.passedElementIds(instance));
  }
}
