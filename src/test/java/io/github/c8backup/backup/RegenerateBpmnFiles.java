package io.github.c8backup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.github.c8backup.restore.RestoreProcessModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** A developer tool, not a check: {@code ./mvnw test -Dtest=RegenerateBpmnFiles -Dbpmn.regenerate=true}. */
@EnabledIfSystemProperty(named = "bpmn.regenerate", matches = "true")
class RegenerateBpmnFiles {

  @Test
  void writesCamundaBackupBpmn() throws Exception {
    Path target = Path.of("bpmn/camunda-backup.bpmn");
    BackupProcessModel.write(target);
    assertThat(Files.readString(target)).contains("id=\"" + BackupProcessModel.PROCESS_ID + "\"");
  }

  @Test
  void writesExportingWatchdogBpmn() throws Exception {
    Path target = Path.of("bpmn/exporting-watchdog.bpmn");
    String xml = io.camunda.zeebe.model.bpmn.Bpmn.convertToString(BpmnLayout.apply(ExportingWatchdogModel.build()));
    Files.writeString(target, BackupProcessModel.stableIds(xml));
    assertThat(Files.readString(target)).contains("id=\"" + ExportingWatchdogModel.PROCESS_ID + "\"");
  }

  @Test
  void writesCamundaRestoreBpmn() throws Exception {
    Path target = Path.of("bpmn/camunda-restore.bpmn");
    String xml = Bpmn.convertToString(BpmnLayout.apply(RestoreProcessModel.build()));
    Files.writeString(target, BackupProcessModel.stableIds(xml));
    assertThat(Files.readString(target)).contains("id=\"" + RestoreProcessModel.PROCESS_ID + "\"");
  }

  @Test
  void writesCamundaRetentionBpmn() throws Exception {
    Path target = Path.of("bpmn/camunda-retention.bpmn");
    String xml = Bpmn.convertToString(BpmnLayout.apply(io.github.c8backup.retention.RetentionProcessModel.build()));
    Files.writeString(target, BackupProcessModel.stableIds(xml));
    assertThat(Files.readString(target)).contains("id=\"" + io.github.c8backup.retention.RetentionProcessModel.PROCESS_ID + "\"");
  }

  @Test
  void writesClusterRunAndScheduleBpmn() throws Exception {
    for (var entry : java.util.Map.of(
        "bpmn/camunda-cluster-run.bpmn", io.github.c8backup.run.ClusterRunProcessModel.build(),
        "bpmn/camunda-backup-schedule.bpmn", io.github.c8backup.run.ClusterRunProcessModel.buildSchedule()).entrySet()) {
      Path target = Path.of(entry.getKey());
      Files.writeString(target, BackupProcessModel.stableIds(Bpmn.convertToString(BpmnLayout.apply(entry.getValue()))));
      assertThat(Files.readString(target)).contains("isExecutable=\"true\"");
    }
  }
}
