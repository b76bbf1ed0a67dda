package io.github.c8backup.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.StartEvent;
import io.camunda.zeebe.model.bpmn.instance.TimerEventDefinition;
import io.camunda.zeebe.model.bpmn.instance.bpmndi.BpmnShape;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeIoMapping;
import io.github.c8backup.backup.BackupSchedule;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessDeployerTest {

  private static BpmnModelInstance bpmn() {
    return Bpmn.readModelFromFile(new File("bpmn/camunda-backup-schedule.bpmn"));
  }

  @Test
  void replacesTheTemplateTimerWithOneTimerPerScheduledCluster() {
    // given
    Map<String, BackupSchedule> schedules = new LinkedHashMap<>();
    schedules.put("prod", new BackupSchedule("0 0 2 * * *"));
    schedules.put("staging", new BackupSchedule("R/PT6H"));

    // when
    BpmnModelInstance model = ProcessDeployer.withSchedules(bpmn(), schedules);

    // then
    assertThat(model.<StartEvent>getModelElementById(ProcessDeployer.TEMPLATE_TIMER)).isNull();
    StartEvent prod = model.getModelElementById("ScheduledBackup_prod");
    assertThat(prod.getEventDefinitions()).singleElement()
        .satisfies(d -> assertThat(((TimerEventDefinition) d).getTimeCycle().getTextContent()).isEqualTo("0 0 2 * * *"));
    assertThat(prod.getSingleExtensionElement(ZeebeIoMapping.class).getOutputs()).singleElement()
        .satisfies(o -> {
          assertThat(o.getSource()).isEqualTo("=\"prod\"");
          assertThat(o.getTarget()).isEqualTo("cluster");
        });
    assertThat(prod.getOutgoing()).singleElement().satisfies(f -> assertThat(f.getTarget().getId()).isEqualTo(ClusterRunProcessModel.REQUEST_SCHEDULED));
    assertThat(model.<StartEvent>getModelElementById("ScheduledBackup_staging")).isNotNull();
    Bpmn.validateModel(model);
  }

  @Test
  void withoutSchedulesOnlyTheStartByHandIsLeftAndNoDiagramShapeDangles() {
    // when
    BpmnModelInstance model = ProcessDeployer.withSchedules(bpmn(), Map.of());

    // then
    List<String> starts = model.getModelElementsByType(StartEvent.class).stream()
        .filter(s -> s.getParentElement() == model.getModelElementById(ClusterRunProcessModel.SCHEDULE_PROCESS_ID))
        .map(StartEvent::getId).toList();
    assertThat(starts).containsExactly(ClusterRunProcessModel.BY_HAND_START);
    assertThat(model.getModelElementsByType(BpmnShape.class)).allSatisfy(shape -> assertThat(shape.getBpmnElement()).isNotNull());
    Bpmn.validateModel(model);
  }

  @Test
  void quotesClusterNamesSafelyInTheOutputMapping() {
    BpmnModelInstance model = ProcessDeployer.withSchedules(bpmn(), Map.of("eu-west.1", new BackupSchedule("R/PT1H")));
    StartEvent start = model.getModelElementById("ScheduledBackup_eu-west_1");
    assertThat(start.getSingleExtensionElement(ZeebeIoMapping.class).getOutputs().iterator().next().getSource()).isEqualTo("=\"eu-west.1\"");
  }

  @Test
  void replacesTheRetentionTemplateWithOneTimerPerClusterWithARetentionSchedule() {
    // when
    BpmnModelInstance model = ProcessDeployer.withSchedules(bpmn(), Map.of("prod", new BackupSchedule("0 0 2 * * *")),
        Map.of("prod", new BackupSchedule("0 30 3 * * *"), "staging", new BackupSchedule("R/P1D")));

    // then
    assertThat(model.<StartEvent>getModelElementById(ProcessDeployer.RETENTION_TEMPLATE_TIMER)).isNull();
    StartEvent prod = model.getModelElementById("ScheduledRetention_prod");
    assertThat(prod.getEventDefinitions()).singleElement()
        .satisfies(d -> assertThat(((TimerEventDefinition) d).getTimeCycle().getTextContent()).isEqualTo("0 30 3 * * *"));
    assertThat(prod.getSingleExtensionElement(ZeebeIoMapping.class).getOutputs()).singleElement()
        .satisfies(o -> assertThat(o.getSource()).isEqualTo("=\"prod\""));
    assertThat(prod.getOutgoing()).singleElement()
        .satisfies(f -> assertThat(f.getTarget().getId()).isEqualTo(ClusterRunProcessModel.REQUEST_SCHEDULED_RETENTION));
    assertThat(model.<StartEvent>getModelElementById("ScheduledRetention_staging")).isNotNull();
    assertThat(model.<StartEvent>getModelElementById("ScheduledBackup_prod").getOutgoing()).singleElement()
        .satisfies(f -> assertThat(f.getTarget().getId()).isEqualTo(ClusterRunProcessModel.REQUEST_SCHEDULED));
    Bpmn.validateModel(model);
  }
}
