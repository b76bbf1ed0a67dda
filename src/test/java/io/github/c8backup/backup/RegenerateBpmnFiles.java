package io.github.c8backup.backup;

import static org.assertj.core.api.Assertions.assertThat;

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
  void writesCamundaRestoreBpmn() throws Exception {
    Path target = Path.of("bpmn/camunda-restore.bpmn");
    // BpmnLayout does not yet lay out a split whose branch ends without joining; the builder's own layout until then
    String xml = io.camunda.zeebe.model.bpmn.Bpmn.convertToString(io.github.c8backup.restore.RestoreProcessModel.build());
    Files.writeString(target, BackupProcessModel.stableIds(xml));
    assertThat(Files.readString(target)).contains("id=\"" + io.github.c8backup.restore.RestoreProcessModel.PROCESS_ID + "\"");
  }
}
