package io.github.c8backup.containers;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.search.enums.ProcessInstanceState;
import io.camunda.client.api.search.response.ProcessInstance;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A tiny process deployed on the target: its instances wait at a service task that no worker
 * takes, so they stay in the broker's state and in Operate's indices until a test completes their
 * jobs. What a restore must bring back, in Camunda's own terms.
 */
final class WaitingProcess {

  static final String PROCESS_ID = "e2e-waiting";
  static final String JOB_TYPE = "e2e-work";

  private WaitingProcess() {}

  static BpmnModelInstance model() {
    return Bpmn.createExecutableProcess(PROCESS_ID)
        .startEvent()
        .serviceTask("Work", task -> task.zeebeJobType(JOB_TYPE))
        .endEvent()
        .done();
  }

  static void deploy(CamundaClient camunda) {
    camunda.newDeployResourceCommand().addProcessModel(model(), PROCESS_ID + ".bpmn").send().join();
  }

  static long start(CamundaClient camunda) {
    return camunda.newCreateInstanceCommand().bpmnProcessId(PROCESS_ID).latestVersion().send().join().getProcessInstanceKey();
  }

  /** Instances as secondary storage (Operate's indices) shows them, by key; the broker may be ahead. */
  static Map<Long, ProcessInstanceState> visible(CamundaClient camunda) {
    List<ProcessInstance> items = camunda.newProcessInstanceSearchRequest()
        .filter(filter -> filter.processDefinitionId(PROCESS_ID))
        .send().join().items();
    return items.stream().collect(Collectors.toMap(ProcessInstance::getProcessInstanceKey, ProcessInstance::getState));
  }

  /**
   * Takes the waiting jobs the broker offers now, by process instance: what its state holds,
   * whatever the indices say. The jobs stay locked to this test for {@code lock}.
   */
  static Map<Long, ActivatedJob> activateJobs(CamundaClient camunda, Duration lock) {
    return camunda.newActivateJobsCommand().jobType(JOB_TYPE).maxJobsToActivate(100).timeout(lock)
        .requestTimeout(Duration.ofSeconds(5))
        .send().join().getJobs().stream()
        .collect(Collectors.toMap(ActivatedJob::getProcessInstanceKey, job -> job));
  }
}
