package io.github.c8backup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.Error;
import io.camunda.zeebe.model.bpmn.instance.ErrorEventDefinition;
import io.camunda.zeebe.model.bpmn.instance.ServiceTask;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskDefinition;
import io.github.c8backup.testing.JobWorkerScan;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every service task type in {@code bpmn/} has exactly one {@code @JobWorker}, every worker has a
 * task, and the BPMN error codes are the ones the workers throw.
 */
class JobWorkersMatchBpmnTest {

  @Test
  void everyServiceTaskTypeHasExactlyOneWorkerAndEveryWorkerATask() throws Exception {
    // given
    Set<String> taskTypes = new TreeSet<>();
    for (BpmnModelInstance model : models()) {
      model.getModelElementsByType(ServiceTask.class).forEach(task -> taskTypes.add(
          task.getSingleExtensionElement(ZeebeTaskDefinition.class).getType()));
    }
    Map<String, List<String>> workers = workersByType();

    // then
    assertThat(taskTypes).as("service task types in bpmn/").isNotEmpty();
    assertThat(workers.keySet()).as("worker types without a task").isSubsetOf(taskTypes);
    for (String type : taskTypes) {
      assertThat(workers.getOrDefault(type, List.of())).as("workers for job type %s", type).hasSize(1);
    }
  }

  @Test
  void jobTypeConstantsAreTheTypesInTheBpmn() throws Exception {
    Set<String> constants = JobWorkerScan.jobTypeConstants();
    Set<String> taskTypes = new TreeSet<>();
    for (BpmnModelInstance model : models()) {
      model.getModelElementsByType(ServiceTask.class).forEach(t -> taskTypes.add(t.getSingleExtensionElement(ZeebeTaskDefinition.class).getType()));
    }
    assertThat(constants).containsExactlyInAnyOrderElementsOf(taskTypes);
  }

  @Test
  void everyErrorCodeInTheBpmnIsAKnownConstantAndEveryConstantIsCaught() throws Exception {
    Set<String> constants = new TreeSet<>();
    for (Field field : BpmnErrors.class.getFields()) {
      constants.add((String) field.get(null));
    }
    Set<String> inBpmn = new TreeSet<>();
    boolean catchAll = false;
    for (BpmnModelInstance model : models()) {
      model.getModelElementsByType(Error.class).forEach(e -> inBpmn.add(e.getErrorCode()));
      for (ErrorEventDefinition definition : model.getModelElementsByType(ErrorEventDefinition.class)) {
        catchAll |= definition.getError() == null;
      }
    }
    assertThat(constants).containsAll(inBpmn);
    assertThat(catchAll).as("a catch-all error boundary takes BACKUP_FAILED").isTrue();
    assertThat(inBpmn).contains(BpmnErrors.INVALID_REQUEST, BpmnErrors.BACKUP_TIMED_OUT, BpmnErrors.PREFLIGHT_FAILED);
  }

  private static List<BpmnModelInstance> models() throws IOException {
    return JobWorkerScan.bpmnModels();
  }

  private static Map<String, List<String>> workersByType() throws ClassNotFoundException {
    Map<String, List<String>> workers = new TreeMap<>();
    JobWorkerScan.workersByType().forEach((type, methods) -> workers.put(type,
        methods.stream().map(m -> m.getDeclaringClass().getSimpleName() + "." + m.getName()).toList()));
    return workers;
  }
}
