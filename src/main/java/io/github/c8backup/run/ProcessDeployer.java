package io.github.c8backup.run;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.DeploymentEvent;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.BaseElement;
import io.camunda.zeebe.model.bpmn.instance.FlowNode;
import io.camunda.zeebe.model.bpmn.instance.Process;
import io.camunda.zeebe.model.bpmn.instance.SequenceFlow;
import io.camunda.zeebe.model.bpmn.instance.StartEvent;
import io.camunda.zeebe.model.bpmn.instance.bpmndi.BpmnEdge;
import io.camunda.zeebe.model.bpmn.instance.bpmndi.BpmnShape;
import io.github.c8backup.backup.BackupSchedule;
import io.github.c8backup.config.OrchestratorProperties;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Deploys {@code bpmn/*.bpmn} to the control engine at startup. Camunda's {@code @Deployment}
 * cannot put configuration into a model, and a timer start event cannot read variables, so the
 * template timer start event of {@code camunda-backup-schedule} is replaced by one timer start
 * event per scheduled cluster, each setting {@code cluster} through an output mapping; its
 * retention template timer likewise by one per cluster with a {@code retention.schedule}. Without
 * any schedule a template is removed; deploying that version cancels the timers of the previous
 * one, so a schedule taken out of the configuration stops at the next start.
 */
@Component
class ProcessDeployer implements ApplicationRunner {

  static final String SCHEDULE_PROCESS_ID = "camunda-backup-schedule";
  static final String TEMPLATE_TIMER = "ScheduledBackup";
  static final String RETENTION_TEMPLATE_TIMER = "ScheduledRetention";
  private static final Logger LOG = LoggerFactory.getLogger(ProcessDeployer.class);

  private final CamundaClient client;
  private final OrchestratorProperties properties;

  ProcessDeployer(CamundaClient client, OrchestratorProperties properties) {
    this.client = client;
    this.properties = properties;
  }

  @Override
  public void run(ApplicationArguments args) throws IOException {
    Resource[] resources = new PathMatchingResourcePatternResolver().getResources("classpath*:bpmn/*.bpmn");
    if (resources.length == 0) {
      throw new IllegalStateException("No BPMN found on the classpath under bpmn/: the build must include the top-level bpmn/ folder");
    }
    var command = client.newDeployResourceCommand();
    io.camunda.client.api.command.DeployResourceCommandStep1.DeployResourceCommandStep2 step = null;
    for (Resource resource : resources) {
      BpmnModelInstance model;
      try (InputStream in = resource.getInputStream()) {
        model = Bpmn.readModelFromStream(in);
      }
      if (model.getModelElementById(SCHEDULE_PROCESS_ID) != null) {
        model = withSchedules(model, schedules(properties), retentionSchedules(properties));
      }
      step = step == null
          ? command.addProcessModel(model, resource.getFilename())
          : step.addProcessModel(model, resource.getFilename());
    }
    DeploymentEvent deployment = step.send().join();
    deployment.getProcesses().forEach(p -> LOG.info(
        "Deployed process {} version {} (key {})", p.getBpmnProcessId(), p.getVersion(), p.getProcessDefinitionKey()));
  }

  /** Scheduled clusters by name, each schedule validated. */
  static Map<String, BackupSchedule> schedules(OrchestratorProperties properties) {
    Map<String, BackupSchedule> schedules = new TreeMap<>();
    properties.clusters().forEach((name, cluster) -> {
      if (cluster.schedule() != null && !cluster.schedule().isBlank()) {
        String problem = BackupSchedule.problem(cluster.schedule());
        if (problem != null) {
          throw new IllegalArgumentException("orchestrator.clusters." + name + ".schedule: " + problem);
        }
        schedules.put(name, new BackupSchedule(cluster.schedule()));
      }
    });
    return schedules;
  }

  /** Clusters with a retention schedule by name (validated at startup with the rest of the retention settings). */
  static Map<String, BackupSchedule> retentionSchedules(OrchestratorProperties properties) {
    Map<String, BackupSchedule> schedules = new TreeMap<>();
    properties.clusters().forEach((name, cluster) -> {
      if (cluster.hasRetentionPolicy() && cluster.retention().schedule() != null && !cluster.retention().schedule().isBlank()) {
        schedules.put(name, new BackupSchedule(cluster.retention().schedule()));
      }
    });
    return schedules;
  }

  static BpmnModelInstance withSchedules(BpmnModelInstance model, Map<String, BackupSchedule> schedules) {
    return withSchedules(model, schedules, Map.of());
  }

  static BpmnModelInstance withSchedules(BpmnModelInstance model, Map<String, BackupSchedule> backups,
      Map<String, BackupSchedule> retentions) {
    replaceTemplate(model, TEMPLATE_TIMER, "Scheduled backup of ", backups);
    replaceTemplate(model, RETENTION_TEMPLATE_TIMER, "Scheduled retention of ", retentions);
    return model;
  }

  private static void replaceTemplate(BpmnModelInstance model, String templateId, String namePrefix,
      Map<String, BackupSchedule> schedules) {
    StartEvent template = model.getModelElementById(templateId);
    if (template == null) {
      throw new IllegalStateException("bpmn/camunda-backup-schedule.bpmn has no timer start event '" + templateId + "'");
    }
    FlowNode firstStep = template.getOutgoing().iterator().next().getTarget();
    Process process = model.getModelElementById(SCHEDULE_PROCESS_ID);
    for (Map.Entry<String, BackupSchedule> entry : schedules.entrySet()) {
      String cluster = entry.getKey();
      process.builder()
          .startEvent(templateId + "_" + cluster.replaceAll("[^A-Za-z0-9_-]", "_"))
          .name(namePrefix + cluster + " (" + entry.getValue().expression() + ")")
          .timerWithCycle(entry.getValue().expression())
          .zeebeOutputExpression("=\"" + cluster.replace("\"", "\\\"") + "\"", "cluster")
          .connectTo(firstStep.getId());
    }
    remove(model, template);
  }

  private static void remove(BpmnModelInstance model, StartEvent event) {
    List<BaseElement> gone = new ArrayList<>(event.getOutgoing());
    gone.add(event);
    for (BaseElement element : gone) {
      for (BpmnShape shape : model.getModelElementsByType(BpmnShape.class)) {
        if (shape.getBpmnElement() == element) {
          shape.getParentElement().removeChildElement(shape);
        }
      }
      for (BpmnEdge edge : model.getModelElementsByType(BpmnEdge.class)) {
        if (edge.getBpmnElement() == element) {
          edge.getParentElement().removeChildElement(edge);
        }
      }
      if (element instanceof SequenceFlow flow) {
        flow.getTarget().getIncoming().remove(flow);
      }
      element.getParentElement().removeChildElement(element);
    }
  }

}
